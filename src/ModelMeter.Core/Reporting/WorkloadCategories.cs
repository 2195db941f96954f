using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Reporting;

/// <summary>
/// The workload category as a dimension (<c>--by category</c>, <c>--where category=inference</c>): not a stored column
/// but a classification of each line item, so a changed rule in <c>modelmeter.yaml</c> applies to costs already imported.
/// </summary>
public sealed record WorkloadDimension : Dimension
{
    public const string Name = "category";

    public static readonly WorkloadDimension Instance = new();

    private WorkloadDimension()
    {
    }

    public override string Label => Name;
}

/// <summary>What a category rule can look at: line item columns, and whether the line item is tagged with a run.</summary>
public enum CategoryField
{
    /// <summary><c>ProviderName</c>.</summary>
    Provider,

    /// <summary><c>ServiceName</c>.</summary>
    Service,

    /// <summary><c>ServiceCategory</c>.</summary>
    ServiceCategory,

    /// <summary><c>ResourceType</c>.</summary>
    ResourceType,

    /// <summary><c>SkuId</c>.</summary>
    Sku,

    /// <summary>The provider's usage type (<c>x_UsageType</c> of AWS: <c>USE1-Train:ml.p4d.24xlarge</c>).</summary>
    UsageType,

    /// <summary><c>ChargeDescription</c> (Google's SKU description, AWS's line item description).</summary>
    Description,

    /// <summary>The value of the first run tag the line item carries (<c>experiment</c>, <c>run</c>, <c>run_id</c>).</summary>
    Run,
}

