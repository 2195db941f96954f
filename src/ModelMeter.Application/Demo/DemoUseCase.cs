using System.Globalization;
using System.Text;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;
using ModelMeter.Import.Demo;

namespace ModelMeter.Application.Demo;

/// <summary>A <c>demo</c>: which month, how big, where it goes.</summary>
public sealed record DemoRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>The same seed gives the same month, row for row.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The month to generate, <c>YYYY-MM</c>; default last month (on the environment's clock).</summary>
    public string? Month { get; init; }

    /// <summary>Add batch-inference workers until the month has about this many line items (for benchmarks).</summary>
    public long? Rows { get; init; }

    /// <summary>Where to write the FOCUS file (default <c>demo/focus-&lt;month&gt;.csv</c> beside the store).</summary>
    public string? Out { get; init; }

    /// <summary>Write the FOCUS file only: no import, no figures (and with <see cref="Out"/>, no store at all).</summary>
    public bool GenerateOnly { get; init; }

    /// <summary>Months of history ending with the demo month (default 4; 1 for the month alone), for forecasts and anomalies.</summary>
    public int Months { get; init; } = 4;

    /// <summary>
    /// Also write and import the month's costs outside the cloud bill (personnel, labelling, data, licences,
    /// monitoring: <c>demo/costs-&lt;month&gt;.csv</c>, amortised daily), after the figures, for <c>tco</c> and
    /// <c>report --by category</c>; on by default (<c>--no-costs</c> leaves them out).
    /// </summary>
    public bool Costs { get; init; } = true;
}

