using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Spot for training: an on-demand instance whose runs checkpoint, or that is tagged interruptible, → the catalogue's
/// spot price for the same instance (at the bill's ratio to the catalogue). Never serving endpoints, nor anything whose
/// measured p99 latency is within the SLA (latency-critical). Saving = (price − spot) × hours billed, a month.
/// </summary>
public sealed class SpotRule : IRecommendationRule
{
    public const string RuleName = "spot-training";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>Checkpointing runs or a tag say interruptible; p99 latency, when measured, only keeps latency-critical work out.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        var instances = input.Catalog.Instances.ToDictionary(i => i.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var pool in input.Pools.Where(p => p.IsHourly && p.IsOnDemand && !p.IsSpot && !p.IsEndpoint && !claimed.Contains(p.ResourceId)))
        {
            var tagged = string.Equals(pool.Tags.GetValueOrDefault(s.InterruptibleTag), "true", StringComparison.OrdinalIgnoreCase);
            var checkpoints = input.ResourcesThatCheckpoint.Contains(pool.ResourceId);
            var latency = input.Metric(pool.ResourceId, UsageMetrics.LatencyP99);
            if ((!tagged && !checkpoints) || (latency.Count > 0 && latency.Max(h => h.Max) <= s.LatencySlaMs)
                || pool.InstanceType is not { } type || !instances.TryGetValue(type, out var catalogue) || catalogue.Spot is null)
            {
                continue;
            }

            var price = pool.UnitPrice;
            var spot = price * catalogue.Spot.PerHour / catalogue.OnDemandPerHour;
            var saving = (price - spot) * pool.Quantity / input.WindowHours * s.MonthlyHours;
            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team,
                [
                    new Evidence("interruptible", checkpoints ? "its runs checkpoint" : $"tagged {s.InterruptibleTag}=true", input.From, input.To),
                    new Evidence("hours_billed", $"{N(pool.Quantity)} on-demand instance-hours at {N(price)} {pool.Currency}", input.From, input.To),
                ],
                Money(saving), Money(MonthlyRate(pool, input)), pool.Currency,
                $"({N(price)} − {N(spot)}) {pool.Currency}/h × {N(pool.Quantity)} h ÷ {N(input.WindowHours)} h × {N(s.MonthlyHours)} h = {M(saving, pool.Currency)}; spot {N(spot)} = {N(price)} × {N(catalogue.Spot.PerHour)} ÷ {N(catalogue.OnDemandPerHour)} ({catalogue.Spot.Basis})",
                "medium", "medium", $"run {pool.Name ?? pool.ResourceId}'s training on spot {catalogue.Key} with checkpoint-and-resume");
        }
    }
}
