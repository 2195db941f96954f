using System.Globalization;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;

namespace ModelMeter.Import.Mlflow;

/// <summary>What an MLflow reader found: the runs of the experiments asked for, and what it skipped and why.</summary>
/// <param name="Source">The tracking URI, folder or database read.</param>
/// <param name="Experiments">Every active experiment the source has (name), to name them when one asked for is missing.</param>
public sealed record MlflowRead(string Source, IReadOnlyList<TrackedRun> Runs, IReadOnlyList<string> Experiments, IReadOnlyList<string> Warnings);

/// <summary>Rules the three MLflow readers share, so the REST API, the file store and SQLite give the same runs.</summary>
internal static class MlflowRules
{
    /// <summary>The lifecycle stage of runs and experiments that are not deleted (MLflow's default view, ACTIVE_ONLY).</summary>
    public const string Active = "active";

    /// <summary>
    /// MLflow's latest value of a metric among its history: the largest (step, timestamp, value), as its stores keep
    /// <c>latest_metrics</c> and the file store's <c>_get_metric_from_file</c> picks it. NaN is the smallest value.
    /// </summary>
    public static RunMetric Latest(IEnumerable<RunMetric> history) =>
        history.OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ThenBy(m => double.IsNaN(m.Value) ? double.NegativeInfinity : m.Value).Last();

    /// <summary>Keeps the experiments asked for (all when none), refusing a name the source does not have.</summary>
    public static HashSet<string>? Wanted(IReadOnlyList<string> experiments, IReadOnlyCollection<string> available, string source)
    {
        if (experiments.Count == 0)
        {
            return null;
        }

        var missing = experiments.Where(e => !available.Contains(e, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new UserInputException(
                $"{source}: no active experiment named {string.Join(", ", missing.Select(m => $"'{m}'"))}; it has: {(available.Count == 0 ? "none" : string.Join(", ", available.Order(StringComparer.Ordinal)))}.");
        }

        return experiments.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A double as MLflow's Python writes and reads it: <c>nan</c>, <c>inf</c>, <c>-inf</c>, <c>1e-05</c>, <c>0.25</c>.</summary>
    public static bool TryParseDouble(string text, out double value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "nan": value = double.NaN; return true;
            case "inf" or "infinity" or "+inf": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>The last millisecond since the epoch that is still a DateTime (9999-12-31T23:59:59.999Z).</summary>
    private static readonly long LastMillisecond = (long)(DateTime.MaxValue - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>
    /// Milliseconds since the epoch as a UTC instant; null for none (and for MLflow's 0, "not set"). A value past year
    /// 9999 (a damaged store, or seconds taken for nanoseconds) is refused naming <paramref name="where"/>.
    /// </summary>
    public static DateTime? Instant(long? milliseconds, string where)
    {
        if (milliseconds is not { } ms || ms <= 0)
        {
            return null;
        }

        return ms <= LastMillisecond
            ? TrackedRun.FromEpochMilliseconds(ms)
            : throw new UserInputException($"{where}: {ms} milliseconds since 1970 is after the year 9999; MLflow writes epoch milliseconds.");
    }

    /// <summary>MLflow stores the run name in <c>mlflow.runName</c> too; older stores only there.</summary>
    public static string? RunName(string? name, IReadOnlyDictionary<string, string> tags) =>
        !string.IsNullOrWhiteSpace(name) ? name : tags.TryGetValue("mlflow.runName", out var tag) && !string.IsNullOrWhiteSpace(tag) ? tag : null;
}
