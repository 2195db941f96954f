#pragma warning disable CA2227 // YAML binding class: YamlDotNet sets these collections.

using ModelMeter.Core.Recommendations;

namespace ModelMeter.Core.Configuration;

/// <summary>The <c>recommendations:</c> section: every threshold of <see cref="RecommendationSettings"/>, absent = its default.</summary>
public sealed class RecommendationsConfig
{
    public int? WindowDays { get; set; }
    public decimal? MonthlyHours { get; set; }
    public decimal? MinSaving { get; set; }
    public decimal? IdleGpuPercent { get; set; }
    public decimal? IdleGpuPeakPercent { get; set; }
    public int? IdleNotifyDays { get; set; }
    public int? IdleStopDays { get; set; }
    public int? StopNoticeDays { get; set; }
    public decimal? LowGpuMeanPercent { get; set; }
    public decimal? LowGpuP95Percent { get; set; }
    public decimal? TargetGpuPercent { get; set; }
    public int? ScaleDownDays { get; set; }
    public decimal? BusyGpuPercent { get; set; }
    public decimal? AlwaysOnShare { get; set; }
    public decimal? MaxBusyShare { get; set; }
    public string? TimeZone { get; set; }
    public Dictionary<string, string>? TeamTimeZones { get; set; }
    public decimal? StorageGrowthPercent { get; set; }
    public int? ColdAfterDays { get; set; }
    public string? ColdTier { get; set; }
    public decimal? RecurringShare { get; set; }
    public List<string>? CrossZoneSkus { get; set; }
    public List<string>? CrossRegionSkus { get; set; }
    public string? OwnerKey { get; set; }
    public int? UntaggedTop { get; set; }
    public string? InterruptibleTag { get; set; }
    public decimal? LatencySlaMs { get; set; }
    public decimal? SmallBatch { get; set; }
    public decimal? TargetBatch { get; set; }
    public decimal? BatchThroughputGain { get; set; }
    public decimal? CommitmentPercentile { get; set; }

    /// <summary><c>exec:</c> the command <c>recommend --exec</c> runs once per action.</summary>
    public RecommendationExecConfig? Exec { get; set; }

    /// <summary>The settings: each value given here, else the default.</summary>
    public RecommendationSettings ToSettings()
    {
        var d = new RecommendationSettings();
        return new RecommendationSettings
        {
            WindowDays = WindowDays ?? d.WindowDays, MonthlyHours = MonthlyHours ?? d.MonthlyHours, MinSaving = MinSaving ?? d.MinSaving,
            IdleGpuPercent = IdleGpuPercent ?? d.IdleGpuPercent, IdleGpuPeakPercent = IdleGpuPeakPercent ?? d.IdleGpuPeakPercent,
            IdleNotifyDays = IdleNotifyDays ?? d.IdleNotifyDays, IdleStopDays = IdleStopDays ?? d.IdleStopDays, StopNoticeDays = StopNoticeDays ?? d.StopNoticeDays,
            LowGpuMeanPercent = LowGpuMeanPercent ?? d.LowGpuMeanPercent, LowGpuP95Percent = LowGpuP95Percent ?? d.LowGpuP95Percent,
            TargetGpuPercent = TargetGpuPercent ?? d.TargetGpuPercent, ScaleDownDays = ScaleDownDays ?? d.ScaleDownDays, BusyGpuPercent = BusyGpuPercent ?? d.BusyGpuPercent,
            AlwaysOnShare = AlwaysOnShare ?? d.AlwaysOnShare, MaxBusyShare = MaxBusyShare ?? d.MaxBusyShare, TimeZone = TimeZone ?? d.TimeZone,
            TeamTimeZones = TeamTimeZones ?? d.TeamTimeZones, StorageGrowthPercent = StorageGrowthPercent ?? d.StorageGrowthPercent,
            ColdAfterDays = ColdAfterDays ?? d.ColdAfterDays, ColdTier = ColdTier ?? d.ColdTier, RecurringShare = RecurringShare ?? d.RecurringShare,
            CrossZoneSkus = CrossZoneSkus ?? d.CrossZoneSkus, CrossRegionSkus = CrossRegionSkus ?? d.CrossRegionSkus,
            OwnerKey = OwnerKey ?? d.OwnerKey, UntaggedTop = UntaggedTop ?? d.UntaggedTop, InterruptibleTag = InterruptibleTag ?? d.InterruptibleTag,
            LatencySlaMs = LatencySlaMs ?? d.LatencySlaMs, SmallBatch = SmallBatch ?? d.SmallBatch, TargetBatch = TargetBatch ?? d.TargetBatch,
            BatchThroughputGain = BatchThroughputGain ?? d.BatchThroughputGain, CommitmentPercentile = CommitmentPercentile ?? d.CommitmentPercentile,
        };
    }
}

/// <summary>
/// <c>recommendations: exec:</c> what <c>recommend --exec</c> runs once per action (through <c>/bin/sh -c</c>, in the
/// config's folder, the action as JSON on stdin). ModelMeter never calls a cloud API itself: this command does.
/// </summary>
public sealed class RecommendationExecConfig
{
    /// <summary>The command line; no default (--exec refuses without one).</summary>
    public string? Command { get; set; }

    /// <summary>Seconds one action may run before it is stopped (default 300).</summary>
    public int? TimeoutSeconds { get; set; }
}
