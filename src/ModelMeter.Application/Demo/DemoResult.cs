using ModelMeter.Application.Attribution;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;

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
    /// <summary>Each planted waste with the rule that should find it and the monthly saving it should yield (what <c>recommend</c> finds).</summary>
    public IReadOnlyList<Import.Demo.DemoPlantedSaving> PlantedSavings { get; init; } = [];

    /// <summary>The imports of the generated files; null with <c>--generate-only</c>.</summary>
    public DemoImports? Imports { get; init; }

    /// <summary>The ML sources written beside the bill and imported (serving usage, business metrics, LLM calls, mlruns); null when not imported.</summary>
    public Import.Demo.DemoMlSummary? MlSources { get; init; }

    /// <summary>The overview of the imported month; null with <c>--generate-only</c> or when the import was refused.</summary>
    public DemoFigures? Figures { get; init; }

    /// <summary>The history before (and after) the month, for forecasts and anomalies; null with <c>--generate-only</c>.</summary>
    public DemoHistory? History { get; init; }

    /// <summary>The import of the month's costs outside the cloud bill (by default; null with <c>--no-costs</c>).</summary>
    public ImportBillingExportResult? InternalCosts { get; init; }

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

/// <summary>The overview of the imported month the demo prints, from the same use cases as the commands.</summary>
/// <param name="CostByTeam">What <c>report --by tag:team</c> shows.</param>
/// <param name="CostByServiceCategory">What <c>report --by ServiceCategory</c> shows.</param>
/// <param name="DailyTrend">What <c>report --grain day</c> shows.</param>
/// <param name="TagCompliance">What <c>tags</c> shows under the demo's (or the user's) policy.</param>
/// <param name="Hierarchy">What <c>report --by hierarchy --depth 2</c> shows.</param>
/// <param name="Showback">What <c>allocate</c> shows, checked against the report's total (its <c>conservation</c>).</param>
public sealed record DemoFigures(
    CostReport CostByTeam,
    CostReport CostByServiceCategory,
    CostReport DailyTrend,
    TagComplianceResult TagCompliance,
    HierarchyReport Hierarchy,
    ShowbackReport Showback);

/// <summary>The demo's daily history (<c>--months N</c>): the file, its days, what was planted in it and its import.</summary>
/// <param name="File">The FOCUS file of the history (absolute path); null when there were no days to write.</param>
/// <param name="Planted">The anomalies planted in the history and the demo month (what <c>anomalies</c> should find).</param>
/// <param name="LevelShift">The planned level shift, in a sentence.</param>
/// <param name="LabelsFile">The planted anomalies as <c>start,end,scope,cause</c> for <c>anomalies --labels</c>.</param>
/// <param name="Import">The history file's import; null when there was no file.</param>
public sealed record DemoHistory(
    string? File,
    long LineItems,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<ModelMeter.Import.Demo.PlantedAnomaly> Planted,
    string? LevelShift,
    string LabelsFile,
    ImportFocusResult? Import);
