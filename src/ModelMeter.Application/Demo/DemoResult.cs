using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;

namespace ModelMeter.Application.Demo;

/// <summary>
/// What <c>modelmeter demo</c> built and found: the generated month, its imports, and the overview figures. Not (yet)
/// a JSON document: its attribution figures are the Core types the tags and allocation views compute, until those
/// views have documents of their own.
/// </summary>
/// <param name="Month">The month generated (its first day).</param>
/// <param name="Seed">The random seed: the same seed gives the same file, row for row.</param>
/// <param name="FocusFile">The FOCUS file written (absolute path).</param>
/// <param name="LineItems">Line items in it.</param>
/// <param name="BilledTotal">Its <c>BilledCost</c> total, in <see cref="Currency"/>.</param>
/// <param name="Currency">The demo's billing currency.</param>
/// <param name="PlantedWaste">The waste planted in the month, each in a sentence (what the recommendations should find).</param>
/// <param name="GenerationTime">How long writing the file took.</param>
/// <param name="Store">The store imported into; null with <c>--generate-only --out</c>, which touches no store.</param>
public sealed record DemoResult(
    DateOnly Month,
    int Seed,
    string FocusFile,
    long LineItems,
    decimal BilledTotal,
    string Currency,
    IReadOnlyList<string> PlantedWaste,
    TimeSpan GenerationTime,
    string? Store)
{
    /// <summary>The imports of the generated files; null with <c>--generate-only</c>.</summary>
    public DemoImports? Imports { get; init; }

    /// <summary>The overview of the imported month; null with <c>--generate-only</c> or when the import was refused.</summary>
    public DemoFigures? Figures { get; init; }

    /// <summary>Notes for the person asking (the allocation's first warnings), shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The demo's files beside the FOCUS file, and their imports through <c>import focus</c> and <c>import usage</c>.</summary>
/// <param name="UsageFile">The shared GPU cluster's job log (absolute path).</param>
/// <param name="UsageJobs">Jobs in it.</param>
/// <param name="GpuHours">GPU-hours the jobs used.</param>
/// <param name="CapacityGpuHours">GPU-hours the cluster could give in the month.</param>
/// <param name="ConfigFile">The demo's tag policy and allocation rules (absolute path).</param>
/// <param name="Focus">The FOCUS file's import.</param>
/// <param name="FocusImportTime">How long that import took.</param>
/// <param name="Usage">The job log's import; null when the FOCUS import was refused.</param>
/// <param name="UsesOwnConfig">The figures use the user's config (<c>--config</c> or <c>./modelmeter.yaml</c>), not the demo's.</param>
public sealed record DemoImports(
    string UsageFile,
    int UsageJobs,
    decimal GpuHours,
    decimal CapacityGpuHours,
    string ConfigFile,
    ImportFocusResult Focus,
    TimeSpan FocusImportTime,
    ImportUsageResult? Usage,
    bool UsesOwnConfig);

/// <summary>The demo month's overview.</summary>
/// <param name="CostByTeam">EffectiveCost by <c>tag:team</c>, the 8 largest (as <c>report</c> gives it).</param>
/// <param name="CostByServiceCategory">EffectiveCost by <c>ServiceCategory</c>, the 8 largest.</param>
/// <param name="DailyTrend">EffectiveCost per day.</param>
/// <param name="TagCompliance">Tag compliance per currency under the policy, with the 5 largest untagged resources.</param>
/// <param name="Hierarchy">The cost hierarchy per currency, two levels deep.</param>
/// <param name="Showback">The showback statements (allocated cost per target of the first rule's dimension, else team).</param>
/// <param name="ShowbackBilled">The billed totals the allocation started from, per currency.</param>
/// <param name="Check">Per currency, the allocated total beside the report's total: every cent of the bill is allocated somewhere.</param>
public sealed record DemoFigures(
    CostReport CostByTeam,
    CostReport CostByServiceCategory,
    CostReport DailyTrend,
    IReadOnlyList<TagComplianceReport> TagCompliance,
    IReadOnlyList<HierarchyTree> Hierarchy,
    IReadOnlyList<Statement> Showback,
    IReadOnlyDictionary<string, decimal> ShowbackBilled,
    IReadOnlyList<AllocationCheck> Check);

/// <summary>The conservation check of one currency: what was allocated against what <c>report</c> sums.</summary>
public sealed record AllocationCheck(string Currency, decimal Allocated, decimal Reported)
{
    /// <summary>Equal to the last digit.</summary>
    public bool Balances => Allocated == Reported;
}
