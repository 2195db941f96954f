using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Unattached volumes: a block-storage volume (FOCUS ResourceType <c>Volume</c> or <c>Disk</c>, or a <c>VolumeUsage</c>
/// SKU, billed by the GB-month) still billed on the window's last day with no I/O in the window: no
/// <c>volume_io_ops</c> sample above zero keyed by its resource_id (none at all, or only zeros). The bill cannot say
/// it: neither FOCUS nor CUR has a column for a volume's attachment (that is the EC2 API's volume state), so the
/// rule judges only when the user feeds volume I/O samples (CloudWatch <c>VolumeReadOps</c> + <c>VolumeWriteOps</c>)
/// for volumes at all; with none, it finds nothing and the missing-metrics warning names it. A volume no instance
/// reads or writes is unattached or forgotten: snapshot it and delete it. Saving = its monthly cost (GB stored × price
/// per GB-month). It claims the volume, so the untagged rule does not also ask for its tags.
/// </summary>
public sealed class UnattachedVolumeRule : IRecommendationRule
{
    public const string RuleName = "unattached-volume";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>The bill has no column that says a volume is attached (FOCUS and CUR have none): only I/O samples do.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [[UsageMetrics.VolumeIoOps]];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.Usage.Values.Any(metrics => metrics.ContainsKey(UsageMetrics.VolumeIoOps)))
        {
            // Nobody measures volume I/O: "no samples" for a volume says nothing about its attachment.
            yield break;
        }

        foreach (var pool in input.Pools.Where(p => IsVolume(p) && !claimed.Contains(p.ResourceId) && p.Days.Count > 0 && p.Days[^1].Day == input.To && p.Cost > 0m))
        {
            var io = input.Metric(pool.ResourceId, UsageMetrics.VolumeIoOps);
            if (io.Any(h => h.Sum > 0m))
            {
                continue;
            }

            var last = pool.Days[^1];
            var stored = last.Quantity * DateTime.DaysInMonth(last.Day.Year, last.Day.Month);
            var monthly = MonthlyRate(pool, input);
            var what = string.IsNullOrEmpty(pool.Name) ? pool.ResourceId : pool.Name;
            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team,
                [
                    new Evidence(UsageMetrics.VolumeIoOps, io.Count == 0 ? "no samples in the window" : $"0 in all {io.Count} hours sampled", input.From, input.To),
                    new Evidence("stored", $"{N(stored)} GB at {N(pool.UnitPrice)} {pool.Currency}/GB-month ({pool.SkuId ?? pool.ResourceType})", last.Day, last.Day),
                ],
                Money(monthly), Money(monthly), pool.Currency,
                $"{N(stored)} GB × {N(pool.UnitPrice)} {pool.Currency}/GB-month = {M(monthly, pool.Currency)} a month, all of it once deleted",
                "low", "medium",
                $"check {what} is attached to nothing (its state is 'available'), snapshot it if its data may be needed, then delete it");
        }
    }

    /// <summary>Block storage billed by the GB-month: a volume or disk, by its FOCUS ResourceType or its SKU.</summary>
    private static bool IsVolume(ResourcePool pool) =>
        pool.PricingUnit?.Contains("GB-Mo", StringComparison.OrdinalIgnoreCase) == true
        && (pool.ResourceType is { } type && (type.Contains("volume", StringComparison.OrdinalIgnoreCase) || type.Contains("disk", StringComparison.OrdinalIgnoreCase))
            || pool.SkuId?.Contains("VolumeUsage", StringComparison.OrdinalIgnoreCase) == true);
}
