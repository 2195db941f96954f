using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelMeter.Store;

/// <summary>What an import brought into the store; its text (<see cref="ImportKinds.ToText"/>) is what stores keep.</summary>
[JsonConverter(typeof(ImportKindJsonConverter))]
public enum ImportKind
{
    /// <summary>FOCUS billing line items (<c>modelmeter import focus</c>).</summary>
    Focus,

    /// <summary>Usage samples that drive allocation (<c>modelmeter import usage</c>).</summary>
    Usage,

    /// <summary>Dated exchange rates (<c>modelmeter import rates</c>).</summary>
    Rates,

    /// <summary>AWS Cost and Usage Reports (CUR 2.0 and legacy) mapped onto FOCUS line items (<c>modelmeter import aws-cur</c>).</summary>
    AwsCur,

    /// <summary>Google Cloud billing exports mapped onto FOCUS line items (<c>modelmeter import gcp-billing</c>).</summary>
    GcpBilling,

    /// <summary>Azure Cost Management exports mapped onto FOCUS line items (<c>modelmeter import azure-cost</c>).</summary>
    AzureCost,

    /// <summary>MLflow runs (<c>modelmeter import mlflow</c>), from the REST API, an mlruns folder or mlflow.db.</summary>
    Mlflow,

    /// <summary>Usage samples pulled from Prometheus (<c>modelmeter import prometheus</c>).</summary>
    Prometheus,

    /// <summary>GPU samples from an nvidia-smi CSV (<c>modelmeter import nvidia-smi</c>).</summary>
    NvidiaSmi,

    /// <summary>Priced LLM API calls (<c>modelmeter import llm-usage</c>).</summary>
    LlmUsage,

    /// <summary>Business metrics: active users, revenue, ... (<c>modelmeter import metrics</c>).</summary>
    Metrics,
}

/// <summary>The text of each import kind: stored in every store's <c>imports</c> and shown by <c>modelmeter imports</c>.</summary>
public static class ImportKinds
{
    // Stores written by earlier versions hold these texts, so a text never changes once shipped. A new kind (AwsCur,
    // GcpBilling, AzureCost, Mlflow, Prometheus, LlmUsage, Metrics, Costs, ...) is its enum member and one line here.
    private static readonly FrozenDictionary<ImportKind, string> Texts = new Dictionary<ImportKind, string>
    {
        [ImportKind.Focus] = "focus",
        [ImportKind.Usage] = "usage",
        [ImportKind.Rates] = "rates",
        [ImportKind.AwsCur] = "aws-cur",
        [ImportKind.GcpBilling] = "gcp-billing",
        [ImportKind.AzureCost] = "azure-cost",
        [ImportKind.Mlflow] = "mlflow",
        [ImportKind.Prometheus] = "prometheus",
        [ImportKind.NvidiaSmi] = "nvidia-smi",
        [ImportKind.LlmUsage] = "llm-usage",
        [ImportKind.Metrics] = "metrics",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ImportKind> ByText = Texts.ToFrozenDictionary(t => t.Value, t => t.Key, StringComparer.Ordinal);

    /// <summary>Every kind with its text, in enum order.</summary>
    public static IReadOnlyList<(ImportKind Kind, string Text)> All { get; } = Texts.OrderBy(t => t.Key).Select(t => (t.Key, t.Value)).ToList();

    /// <summary>
    /// The kinds whose imports hold billing line items. They share one replace key (provider, billing account, billing
    /// period), so an AWS CUR import replaces a FOCUS import of the same AWS account and month, and the other way round.
    /// </summary>
    public static IReadOnlyList<ImportKind> LineItemKinds { get; } = [ImportKind.Focus, ImportKind.AwsCur, ImportKind.GcpBilling, ImportKind.AzureCost];

    public static bool HoldsLineItems(this ImportKind kind) => LineItemKinds.Contains(kind);

    public static string ToText(this ImportKind kind) =>
        Texts.TryGetValue(kind, out var text) ? text : throw new ArgumentOutOfRangeException(nameof(kind), kind, "An import kind without a text.");

    /// <summary>The kind a stored text names, or false for a text this version does not know (a store written by a newer one).</summary>
    public static bool TryParse(string? text, out ImportKind kind) => ByText.TryGetValue(text ?? string.Empty, out kind);
}

/// <summary>Writes and reads an <see cref="ImportKind"/> as its text, so JSON shows what the store holds (<c>"focus"</c>).</summary>
public sealed class ImportKindJsonConverter : JsonConverter<ImportKind>
{
    public override ImportKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ImportKinds.TryParse(reader.GetString(), out var kind)
            ? kind
            : throw new JsonException($"Unknown import kind; expected one of {string.Join(", ", ImportKinds.All.Select(k => k.Text))}.");

    public override void Write(Utf8JsonWriter writer, ImportKind value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToText());
    }
}
