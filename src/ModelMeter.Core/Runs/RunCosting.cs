using System.Globalization;

namespace ModelMeter.Core.Runs;

/// <summary>How a run's cost was found.</summary>
public enum CostBasis
{
    /// <summary>The billed cost of its resource over its window, pro-rated by overlap with each hourly charge.</summary>
    Billed,

    /// <summary>Duration × the catalogue's hourly rate of its instance type × instance count.</summary>
    Estimated,

    /// <summary>No resource in the bill and no known instance type: the cost is not known (never shown as zero).</summary>
    Unknown,
}

/// <summary>A resource's cost in one charge period (from the store), in its billing currency.</summary>
public sealed record HourlyCharge(DateTime Start, DateTime End, string Currency, decimal Cost);

/// <summary>An instance type's price as the catalogue gives it.</summary>
public sealed record HourlyRate(string InstanceType, decimal PerHour, string Currency, string Source);

/// <summary>What costing needs to know about the world: the bill per resource and the catalogue's rates.</summary>
/// <param name="Charges">Charges of each resource a run names, whatever their grain.</param>
/// <param name="Rates">Catalogue rates by instance type (case-insensitive keys).</param>
/// <param name="DataEnd">Where runs without an end are costed up to: the end of the data (billing or the time runs were read).</param>
public sealed record CostingInputs(
    IReadOnlyDictionary<string, IReadOnlyList<HourlyCharge>> Charges,
    IReadOnlyDictionary<string, HourlyRate> Rates,
    DateTime DataEnd);

/// <summary>Where a run's resource, instance type, count and estimator are read from (the <c>runs:</c> section of modelmeter.yaml).</summary>
public sealed record RunKeys
{
    public IReadOnlyList<string> ResourceKeys { get; init; } = ["resource_id", "modelmeter.resource_id"];

    public IReadOnlyList<string> InstanceTypeKeys { get; init; } = ["instance_type", "modelmeter.instance_type"];

    public IReadOnlyList<string> CountKeys { get; init; } = ["instance_count", "num_instances", "modelmeter.instance_count"];

    public IReadOnlyList<string> EstimatorKeys { get; init; } = ["estimator", "estimator_name", "estimator_class", "regressor", "model_type"];

    /// <summary>Experiment name → resource id, for runs that do not name their resource.</summary>
    public IReadOnlyDictionary<string, string> ExperimentResources { get; init; } = new Dictionary<string, string>();
}

/// <summary>One run, costed.</summary>
/// <param name="Window">Its window; null when MLflow has no start time.</param>
/// <param name="Open">It has no end yet and is costed up to the data's end.</param>
/// <param name="CostKey">What its time is paid on (a billed resource, or an estimated instance of its tree): windows
/// with the same key are counted once.</param>
/// <param name="Notes">Why the cost is what it is when it is not plain (a negative window, an unknown instance type ...).</param>
public sealed record CostedRun(
    TrackedRun Run,
    string RootRunId,
    Interval? Window,
    bool Open,
    string? ResourceId,
    string? InstanceType,
    int Count,
    string? Estimator,
    CostBasis Basis,
    decimal? Cost,
    string? Currency,
    string? CostKey,
    IReadOnlyList<string> Notes)
{
    public double? DurationSeconds => Window is { } w ? w.Length.TotalSeconds : null;
}

/// <summary>
/// Costs MLflow runs (pure). A run whose resource the bill has at hourly grain, with charges in its window, costs the
/// billed amount pro-rated by overlap: an hourly charge of 6 USD and a run covering 20 minutes of it adds 2 USD.
/// Otherwise a run with a catalogued instance type costs duration × rate × count, marked <c>estimated</c>; otherwise its
/// cost is unknown. Groups (a run tree, an experiment, a team) are costed on the union of their runs' windows per cost
/// key, so nested and concurrent runs on one resource never pay the same hour twice.
/// </summary>
public static class RunCosting
{
    /// <summary>Finer than this is "hourly grain": a daily or monthly charge cannot say which hours a run used.</summary>
    public static readonly TimeSpan HourlyGrain = TimeSpan.FromHours(1);

