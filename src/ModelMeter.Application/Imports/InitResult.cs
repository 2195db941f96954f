namespace ModelMeter.Application.Imports;

/// <summary>What <c>init</c> did with the config file. In JSON: <c>written</c> or <c>kept</c>.</summary>
public enum ConfigOutcome
{
    /// <summary>There was none: the commented template was written.</summary>
    Written,

    /// <summary>It existed and was left exactly as it was.</summary>
    Kept,
}

/// <summary>The answer of <c>modelmeter init</c>.</summary>
/// <param name="Config">The config file (absolute path).</param>
/// <param name="ConfigOutcome">Whether it was written now or kept as it was.</param>
/// <param name="Store">The store it names (or <c>--store</c>), which now exists.</param>
/// <param name="StoreCreated">The store was created now (false when it already existed).</param>
/// <param name="CostsTemplate">The costs CSV template beside the config (<c>costs.template.csv</c>), for <c>import costs</c>.</param>
/// <param name="CostsTemplateOutcome">Whether the template was written now or an existing file kept.</param>
public sealed record InitResult(string Config, ConfigOutcome ConfigOutcome, string Store, bool StoreCreated, string CostsTemplate, ConfigOutcome CostsTemplateOutcome)
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