/// <summary>
/// Builds a realistic month of ML cloud spend for "Acme ML" (FOCUS line items, the shared GPU cluster's job log and
/// the demo's tag policy and allocation rules), imports it through the same use cases a user's files go through, and
/// computes the overview: cost by team and service category, the daily trend, tag compliance, the hierarchy, the
/// showback statements and the check that the allocated total equals the bill.
/// </summary>
public sealed class DemoUseCase(
    StoreProvider stores,
    ModelMeterEnvironment environment,
    ImportFocusUseCase importFocus,
    ImportUsageUseCase importUsage,
    Usage.ImportMetricsUseCase importMetrics,
    Usage.ImportLlmUsageUseCase importLlm,
    Runs.ImportMlflowUseCase importMlflow,
    ImportCostsUseCase importCosts,
    ReportUseCase report,
    TagsUseCase tags,
    AllocationUseCase allocation)
{
    private const string Currency = "USD";

    /// <summary>Largest groups shown per cost table.</summary>
    private const int Top = 8;

    /// <param name="request">What to build.</param>
    /// <param name="progress">How far the demo is, 0 to 1 (writing, then importing, then the figures).</param>
    /// <param name="cancellationToken">Stops the import; nothing is written to the store.</param>
    public DemoResult Run(DemoRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Rows is <= 0)
        {
            throw new UserInputException("--rows must be positive.");
        }

        var now = environment.UtcNow;
        var month = request.Month is null
            ? new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-1)
            : ReportArguments.ParseMonth(request.Month, "--month");
        if (request.Months is < 1 or > 36)
        {
            throw new UserInputException("--months must be 1 to 36.");
        }

        var options = new DemoOptions
        {
            Month = DateOnly.FromDateTime(month), Seed = request.Seed, Rows = request.Rows, Months = request.Months, Through = environment.Today.AddDays(-1),
        };

        // Only the file is wanted and its place is named: no store is located, opened or created.
        var writesOnlyFile = request.GenerateOnly && request.Out is not null;
        var storeLocation = writesOnlyFile ? null : stores.Locate(request.Store);
        var storeCreated = false;
        if (storeLocation is not null && !request.GenerateOnly)
        {
            // Opened before generating: fails early (before a long generation) when another process holds the store.
            using var opened = stores.Open(request.Store, StoreAccess.Write);
            storeCreated = opened.Created;
        }

        // Beside a DuckDB file; for a server store, in the working folder's .modelmeter.
        var demoFolder = storeLocation is null ? null : Path.Combine(storeLocation.Folder ?? environment.ResolvePath(".modelmeter"), "demo");
        var focusFile = request.Out is null
            ? Path.Combine(demoFolder!, string.Create(CultureInfo.InvariantCulture, $"focus-{month:yyyy-MM}.csv"))
            : environment.ResolvePath(request.Out);
        var started = environment.Clock.GetTimestamp();
        var billing = Write(focusFile, writer => DemoBillingGenerator.Write(writer, options));
        var result = new DemoResult(
            options.Month, request.Seed, focusFile, billing.Rows, billing.BilledTotal, Currency, billing.PlantedWaste,
            environment.Clock.GetElapsedTime(started), storeLocation?.Target)
        {
            PlantedSavings = billing.PlantedSavings,
        };
        progress?.Report(0.3);
        if (request.GenerateOnly)
        {
            return result;
        }

        // The shared GPU cluster's job log (the usage driver) beside the FOCUS file, and the demo's policy and rules,
        // whose store.path (../meter.duckdb) is relative to the file, so it always sits in the store's demo folder.
        var usageFile = Path.Combine(Path.GetDirectoryName(focusFile)!, string.Create(CultureInfo.InvariantCulture, $"usage-{month:yyyy-MM}.csv"));
        var usage = Write(usageFile, writer => DemoUsageGenerator.Write(writer, options));
        var demoConfig = Path.Combine(demoFolder!, DemoPolicy.FileName);
        Write(demoConfig, writer =>
        {
            writer.Write(DemoPolicy.Yaml);
            return true;
        });

        // Through the user's import path, into the store located above.
        var store = request.Store with { Store = storeLocation!.Target };
        started = environment.Clock.GetTimestamp();
        var focus = importFocus.Run(
            new ImportFocusRequest { Store = store, Paths = [focusFile] },
            progress is null ? null : new Scaled(progress, 0.3, 0.5),
            cancellationToken);
        var focusTime = environment.Clock.GetElapsedTime(started);
        var ownConfig = stores.Configs.HasConfig(request.Store.Config);
        if (focus.Outcome == ImportOutcome.Refused)
        {
            if (storeCreated)
            {
                stores.Factory.Discard(storeLocation);
            }

            return result with { Imports = new DemoImports(usageFile, usage.Lines, usage.GpuHours, usage.CapacityGpuHours, demoConfig, focus, focusTime, null, ownConfig) };
        }

        var history = History(options, Path.GetDirectoryName(focusFile)!, store, cancellationToken);

        // The working folder's modelmeter.yaml (or --config) when there is one, else the demo's policy and rules.
        var attributionConfig = ownConfig ? request.Store.Config : demoConfig;
        var usageImport = importUsage.Run(new ImportUsageRequest { Store = store with { Config = attributionConfig }, Path = usageFile });

        // What the ML system did, beside the bill: serving usage and GPU utilisation, business metrics, LLM calls, MLflow runs.
        var ml = DemoMlSources.Write(demoFolder!, options);
        var mlStore = store with { Config = attributionConfig };
        importUsage.Run(new ImportUsageRequest { Store = mlStore, Path = ml.ServingFile });
        importMetrics.Run(new Usage.ImportMetricsRequest { Store = mlStore, Path = ml.MetricsFile });
        importLlm.Run(new Usage.ImportLlmUsageRequest { Store = mlStore, Path = ml.LlmFile });

        // The file store is read synchronously; the use case is async for the REST API only.
        importMlflow.RunAsync(new Runs.ImportMlflowRequest { Store = mlStore, Path = ml.MlrunsFolder }, cancellationToken).GetAwaiter().GetResult();
        progress?.Report(0.85);
        var (figures, warnings) = Figures(store, attributionConfig, month);

        // Costs outside the bill come after the figures, which are the cloud bill's (and its allocation) alone.
        ImportBillingExportResult? costs = null;
        if (request.Costs)
        {
            var costsFile = Path.Combine(demoFolder!, string.Create(CultureInfo.InvariantCulture, $"costs-{month:yyyy-MM}.csv"));
            Write(costsFile, writer =>
            {
                writer.Write(DemoInternalCosts.Csv(options.Month));
                return true;
            });
            costs = importCosts.Run(new ImportCostsRequest { Import = new ImportBillingExportRequest { Store = mlStore, Paths = [costsFile] }, Amortise = true }, null, cancellationToken);
        }

        progress?.Report(1.0);
        return result with
        {
            InternalCosts = costs,
            Imports = new DemoImports(usageFile, usage.Lines, usage.GpuHours, usage.CapacityGpuHours, demoConfig, focus, focusTime, usageImport, ownConfig),
            MlSources = ml,
            Figures = figures,
            History = history,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// The months before the demo month and this month up to yesterday at daily grain, with the planted anomalies
    /// and their labels file, imported like any FOCUS file; null with <c>--months 1</c> and nothing after the month.
    /// </summary>
    private DemoHistory? History(DemoOptions options, string folder, StoreOptions store, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "focus-history.csv");
        var summary = Write(file, writer => DemoHistoryGenerator.Write(writer, options));
        var labels = Path.Combine(folder, "anomalies-planted.csv");
        Write(labels, writer =>
        {
            writer.Write(DemoHistoryGenerator.LabelsCsv(summary.Planted));
            return true;
        });
        if (summary.Rows == 0)
        {
            File.Delete(file);
            return new DemoHistory(null, 0, null, null, summary.Planted, summary.LevelShift, labels, null);
        }

        var import = importFocus.Run(new ImportFocusRequest { Store = store, Paths = [file] }, null, cancellationToken);
        return new DemoHistory(file, summary.Rows, summary.From, summary.To, summary.Planted, summary.LevelShift, labels, import);
    }

    private (DemoFigures Figures, IReadOnlyList<string> Warnings) Figures(StoreOptions store, string? attributionConfig, DateTime month)
    {
        var text = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var byTeam = report.Run(new ReportRequest { Store = store, Query = new CostQueryText { By = "tag:team", Month = text }, Top = Top });
        var byCategory = report.Run(new ReportRequest { Store = store, Query = new CostQueryText { By = "ServiceCategory", Month = text }, Top = Top });
        var daily = report.Run(new ReportRequest { Store = store, Query = new CostQueryText { Grain = "day", Month = text } });

        // The attribution figures come from the use cases `tags`, `report --by hierarchy` and `allocate` run, on the
        // month and the config the demo chose.
        var theMonth = new CostQueryText { Month = text };
        var attribution = store with { Config = attributionConfig };
        var compliance = tags.Run(new TagsRequest { Store = attribution, Query = theMonth, Top = 5 });
        var hierarchy = allocation.Hierarchy(new HierarchyRequest { Store = attribution, Query = theMonth, Depth = 2 });
        var allocated = allocation.Run(new AllocationRequest { Store = attribution, Query = theMonth });
        var showback = allocated.Showback!;

        // The check a FinOps lead asks first: every cent of the bill, as `report` sums it, is allocated somewhere.
        showback = showback with { BilledTotals = daily.Totals, Conservation = ConservationCheck.Of(showback.Totals, daily.Totals) };
        return (new DemoFigures(byTeam, byCategory, daily, compliance, hierarchy, showback), allocated.Warnings.Take(3).ToList());
    }

    private static T Write<T>(string path, Func<TextWriter, T> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        return write(writer);
    }

    /// <summary>A step's progress (0 to 1) as its part of the whole.</summary>
    private sealed class Scaled(IProgress<double> whole, double start, double length) : IProgress<double>
    {
        public void Report(double value) => whole.Report(start + (length * Math.Clamp(value, 0, 1)));
    }
}
