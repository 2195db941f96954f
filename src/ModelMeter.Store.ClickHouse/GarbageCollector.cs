using System.Globalization;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Drops, after a commit, the partitions that hold only rows nobody can see any more: a month of an import whose every
/// slice (or metric-day, for usage) a later committed import holds. It waits <see cref="ClickHouseStoreTuning.Grace"/>
/// after the replacing commit, so a query that read the slice holders just before that commit has long finished its
/// scan before the rows it counts on leave the disk. Partially replaced months stay (invisible) until the rest of them
/// is restated too.
/// </summary>
internal sealed class GarbageCollector(ClickHouseCluster cluster, ImportLedger ledger, ClickHouseStoreTuning tuning)
{
    public void Collect()
    {
        var now = cluster.Entry.Query("SELECT now() AS now").Single().Instant("now");
        var commits = ledger.Commits().ToDictionary(c => c.ImportId, c => c.CommittedAt);
        var settled = now - tuning.Grace;
        var dead = new HashSet<(string Table, ImportPartition Partition)>();

        // Line items: slices by month of billing period.
        var slices = ledger.Slices();
        var sliceHolders = slices.GroupBy(s => s.SliceKey).ToDictionary(g => g.Key, g => g.Max(s => s.ImportId));
        foreach (var month in slices.GroupBy(s => (Month: Month(s.BillingPeriodStart), s.ImportId)))
        {
            if (month.All(s => Replaced(sliceHolders[s.SliceKey], s.ImportId, commits, settled)))
            {
                dead.Add(("line_items", new ImportPartition(month.Key.Month, month.Key.ImportId)));
            }
        }

        // Usage: each metric-day with samples, by month.
        var days = ledger.UsageDays();
        var dayHolders = days.GroupBy(d => (d.Metric, d.Day)).ToDictionary(g => g.Key, g => g.Max(d => d.ImportId));
        foreach (var month in days.Where(d => d.Samples > 0).GroupBy(d => (Month: Month(d.Day.ToDateTime(TimeOnly.MinValue)), d.ImportId)))
        {
            if (month.All(d => Replaced(dayHolders[(d.Metric, d.Day)], d.ImportId, commits, settled)))
            {
                dead.Add(("usage_samples", new ImportPartition(month.Key.Month, month.Key.ImportId)));
            }
        }

        if (dead.Count == 0)
        {
            return;
        }

        foreach (var shard in cluster.Shards)
        {
            foreach (var table in Partitions.Tables)
            {
                foreach (var partition in Partitions.List(shard, cluster.Database, table).Where(p => dead.Contains((table, p))))
                {
                    Partitions.Drop(shard, cluster.Database, table, partition);
                }
            }
        }
    }

    private static bool Replaced(long holder, long importId, Dictionary<long, DateTime> commits, DateTime settled) =>
        holder != importId && commits.TryGetValue(holder, out var at) && at <= settled;

    private static int Month(DateTime instant) => int.Parse(instant.ToString("yyyyMM", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>Timings of the store's housekeeping; tests shorten them.</summary>
internal sealed record ClickHouseStoreTuning
{
    public static readonly ClickHouseStoreTuning Default = new();

    /// <summary>How long replaced rows stay on disk after the commit that replaced them.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A claim whose heartbeat is older than this belongs to a crashed import.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a running import renews its claim.</summary>
    public TimeSpan BeatEvery { get; init; } = TimeSpan.FromMinutes(1);
}
