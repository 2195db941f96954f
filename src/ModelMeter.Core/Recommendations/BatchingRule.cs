using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Batching: a serving endpoint whose mean <c>batch_size</c> is under <see cref="RecommendationSettings.SmallBatch"/> and
/// whose mean GPU utilisation is under <see cref="RecommendationSettings.LowGpuMeanPercent"/> spends its GPU on tiny
/// batches. Batched to <see cref="RecommendationSettings.TargetBatch"/>, one instance serves
/// <see cref="RecommendationSettings.BatchThroughputGain"/> times the requests per second it serves today (its measured
/// rps: the endpoint's requests ÷ its instance-hours ÷ 3,600). The fleet then needs ceil(peak hour's rps ÷ (measured rps
/// per instance × gain)) instances; saving = (mean instances − that) × price per instance-hour × hours a month. Never
/// when its measured p99 latency already reaches <see cref="RecommendationSettings.LatencySlaMs"/> (no room for the
/// batch wait).
/// </summary>
public sealed class BatchingRule : IRecommendationRule
{
    public const string RuleName = "batching";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>Batch size and utilisation say the batches are small; the counter gives the measured rps.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [[UsageMetrics.BatchSize], [UsageMetrics.GpuUtilization], [UsageMetrics.Requests, UsageMetrics.Predictions]];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        foreach (var pool in input.Pools.Where(p => p.IsHourly && p.IsEndpoint && !claimed.Contains(p.ResourceId) && p.Quantity > 0m && p.HoursBilled > 0))
        {
            var batch = input.Metric(pool.ResourceId, UsageMetrics.BatchSize);
            var gpu = input.Metric(pool.ResourceId, UsageMetrics.GpuUtilization);
            var requests = input.Metric(pool.ResourceId, UsageMetrics.Requests);
            var counter = UsageMetrics.Requests;
            if (requests.Count == 0)
            {
                requests = input.Metric(pool.ResourceId, UsageMetrics.Predictions);
                counter = UsageMetrics.Predictions;
            }

            var latency = input.Metric(pool.ResourceId, UsageMetrics.LatencyP99);
            if (batch.Count == 0 || gpu.Count == 0 || requests.Count == 0 || requests.Sum(h => h.Sum) <= 0m
                || (latency.Count > 0 && latency.Max(h => h.Max) >= s.LatencySlaMs))
            {
                continue;
            }

            var meanBatch = batch.Average(h => h.Mean);
            var meanGpu = gpu.Average(h => h.Mean);
            if (meanBatch >= s.SmallBatch || meanGpu >= s.LowGpuMeanPercent)
            {
                continue;
            }

            var total = requests.Sum(h => h.Sum);
            var rpsPerInstance = total / pool.Quantity / 3600m;
            var peak = requests.MaxBy(h => h.Sum)!;
            var peakRps = peak.Sum / 3600m;
            var batchedRps = rpsPerInstance * s.BatchThroughputGain;
            var needed = Math.Max(1m, Math.Ceiling(peakRps / batchedRps));
            var instances = pool.Quantity / pool.HoursBilled;
            if (needed >= instances)
            {
                continue;
            }

            var price = pool.UnitPrice;
            var saving = (instances - needed) * price * s.MonthlyHours;
            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team,
                [
                    new Evidence(UsageMetrics.BatchSize, $"mean {N(Math.Round(meanBatch, 2))} (under {N(s.SmallBatch)})", input.From, input.To),
                    new Evidence(UsageMetrics.GpuUtilization, $"mean {P(meanGpu)}% (under {N(s.LowGpuMeanPercent)}%)", input.From, input.To),
                    new Evidence(counter, $"{N(total)} over {N(pool.Quantity)} instance-hours = {N(Math.Round(rpsPerInstance, 3))} rps per instance; peak hour {peak.Hour:yyyy-MM-dd HH}:00 {N(Math.Round(peakRps, 3))} rps", input.From, input.To),
                ],
                Money(saving), Money(MonthlyRate(pool, input)), pool.Currency,
                $"({N(Math.Round(instances, 3))} − {N(needed)}) instances × {N(price)} {pool.Currency}/instance-hour × {N(s.MonthlyHours)} h = {M(saving, pool.Currency)}; {N(needed)} = ceil({N(Math.Round(peakRps, 3))} peak rps ÷ ({N(Math.Round(rpsPerInstance, 3))} rps × {N(s.BatchThroughputGain)} throughput gain))",
                "medium", "medium",
                $"batch {pool.Name ?? pool.ResourceId}'s requests (dynamic batching up to {N(s.TargetBatch)}, a few ms' wait) and scale it to {N(needed)} instances");
        }
    }
}
