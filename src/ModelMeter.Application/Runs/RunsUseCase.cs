using System.Globalization;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;
using ModelMeter.Store;

namespace ModelMeter.Application.Runs;

/// <summary><c>runs</c>: which runs, how to roll them up, which metrics to judge, and which extras.</summary>
public sealed record RunsRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public IReadOnlyList<string> Experiments { get; init; } = [];

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Last { get; init; }

    public string? Month { get; init; }

    /// <summary><c>experiment</c>, <c>estimator</c>, <c>status</c> or <c>tag:KEY</c>.</summary>
    public string? By { get; init; }

    /// <summary>Metrics to show and judge (training cost efficiency).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    public bool Reconcile { get; init; }

    /// <summary><c>runtime</c>, <c>starts</c> or <c>estimators</c>.</summary>
    public string? Chart { get; init; }
}

/// <summary>
/// Lists MLflow runs with their cost (billed over the run's window when the bill has its resource hourly, else estimated
/// from the catalogue), rolls them up tree-aware (nested runs never counted twice), counts failed and killed runs as
/// waste, judges training cost efficiency per metric point gained, reconciles estimates with the runs tagged with them,
/// and gives the data of the run charts.
/// </summary>
public sealed class RunsUseCase(StoreProvider stores, ModelMeterEnvironment environment, PriceCatalogs catalogs)
{
    /// <summary>The run tag that links a run to a recorded estimate (<c>modelmeter estimate</c> prints the id).</summary>
    public const string EstimateTag = "modelmeter.estimate_id";

    private static readonly string[] Charts = ["runtime", "starts", "estimators"];

    public RunsResult Run(RunsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (from, to) = ReportArguments.ParsePeriod(request.From, request.To, request.Last, request.Month, environment.UtcNow);
        var chart = request.Chart?.Trim().ToLowerInvariant();
        if (chart is not null && !Charts.Contains(chart))
        {
            throw new UserInputException($"--chart '{request.Chart}' is not a run chart; use {string.Join(", ", Charts)}.");
        }

        using var opened = stores.Open(request.Store, StoreAccess.Read, "runs reads the MLflow runs imported into it (modelmeter import mlflow)");
        var config = opened.Config;
        var policy = AttributionSetup.From(config, stores.Configs.BaseDirectory(config)).Policy;
        var groupBy = ParseBy(request.By, policy);
        var goals = request.Metrics.Select(m => Goal(m, config.Runs)).ToList();
        var store = opened.Store;
        var stored = store.QueryRuns(new RunQuery { Experiments = request.Experiments, From = from, To = to });
        if (stored.Count == 0)
        {
            throw new UserInputException(request.Experiments.Count > 0
                ? $"No runs of {string.Join(", ", request.Experiments)} in the store{Period(from, to)}; import them with modelmeter import mlflow."
                : $"No MLflow runs in the store {opened.Location}{Period(from, to)}; import them with modelmeter import mlflow --path ./mlruns (or --tracking-uri).");
        }

        var runs = stored.Select(s => s.Run).ToList();
        var keys = Keys(config.Runs);
        var dataEnd = store.ChargeRange() is { } billing ? billing.Last : stored.Max(s => s.ImportedAt);
        var inputs = Inputs(store, runs, keys, config, dataEnd, from, to);
        var costed = RunCosting.Cost(runs, keys, inputs);
        var warnings = new List<string>();
        var unknown = costed.Count(c => c.Basis == CostBasis.Unknown);
        if (unknown > 0)
        {
            warnings.Add($"{unknown} run(s) have no cost: their resource is not in the bill and they name no catalogued instance type (param or tag instance_type, or runs.resources in modelmeter.yaml).");
        }

        var efficiency = goals.ToDictionary(g => g.Metric, g => RunEfficiency.Evaluate(costed, g).ToDictionary(r => r.RunId, StringComparer.Ordinal), StringComparer.Ordinal);
        var rows = costed.Select(c => Row(c, goals, efficiency)).ToList();
        var byId = costed.ToDictionary(c => c.Run.RunId, StringComparer.Ordinal);
        var groups = groupBy is null
            ? []
            : costed.GroupBy(c => GroupOf(c, groupBy.Value, byId, policy), StringComparer.Ordinal)
                .Select(g => Group(g.Key, g.ToList(), inputs))
                .OrderByDescending(g => g.Cost ?? -1m).ThenBy(g => g.Group, StringComparer.Ordinal)
                .ToList();
        var reconciliation = request.Reconcile ? Reconcile(store.Estimates(), costed, inputs, warnings) : [];
        return new RunsResult(
            from, to, dataEnd, rows, Group("(all)", costed, inputs), groups,
            goals.Select(g => new MetricGoalDocument(g.Metric, g.Direction.ToString().ToLowerInvariant(), g.Point, g.DirectionSource)).ToList(),
            reconciliation, chart is null ? null : Chart(chart, costed, inputs))
        {
            Warnings = warnings,
        };
    }

