using System.Globalization;

namespace ModelMeter.Core.Runs;

/// <summary>An MLflow run's status, as MLflow names it (<c>RunStatus</c> in its protos).</summary>
public enum RunStatus
{
    Running,
    Scheduled,
    Finished,
    Failed,
    Killed,
}

/// <summary>MLflow's two spellings of a status: the upper-case name (REST, SQLite) and the integer code (file store).</summary>
public static class RunStatuses
{
    /// <summary>The name MLflow writes: <c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c>, <c>KILLED</c>.</summary>
    public static string ToText(this RunStatus status) => status.ToString().ToUpperInvariant();

    public static bool TryParse(string? text, out RunStatus status)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "RUNNING": status = RunStatus.Running; return true;
            case "SCHEDULED": status = RunStatus.Scheduled; return true;
            case "FINISHED": status = RunStatus.Finished; return true;
            case "FAILED": status = RunStatus.Failed; return true;
            case "KILLED": status = RunStatus.Killed; return true;
            default: status = default; return false;
        }
    }

    /// <summary>The file store's <c>status</c> code in a run's meta.yaml: 1 RUNNING, 2 SCHEDULED, 3 FINISHED, 4 FAILED, 5 KILLED.</summary>
    public static bool TryFromCode(int code, out RunStatus status)
    {
        status = code switch
        {
            1 => RunStatus.Running,
            2 => RunStatus.Scheduled,
            3 => RunStatus.Finished,
            4 => RunStatus.Failed,
            5 => RunStatus.Killed,
            _ => (RunStatus)(-1),
        };
        return (int)status >= 0;
    }

    /// <summary>Runs that ended without a result: their cost is waste.</summary>
    public static bool IsWaste(this RunStatus status) => status is RunStatus.Failed or RunStatus.Killed;

    /// <summary>Runs that have not ended: no end time yet, costed up to the data's end.</summary>
    public static bool IsOpen(this RunStatus status) => status is RunStatus.Running or RunStatus.Scheduled;
}

/// <summary>
/// A run's latest value of a metric, as MLflow keeps it (the value at the largest step, then timestamp, then value).
/// The value is MLflow's double as logged: it may be NaN (the SQL stores keep a separate <c>is_nan</c> flag) or
/// ±1.7976931348623157e308, the SQL stores' stand-in for ±infinity. <see cref="RunMetricValues.Usable"/> says whether a
/// figure may use it.
/// </summary>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
public sealed record RunMetric(string Key, double Value, long Timestamp, long Step);

/// <summary>What a figure may take from a metric value.</summary>
public static class RunMetricValues
{
    /// <summary>
    /// Larger magnitudes are treated as overflow (MLflow's SQL stores write ±double.MaxValue for ±infinity, and a
    /// diverged loss reaches 1e30 long before): such a value is never a gain or a rate in a figure.
    /// </summary>
    public const double OverflowMagnitude = 1e15;

    /// <summary>A finite value of sane magnitude, as a decimal; null for NaN, infinities and overflow.</summary>
    public static decimal? Usable(double value) =>
        double.IsFinite(value) && Math.Abs(value) < OverflowMagnitude ? (decimal)value : null;
}

/// <summary>
/// One MLflow run as the importers read it from any of the three stores (REST API, <c>mlruns</c> folder, SQLite):
/// identity, status, window, and its params, tags and latest metrics.
/// </summary>
/// <param name="RunId">MLflow's run id (<c>run_uuid</c>), unique across experiments.</param>
/// <param name="Source">The tracking URI or path it was read from.</param>
/// <param name="Start">When it started (UTC); null when MLflow has no start time.</param>
/// <param name="End">When it ended (UTC); null while it runs.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
public sealed record TrackedRun(
    string RunId,
    string Source,
    string ExperimentId,
    string ExperimentName,
    string? RunName,
    RunStatus Status,
    DateTime? Start,
    DateTime? End,
    string? UserId,
    string LifecycleStage,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<RunMetric> Metrics)
{
    /// <summary>The tag MLflow sets on a child run (autologging, hyper-parameter searches).</summary>
    public const string ParentRunTag = "mlflow.parentRunId";

    public string? ParentRunId => Tags.TryGetValue(ParentRunTag, out var parent) && !string.IsNullOrWhiteSpace(parent) ? parent.Trim() : null;

    /// <summary>The latest value of a metric, or null when the run did not log it.</summary>
    public RunMetric? Metric(string key) => Metrics.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.Ordinal));

    /// <summary>A param or, failing that, a tag (teams record instance types and estimators either way).</summary>
    public string? ParamOrTag(string key) =>
        Params.TryGetValue(key, out var p) && !string.IsNullOrWhiteSpace(p) ? p.Trim()
        : Tags.TryGetValue(key, out var t) && !string.IsNullOrWhiteSpace(t) ? t.Trim()
        : null;

    /// <summary>Milliseconds since the epoch as a UTC instant (MLflow's times).</summary>
    public static DateTime FromEpochMilliseconds(long milliseconds) => DateTime.UnixEpoch.AddMilliseconds(milliseconds);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RunId} ({ExperimentName}, {Status.ToText()})");
}