    public static IReadOnlyList<CostedRun> Cost(IReadOnlyList<TrackedRun> runs, RunKeys keys, CostingInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(inputs);
        var byId = runs.GroupBy(r => r.RunId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return runs.Select(run => CostOne(run, RootOf(run, byId), keys, inputs)).ToList();
    }

    /// <summary>The top of a run's tree (a parent that is not among the runs ends the walk; a cycle is cut).</summary>
    public static string RootOf(TrackedRun run, IReadOnlyDictionary<string, TrackedRun> byId)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(byId);
        var seen = new HashSet<string>(StringComparer.Ordinal) { run.RunId };
        var current = run;
        while (current.ParentRunId is { } parent && byId.TryGetValue(parent, out var next) && seen.Add(parent))
        {
            current = next;
        }

        return current.RunId;
    }

    /// <summary>
    /// The cost of a group of costed runs, each hour of each cost key paid once: billed keys over the union of the
    /// group's windows on that resource, estimated keys over the union of the tree's windows. Null when a run of the
    /// group has an unknown cost and none is known; amounts are per currency.
    /// </summary>
    public static IReadOnlyDictionary<string, decimal> GroupCost(IEnumerable<CostedRun> group, CostingInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(inputs);
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var byKey in group.Where(r => r.CostKey is not null && r.Window is not null).GroupBy(r => r.CostKey!, StringComparer.Ordinal))
        {
            var union = Intervals.Union(byKey.Select(r => r.Window!.Value));
            var first = byKey.First();
            foreach (var (currency, amount) in CostOver(union, first, inputs))
            {
                totals[currency] = totals.GetValueOrDefault(currency) + amount;
            }
        }