    internal static RunKeys Keys(RunsConfig config) => new()
    {
        ResourceKeys = config.ResourceKeys ?? new RunKeys().ResourceKeys,
        InstanceTypeKeys = config.InstanceTypeKeys ?? new RunKeys().InstanceTypeKeys,
        CountKeys = config.CountKeys ?? new RunKeys().CountKeys,
        EstimatorKeys = config.EstimatorKeys ?? new RunKeys().EstimatorKeys,
        ExperimentResources = config.Resources,
    };

    private CostingInputs Inputs(ICostStore store, IReadOnlyList<TrackedRun> runs, RunKeys keys, ModelMeterConfig config, DateTime dataEnd, DateTime? from, DateTime? to)
    {
        var resources = runs
            .Select(r => keys.ResourceKeys.Select(r.ParamOrTag).FirstOrDefault(v => v is not null) ?? keys.ExperimentResources.GetValueOrDefault(r.ExperimentName))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var starts = runs.Where(r => r.Start is not null).Select(r => r.Start!.Value).ToList();
        var first = from ?? (starts.Count > 0 ? starts.Min() : dataEnd);
        var last = new[] { to ?? dataEnd, dataEnd, runs.Where(r => r.End is not null).Select(r => r.End!.Value).DefaultIfEmpty(dataEnd).Max() }.Max();
        var charges = store.QueryResourceCharges(resources, first.AddHours(-1), last.AddHours(1), CostMetric.Effective)
            .GroupBy(c => c.ResourceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<HourlyCharge>)g.Select(c => new HourlyCharge(c.Start, c.End, c.Currency, c.Cost)).ToList(), StringComparer.Ordinal);
        var catalog = catalogs.Load(config.SourcePath);
        var rates = catalog.Instances.ToDictionary(i => i.Key, i => new HourlyRate(i.Key, i.OnDemandPerHour, i.Currency, i.Provenance.Source), StringComparer.OrdinalIgnoreCase);
        return new CostingInputs(charges, rates, dataEnd);
    }

    private static MetricGoal Goal(string metric, RunsConfig config)
    {
        if (string.IsNullOrWhiteSpace(metric))
        {
            throw new UserInputException("--metric needs a metric name such as accuracy or rmse.");
        }

        var name = metric.Trim();
        if (config.Metrics.TryGetValue(name, out var configured))
        {
            var direction = configured.Direction?.Trim().ToLowerInvariant() switch
            {
                null => MetricGoal.InferDirection(name),
                "higher" => MetricDirection.Higher,
                "lower" => MetricDirection.Lower,
                var other => throw new UserInputException($"runs.metrics.{name}.direction '{other}' is not higher or lower."),
            };
            var point = configured.Point ?? 1m;
            if (point <= 0)
            {
                throw new UserInputException($"runs.metrics.{name}.point must be positive.");
            }

            return new MetricGoal(name, direction, point, configured.Direction is null ? "inferred from the name" : "config");
        }

        return new MetricGoal(name, MetricGoal.InferDirection(name), 1m, "inferred from the name");
    }

    private enum GroupKind
    {
        Experiment,
        Estimator,
        Status,
        Tag,
    }

    private static (GroupKind Kind, string? Key)? ParseBy(string? by, TagPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            return null;
        }

        var text = by.Trim();
        return text.ToLowerInvariant() switch
        {
            "experiment" => (GroupKind.Experiment, null),
            "estimator" => (GroupKind.Estimator, null),
            "status" => (GroupKind.Status, null),
            _ when text.StartsWith("tag:", StringComparison.OrdinalIgnoreCase) && text.Length > 4 => (GroupKind.Tag, policy.CanonicalKey(text[4..])),
            _ => throw new UserInputException($"--by '{by}' is not a run grouping; use experiment, estimator, status or tag:KEY (tag:team)."),
        };
    }

    /// <summary>A run's group; a child without the tag takes its nearest ancestor's (autologged children carry few tags).</summary>
    private static string GroupOf(CostedRun run, (GroupKind Kind, string? Key) by, Dictionary<string, CostedRun> byId, TagPolicy policy)
    {
        switch (by.Kind)
        {
            case GroupKind.Experiment:
                return run.Run.ExperimentName;
            case GroupKind.Estimator:
                return run.Estimator ?? "(none)";
            case GroupKind.Status:
                return run.Run.Status.ToText();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = run; current is not null && seen.Add(current.Run.RunId);)
        {
            foreach (var (key, value) in current.Run.Tags)
            {
                if (string.Equals(policy.CanonicalKey(key), by.Key, StringComparison.Ordinal) && policy.NormalizeValue(by.Key!, value) is { } normalized)
                {
                    return normalized;
                }
            }

            current = current.Run.ParentRunId is { } parent ? byId.GetValueOrDefault(parent) : null;
        }

        return policy.UntaggedLabel;
    }

    private static RunRow Row(CostedRun c, IReadOnlyList<MetricGoal> goals, Dictionary<string, Dictionary<string, RunMetricResult>> efficiency)
    {
        var metrics = goals.ToDictionary(g => g.Metric, g => efficiency[g.Metric][c.Run.RunId].Value, StringComparer.Ordinal);
        var judged = goals.Select(g => efficiency[g.Metric][c.Run.RunId])
            .Zip(goals, (r, g) => new RunEfficiencyDocument(g.Metric, r.Value, r.Invalid is { } x && double.IsFinite(x) ? x : null, r.PreviousBest, r.Gain, r.CostPerPoint))
            .ToList();
        return new RunRow(
            c.Run.RunId, c.Run.RunName, c.Run.ExperimentName, c.Run.ParentRunId, c.RootRunId, c.Run.Status.ToText(), c.Run.Start, c.Run.End, c.Open,
            c.DurationSeconds, c.Cost, c.Currency, c.Basis.ToString().ToLowerInvariant(), c.ResourceId, c.InstanceType, c.Count, c.Estimator,
            c.Run.ParamOrTag(EstimateTag), metrics, judged, c.Notes);
    }

    internal static RunGroup Group(string name, IReadOnlyList<CostedRun> runs, CostingInputs inputs)
    {
        var cost = RunCosting.GroupCost(runs, inputs);
        var waste = runs.Where(r => r.Run.Status.IsWaste()).ToList();
        var wasteCost = RunCosting.GroupCost(waste, inputs);
        var currency = cost.Keys.FirstOrDefault();
        var bases = runs.Select(r => r.Basis).Where(b => b != CostBasis.Unknown).Distinct().ToList();
        var basis = bases.Count switch
        {
            0 => "unknown",
            1 => bases[0].ToString().ToLowerInvariant(),
            _ => "mixed",
        };
        decimal? total = currency is null ? null : cost[currency];
        decimal? wasted = currency is null ? null : wasteCost.GetValueOrDefault(currency);
        return new RunGroup(
            name,
            runs.Count,
            runs.Select(r => r.RootRunId).Distinct(StringComparer.Ordinal).Count(),
            runs.Count(r => r.Run.Status == RunStatus.Finished),
            runs.Count(r => r.Run.Status == RunStatus.Failed),
            runs.Count(r => r.Run.Status == RunStatus.Killed),
            runs.Count(r => r.Run.Status.IsOpen()),
            RunCosting.GroupTime(runs).TotalSeconds,
            total,
            currency,
            basis,
            runs.Count(r => r.Basis == CostBasis.Unknown),
            waste.Count,
            wasted,
            total is > 0 && wasted is { } w ? w / total.Value : null);
    }

    private static List<EstimateReconciliation> Reconcile(IReadOnlyList<RecordedEstimate> estimates, IReadOnlyList<CostedRun> runs, CostingInputs inputs, List<string> warnings)
    {
        var byId = estimates.ToDictionary(e => e.EstimateId, StringComparer.Ordinal);
        var result = new List<EstimateReconciliation>();
        foreach (var tagged in runs.Where(r => r.Run.ParamOrTag(EstimateTag) is not null).GroupBy(r => r.Run.ParamOrTag(EstimateTag)!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!byId.TryGetValue(tagged.Key, out var estimate))
            {
                warnings.Add($"{tagged.Count()} run(s) are tagged {EstimateTag}={tagged.Key}, which no recorded estimate has; run modelmeter estimate SPEC to record it.");
                continue;
            }

            // The tagged runs and their children: a tuning parent tagged once brings its whole tree.
            var roots = tagged.Select(r => r.RootRunId).ToHashSet(StringComparer.Ordinal);
            var trees = runs.Where(r => roots.Contains(r.RootRunId)).ToList();
            var cost = RunCosting.GroupCost(trees, inputs);
            var actualHours = (decimal)RunCosting.GroupTime(trees).TotalHours;
            decimal? actual = cost.TryGetValue(estimate.Currency, out var a) ? a : null;
            var note = actual is null
                ? cost.Count == 0 ? "the runs' cost is not known" : $"the runs are costed in {string.Join(", ", cost.Keys)}, the estimate in {estimate.Currency}"
                : trees.Any(t => t.Open) ? "some runs are still running: actual so far" : null;
            result.Add(new EstimateReconciliation(
                estimate.EstimateId, estimate.Spec, estimate.Title, trees.Count, estimate.Cost, actual, estimate.Currency,
                actual is { } x && estimate.Cost != 0 ? (x - estimate.Cost) / estimate.Cost : null,
                estimate.Hours, actualHours,
                estimate.Hours is > 0 ? (actualHours - estimate.Hours.Value) / estimate.Hours.Value : null,
                note));
        }

        if (result.Count == 0 && warnings.Count == 0)
        {
            warnings.Add($"No run is tagged {EstimateTag}: tag a run with the id modelmeter estimate prints to compare them.");
        }

        return result;
    }

    private static RunChart Chart(string kind, IReadOnlyList<CostedRun> runs, CostingInputs inputs)
    {
        var trees = runs.GroupBy(r => r.RootRunId, StringComparer.Ordinal).Select(g => (Root: g.First(r => r.Run.RunId == g.Key || r.RootRunId == g.Key), Runs: g.ToList())).ToList();
        var currency = runs.Select(r => r.Currency).FirstOrDefault(c => c is not null);
        var runtime = trees
            .GroupBy(t => t.Root.Run.ExperimentName, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RuntimeStrip(g.Key, g.Select(t => Math.Round(RunCosting.GroupTime(t.Runs).TotalHours, 4)).Order().ToList()))
            .ToList();
        var starts = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach (var (root, treeRuns) in trees)
        {
            var start = treeRuns.Where(r => r.Run.Start is not null).Select(r => r.Run.Start!.Value).DefaultIfEmpty().Min();
            if (start != default)
            {
                starts[((int)start.DayOfWeek + 6) % 7][start.Hour]++;
            }
        }

        var estimators = runs
            .GroupBy(r => r.Estimator ?? "(none)", StringComparer.Ordinal)
            .Select(g => new EstimatorBar(g.Key, g.Count(), RunCosting.GroupCost(g, inputs).Where(c => c.Key == currency).Sum(c => c.Value)))
            .OrderByDescending(e => e.Cost).ThenByDescending(e => e.Runs).ThenBy(e => e.Estimator, StringComparer.Ordinal)
            .ToList();
        var title = kind switch
        {
            "runtime" => "Run time per experiment (hours per run tree)",
            "starts" => "Run starts by weekday and hour (UTC)",
            _ => "Runs and cost per estimator",
        };
        return new RunChart(kind, title, runtime, starts.Select(r => (IReadOnlyList<int>)r).ToList(), estimators, currency);
    }

    private static string Period(DateTime? from, DateTime? to) =>
        from is null && to is null ? "" : string.Create(CultureInfo.InvariantCulture, $" between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}");
}
