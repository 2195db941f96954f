namespace ModelMeter.Core.Recommendations;

/// <summary>
/// The thresholds the rules use: <c>recommendations:</c> in modelmeter.yaml, each key the snake_case of a property,
/// each default the one documented in the README.
/// </summary>
public sealed record RecommendationSettings
{
    /// <summary>Days of billing and metrics each run looks at, ending with the last billed day.</summary>
    public int WindowDays { get; init; } = 30;

    /// <summary>Hours a month: savings are monthly at the window's hourly rate (730 = 8,760 / 12).</summary>
    public decimal MonthlyHours { get; init; } = 730m;

    /// <summary>Findings saving less than this a month are not listed (<c>--min-saving</c>).</summary>
    public decimal MinSaving { get; init; } = 50m;

    /// <summary>Idle: mean GPU utilisation below this (percent) with no requests and no runs.</summary>
    public decimal IdleGpuPercent { get; init; } = 5m;

    /// <summary>Idle: and no hour's GPU utilisation above this (percent).</summary>
    public decimal IdleGpuPeakPercent { get; init; } = 10m;

    /// <summary>Idle policy: days idle before the owner is notified.</summary>
    public int IdleNotifyDays { get; init; } = 30;

    /// <summary>Idle policy: days idle before a stop is due.</summary>
    public int IdleStopDays { get; init; } = 60;

    /// <summary>Idle policy: days before the stop that it is announced.</summary>
    public int StopNoticeDays { get; init; } = 7;

    /// <summary>Low GPU utilisation: a single instance whose mean is below this (percent) ...</summary>
    public decimal LowGpuMeanPercent { get; init; } = 30m;

    /// <summary>... and whose p95 hourly utilisation is below this (percent).</summary>
    public decimal LowGpuP95Percent { get; init; } = 50m;

    /// <summary>The utilisation a right-sized instance or fleet should run at, at its peak (headroom above it).</summary>
    public decimal TargetGpuPercent { get; init; } = 70m;

    /// <summary>Scale-down: the fleet must have had the same instance count for the last this many days.</summary>
    public int ScaleDownDays { get; init; } = 7;

    /// <summary>Off-hours: an hour of the week counts as busy when GPU utilisation reached this (percent) in it.</summary>
    public decimal BusyGpuPercent { get; init; } = 10m;

    /// <summary>Off-hours: only always-on instances (billed at least this share of the window's hours) ...</summary>
    public decimal AlwaysOnShare { get; init; } = 0.9m;

    /// <summary>... busy in at most this share of the week's 168 hours get a stop schedule.</summary>
    public decimal MaxBusyShare { get; init; } = 0.5m;

    /// <summary>Off-hours: the IANA time zone schedules are written in, unless the team has its own (<see cref="TeamTimeZones"/>).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Team → IANA time zone, for the owner's schedule.</summary>
    public IReadOnlyDictionary<string, string> TeamTimeZones { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Storage: a bucket whose stored GB grew by at least this percent over the window, never shrinking.</summary>
    public decimal StorageGrowthPercent { get; init; } = 5m;

    /// <summary>Storage: data older than this many days moves to the colder tier.</summary>
    public int ColdAfterDays { get; init; } = 30;

    /// <summary>Storage: the catalogue tier it moves to (standard, infrequent-access, archive-instant, deep-archive).</summary>
    public string ColdTier { get; init; } = "archive-instant";

    /// <summary>Transfer: a path billed on at least this share of the window's days is a recurring sync.</summary>
    public decimal RecurringShare { get; init; } = 0.8m;

    /// <summary>SKU fragments that mark transfer between zones of a region.</summary>
    public IReadOnlyList<string> CrossZoneSkus { get; init; } = ["DataTransfer-Regional", "InterZone"];

    /// <summary>SKU fragments that mark transfer between regions.</summary>
    public IReadOnlyList<string> CrossRegionSkus { get; init; } = ["InterRegion", "DataTransfer-xAZ-Region"];

    /// <summary>Untagged: the tag key a resource must have (after the tag policy) to count as allocated.</summary>
    public string OwnerKey { get; init; } = "team";

    /// <summary>Untagged: how many of the largest untagged resources are listed.</summary>
    public int UntaggedTop { get; init; } = 10;

    /// <summary>Spot: a resource tag that marks a workload as safe to interrupt (value <c>true</c>).</summary>
    public string InterruptibleTag { get; init; } = "interruptible";

    /// <summary>
    /// The p99 latency SLA (ms): spot never touches serving measured within it (latency-critical); batching needs the
    /// measured p99 under it (room for the batch wait).
    /// </summary>
    public decimal LatencySlaMs { get; init; } = 200m;

    /// <summary>Batching: serving whose mean batch size is below this (and mean GPU below <see cref="LowGpuMeanPercent"/>) ...</summary>
    public decimal SmallBatch { get; init; } = 4m;

    /// <summary>... batched to this size ...</summary>
    public decimal TargetBatch { get; init; } = 16m;

    /// <summary>... gains this many times the throughput per instance (a conservative share of the batch ratio).</summary>
    public decimal BatchThroughputGain { get; init; } = 2m;

    /// <summary>Commitments: the instances committed are this percentile of the window's days' fewest instances running all day.</summary>
    public decimal CommitmentPercentile { get; init; } = 10m;
}
