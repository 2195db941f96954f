using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Scale-down: a fleet (an endpoint or instance group billed for more than one instance an hour) with the same count
/// for the last <see cref="RecommendationSettings.ScaleDownDays"/> days, whose peak demand (hourly mean GPU utilisation
/// × instances, in instance-percent) fits fewer instances at the target utilisation: typically scaled up for a launch
/// and never back. Saving = instances removed × the fleet's price per instance-hour × hours a month.
/// </summary>
public sealed class ScaleDownRule : IRecommendationRule
{
    public const string RuleName = "scale-down";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>The fleet's demand is its GPU utilisation × instances.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [[UsageMetrics.GpuUtilization]];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        foreach (var pool in input.Pools.Where(p => p.IsHourly && !claimed.Contains(p.ResourceId)))
        {
            var tail = pool.Days.Where(d => d.Day > input.To.AddDays(-s.ScaleDownDays)).ToList();
            if (tail.Count < s.ScaleDownDays || tail.Any(d => d.MinQuantity != tail[0].MaxQuantity || d.MaxQuantity != tail[0].MaxQuantity) || tail[0].MaxQuantity <= 1m)
            {
                continue;
            }

            var fleet = tail[0].MaxQuantity;
            var from = tail[0].Day;
            var gpu = input.Metric(pool.ResourceId, UsageMetrics.GpuUtilization).Where(h => DateOnly.FromDateTime(h.Hour) >= from).ToList();
            if (gpu.Count < 24)
            {
                continue;
            }

            var peak = gpu.Max(h => h.Mean) * fleet;
            var needed = Math.Max(1m, Math.Ceiling(peak / s.TargetGpuPercent));
            if (needed >= fleet)
            {
                continue;
            }

            var price = tail.Sum(d => d.Cost) / tail.Sum(d => d.Quantity);
            var saving = (fleet - needed) * price * s.MonthlyHours;
            var evidence = new List<Evidence>
            {
                new("instances", $"{N(fleet)} every hour of the last {tail.Count} days", from, input.To),
                new(UsageMetrics.GpuUtilization, $"mean {P(gpu.Average(h => h.Mean))}%, peak hour {P(gpu.Max(h => h.Mean))}% per instance = {P(peak)} instance-%", from, input.To),
            };
            if (pool.Days.LastOrDefault(d => d.Day < from && d.MinQuantity < fleet) is { } rose)
            {
                evidence.Add(new Evidence("scaled_up", $"from {N(rose.MinQuantity)} to {N(fleet)} instances on {rose.Day:yyyy-MM-dd}, never back", rose.Day, input.To));
            }

            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team, evidence, Money(saving), Money(MonthlyRate(pool, input)), pool.Currency,
                $"({N(fleet)} − {N(needed)}) instances × {N(price)} {pool.Currency}/instance-hour × {N(s.MonthlyHours)} h = {M(saving, pool.Currency)}; {N(needed)} = ceil({P(peak)} instance-% peak ÷ {N(s.TargetGpuPercent)}% target)",
                "low", "medium", $"scale {pool.Name ?? pool.ResourceId} from {N(fleet)} to {N(needed)} instances (or autoscale with a minimum of {N(needed)})");
        }
    }
}