        return totals;
    }

    /// <summary>Wall-clock time of a group: the union of its runs' windows.</summary>
    public static TimeSpan GroupTime(IEnumerable<CostedRun> group) =>
        Intervals.UnionLength(group.Where(r => r.Window is not null).Select(r => r.Window!.Value));

    private static CostedRun CostOne(TrackedRun run, string root, RunKeys keys, CostingInputs inputs)
    {
        var notes = new List<string>();
        var open = run.End is null;
        Interval? window = null;
        if (run.Start is { } start)
        {
            var end = run.End ?? (inputs.DataEnd > start ? inputs.DataEnd : start);
            if (end < start)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"ends ({end:O}) before it starts ({start:O}): counted as no time"));
                end = start;
            }

            window = new Interval(start, end);
            if (open)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"still {run.Status.ToText()}: costed up to the data's end, {end:yyyy-MM-dd HH:mm}Z"));
            }
        }
        else
        {
            notes.Add("no start time in MLflow: no time or cost");
        }

        var resource = First(run, keys.ResourceKeys) ?? keys.ExperimentResources.GetValueOrDefault(run.ExperimentName);
        var instanceType = First(run, keys.InstanceTypeKeys);
        var count = 1;
        if (First(run, keys.CountKeys) is { } countText)
        {
            if (int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                count = parsed;
            }
            else
            {
                notes.Add($"instance count '{countText}' is not a positive whole number: 1 assumed");
            }
        }

        var estimator = EstimatorName(First(run, keys.EstimatorKeys)) ?? SourceName(run);
        var draft = new CostedRun(run, root, window, open, resource, instanceType, count, estimator, CostBasis.Unknown, null, null, null, notes);
        if (resource is not null && inputs.Charges.TryGetValue(resource, out var charges) && window is { } w)
        {
            var hourly = charges.Where(c => c.End - c.Start <= HourlyGrain).ToList();
            if (hourly.Count > 0 && hourly.Any(c => w.Overlap(c.Start, c.End) > TimeSpan.Zero || (w.Length == TimeSpan.Zero && c.Start <= w.Start && w.Start < c.End)))
            {
                var billed = draft with { Basis = CostBasis.Billed, CostKey = "resource:" + resource };
                var cost = CostOver([w], billed, inputs);
                if (cost.Count > 1)
                {
                    notes.Add($"resource {resource} is billed in {string.Join(" and ", cost.Keys)}: shown in {cost.Keys.First()}");
                }

                var (currency, amount) = cost.Count == 0 ? (hourly[0].Currency, 0m) : (cost.First().Key, cost.First().Value);
                return billed with { Cost = amount, Currency = currency };
            }

            notes.Add(hourly.Count == 0
                ? $"resource {resource} is billed coarser than hourly: the run's hours cannot be told apart, estimated instead"
                : $"resource {resource} has no charges in the run's window, estimated instead");
        }

        if (instanceType is not null && inputs.Rates.TryGetValue(instanceType, out var rate))
        {
            var estimated = draft with { Basis = CostBasis.Estimated, CostKey = string.Create(CultureInfo.InvariantCulture, $"estimate:{root}:{rate.InstanceType}:{count}") };
            var amount = window is { } ww ? (decimal)ww.Length.TotalHours * rate.PerHour * count : 0m;
            return estimated with { Cost = amount, Currency = rate.Currency };
        }

        notes.Add(instanceType is null
            ? "no resource in the bill and no instance type (param or tag instance_type): cost unknown"
            : $"instance type '{instanceType}' is not in the price catalogue: cost unknown");
        return draft;
    }

    private static Dictionary<string, decimal> CostOver(IReadOnlyList<Interval> union, CostedRun run, CostingInputs inputs)
    {
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (run.Basis == CostBasis.Billed)
        {
            foreach (var charge in inputs.Charges[run.ResourceId!].Where(c => c.End - c.Start <= HourlyGrain && c.End > c.Start))
            {
                var overlap = union.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.Overlap(charge.Start, charge.End));
                if (overlap > TimeSpan.Zero)
                {
                    // Ticks are exact integers: the share is an exact decimal fraction of the charge.
                    var share = charge.Cost * overlap.Ticks / (charge.End - charge.Start).Ticks;
                    totals[charge.Currency] = totals.GetValueOrDefault(charge.Currency) + share;
                }
            }
        }
        else if (run.Basis == CostBasis.Estimated && inputs.Rates.TryGetValue(run.InstanceType!, out var rate))
        {
            var hours = (decimal)union.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.Length).Ticks / TimeSpan.TicksPerHour;
            totals[rate.Currency] = hours * rate.PerHour * run.Count;
        }

        return totals;
    }

    /// <summary>
    /// An estimator's name from what autologging records: sklearn logs the estimator's repr
    /// (<c>RandomForestRegressor(max_depth=3)</c>, or a project's <c>KIND='Baseline' max_depth=20</c>): its class name is kept.
    /// </summary>
    internal static string? EstimatorName(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var kind = value.IndexOf("KIND='", StringComparison.Ordinal);
        if (kind >= 0 && value.IndexOf('\'', kind + 6) is var close and > 0)
        {
            return value[(kind + 6)..close];
        }

        var cut = value.IndexOfAny(['(', ' ', '\n']);
        var name = (cut > 0 ? value[..cut] : value).Trim();
        return name.Length == 0 ? null : name.Split('.')[^1];
    }

    private static string? First(TrackedRun run, IReadOnlyList<string> keys) =>
        keys.Select(run.ParamOrTag).FirstOrDefault(v => v is not null);

    /// <summary>The script that ran (<c>mlflow.source.name</c>), by its file name, when no estimator is recorded.</summary>
    private static string? SourceName(TrackedRun run) =>
        run.Tags.TryGetValue("mlflow.source.name", out var source) && !string.IsNullOrWhiteSpace(source)
            ? source.Replace('\\', '/').Split('/')[^1]
            : null;
}