/// <summary>
/// One rule: when every field matches its pattern, the line item is <see cref="Category"/>. A pattern is one or more
/// alternatives separated by <c>|</c>, each a case-insensitive glob where <c>*</c> is any text; an absent value matches
/// no pattern.
/// </summary>
public sealed record CategoryRule(string Category, IReadOnlyDictionary<CategoryField, string> Match)
{
    public bool Matches(IReadOnlyDictionary<CategoryField, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (field, pattern) in Match)
        {
            if (values.GetValueOrDefault(field) is not { } value || !Glob(pattern, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rule as the README writes it: <c>usage_type ~ *Train* → training</c>.</summary>
    public string Describe() =>
        string.Join(" and ", Match.Select(m => $"{WorkloadCategories.FieldName(m.Key)} ~ {m.Value}")) + " → " + Category;

    private static bool Glob(string pattern, string value)
    {
        foreach (var alternative in pattern.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (GlobOne(alternative.AsSpan(), value.AsSpan()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool GlobOne(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.Equals(value, StringComparison.OrdinalIgnoreCase);
        }

        var head = pattern[..star];
        if (!value.StartsWith(head, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        var tail = value[head.Length..];
        if (rest.IsEmpty)
        {
            return true;
        }

        for (var i = 0; i <= tail.Length; i++)
        {
            if (GlobOne(rest, tail[i..]))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// How line items are classified into the seed's workload categories: a tag when present (<see cref="TagKeys"/>, by
/// default <c>workload</c> then <c>category</c>), else the first rule that matches (the configured rules before
/// <see cref="DefaultRules"/>), else <c>other</c>. Pure: the store groups costs by the few fields the rules read, and
/// each group is classified here, as tags are resolved.
/// </summary>
public sealed class WorkloadCategories
{
    public const string Training = "training";
    public const string Inference = "inference";
    public const string Storage = "storage";
    public const string DataTransfer = "data_transfer";
    public const string Other = "other";

    /// <summary>The seed's categories; imported costs add theirs (personnel, data_labelling, ...).</summary>
    public static readonly IReadOnlyList<string> Seed = [Training, Inference, Storage, DataTransfer, Other];

    public static readonly IReadOnlyList<string> DefaultTagKeys = ["workload", "category"];

    public static readonly IReadOnlyList<string> DefaultRunTagKeys = ["experiment", "run", "run_id", "mlflow_run_id"];

    private static readonly char[] Separators = [' ', '-', '_'];

    private const string Transfer = "*DataTransfer*|*-Out-Bytes*|*-In-Bytes*|*InterZone*|*Inter-Zone*|*Egress*";
    private const string ComputeOrMl = "Compute|AI and Machine Learning";

    /// <summary>
    /// The default rules, in order (the README lists them): transfer first (a transfer is billed under the service it
    /// leaves from), then what names training and serving outright (SageMaker's Train and Host usage types, Vertex AI
    /// training and prediction SKUs, Azure ML and endpoint meters, LLM token SKUs), then compute tagged with a run,
    /// then storage.
    /// </summary>
    public static readonly IReadOnlyList<CategoryRule> DefaultRules =
    [
        Rule(DataTransfer, (CategoryField.UsageType, Transfer)),
        Rule(DataTransfer, (CategoryField.Sku, Transfer)),
        Rule(DataTransfer, (CategoryField.Service, "*Data Transfer*|Bandwidth|Networking|Cloud CDN|Amazon CloudFront")),
        Rule(DataTransfer, (CategoryField.Description, "*data transfer*|*egress*|*inter zone*|*inter-zone*|*between availability zones*|*bandwidth*")),
        Rule(Training, (CategoryField.UsageType, "*Train*|*Notebk*|*Notebook*")),
        Rule(Training, (CategoryField.Sku, "*-Train:*|*Training*|*Notebk*|*Notebook*")),
        Rule(Training, (CategoryField.ResourceType, "*Training*|*Notebook*")),
        Rule(Training, (CategoryField.Description, "*training*|*notebook*|*fine-tun*|*customization*")),
        Rule(Inference, (CategoryField.UsageType, "*Host:*|*Hosting*|*Inference*|*Tokens*")),
        Rule(Inference, (CategoryField.Sku, "*Host:*|*Hosting*|*Inference*|*Tokens*")),
        Rule(Inference, (CategoryField.ResourceType, "*Endpoint*|Foundation Model|Model deployment")),
        Rule(Inference, (CategoryField.Description, "*inference*|*hosting*|*endpoint*|*prediction*|*tokens*")),
        Rule(Inference, (CategoryField.Service, "Amazon Bedrock|*OpenAI*|Cognitive Services|Azure AI services|OpenAI|Anthropic")),
        Rule(Training, (CategoryField.ServiceCategory, ComputeOrMl), (CategoryField.Run, "*")),
        Rule(Storage, (CategoryField.ServiceCategory, "Storage")),
        Rule(Storage, (CategoryField.UsageType, "*TimedStorage*|*EBS:*|*Storage*")),
        Rule(Storage, (CategoryField.Service, "*Storage*|Amazon Simple Storage Service|Amazon Elastic File System|Amazon S3*")),
    ];

    public WorkloadCategories(IReadOnlyList<string>? tagKeys = null, IReadOnlyList<string>? runTagKeys = null, IReadOnlyList<CategoryRule>? rules = null)
    {
        TagKeys = tagKeys ?? DefaultTagKeys;
        RunTagKeys = runTagKeys ?? DefaultRunTagKeys;
        ConfiguredRules = rules ?? [];
        Rules = [.. ConfiguredRules, .. DefaultRules];
    }

    public static WorkloadCategories Default { get; } = new();

    /// <summary>Tag keys whose value is the category (the first present wins).</summary>
    public IReadOnlyList<string> TagKeys { get; }

    /// <summary>Tag keys that mark a line item as part of a run or experiment.</summary>
    public IReadOnlyList<string> RunTagKeys { get; }

    /// <summary>The rules of <c>modelmeter.yaml</c>, checked before the defaults.</summary>
    public IReadOnlyList<CategoryRule> ConfiguredRules { get; }

    public IReadOnlyList<CategoryRule> Rules { get; }

    /// <summary>The line item columns the rules read, in <see cref="CategoryField"/> order (the run tag aside).</summary>
    public static readonly IReadOnlyList<(CategoryField Field, string Column)> Columns =
    [
        (CategoryField.Provider, "ProviderName"), (CategoryField.Service, "ServiceName"), (CategoryField.ServiceCategory, "ServiceCategory"),
        (CategoryField.ResourceType, "ResourceType"), (CategoryField.Sku, "SkuId"), (CategoryField.UsageType, "x_UsageType"),
        (CategoryField.Description, "ChargeDescription"),
    ];

    /// <summary>
    /// The category of a line item: its category tag's value (lower case, spaces and hyphens as <c>_</c>) when it has
    /// one, else the first matching rule's, else <c>other</c>.
    /// </summary>
    /// <param name="tag">The value of the first of <see cref="TagKeys"/> present, or null.</param>
    /// <param name="values">The fields the rules read (null where absent).</param>
    public string Classify(string? tag, IReadOnlyDictionary<CategoryField, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!string.IsNullOrWhiteSpace(tag))
        {
            return Normalize(tag);
        }

        foreach (var rule in Rules)
        {
            if (rule.Matches(values))
            {
                return rule.Category;
            }
        }

        return Other;
    }

    /// <summary>
    /// The category of a group of line items from its columns and its tags (the one classifier both the report's groups
    /// and the allocated view's rows go through): the first of <see cref="TagKeys"/> it carries, else the rules, with
    /// the first of <see cref="RunTagKeys"/> it carries as <see cref="CategoryField.Run"/>.
    /// </summary>
    /// <param name="columns">The values of <see cref="Columns"/> (null or absent where the line item has none).</param>
    /// <param name="tag">A tag's value by its key as configured, or null when the group does not carry it.</param>
    public string Classify(IReadOnlyDictionary<CategoryField, string?> columns, Func<string, string?> tag)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(tag);
        var values = new Dictionary<CategoryField, string?>(columns)
        {
            [CategoryField.Run] = RunTagKeys.Select(tag).FirstOrDefault(v => v is not null),
        };
        return Classify(TagKeys.Select(tag).FirstOrDefault(v => v is not null), values);
    }

    /// <summary><c>Data Transfer</c> → <c>data_transfer</c>.</summary>
    public static string Normalize(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        return string.Join('_', category.Trim().ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The field as <c>modelmeter.yaml</c> names it.</summary>
    public static string FieldName(CategoryField field) => field switch
    {
        CategoryField.Provider => "provider",
        CategoryField.Service => "service",
        CategoryField.ServiceCategory => "service_category",
        CategoryField.ResourceType => "resource_type",
        CategoryField.Sku => "sku",
        CategoryField.UsageType => "usage_type",
        CategoryField.Description => "description",
        _ => "run",
    };

    /// <summary>A field by its <c>modelmeter.yaml</c> name, or a <see cref="UserInputException"/> naming the valid ones.</summary>
    public static CategoryField ParseField(string name, string place)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var field in Enum.GetValues<CategoryField>())
        {
            if (string.Equals(FieldName(field), name, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        throw new UserInputException(
            $"{place}: '{name}' is not a field a category rule can match; use {string.Join(", ", Enum.GetValues<CategoryField>().Select(FieldName))}.");
    }

    private static CategoryRule Rule(string category, params (CategoryField Field, string Pattern)[] match) =>
        new(category, match.ToDictionary(m => m.Field, m => m.Pattern));
}
