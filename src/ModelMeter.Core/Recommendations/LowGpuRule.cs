using ModelMeter.Core.Catalog;
using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Low GPU utilisation: a single instance whose mean and p95 hourly GPU utilisation are under the thresholds → the
/// cheapest catalogue instance of the same provider whose GPU memory holds the observed peak and whose GPU capacity
/// (GPUs × dense FP16 TFLOPS) runs the observed peak at the target utilisation; when none is smaller, sharing the GPU
/// (MIG, time-slicing). Saving = (price − the smaller one's, at the bill's own ratio to the catalogue) × hours billed.
/// </summary>
public sealed class LowGpuRule : IRecommendationRule
{
    public const string RuleName = "low-gpu-utilisation";

    private const decimal GiB = 1024m * 1024m * 1024m;

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>Mean and p95 utilisation; GPU memory, when measured, bounds the smaller instance.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [[UsageMetrics.GpuUtilization]];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        var instances = input.Catalog.Instances.ToDictionary(i => i.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var pool in input.Pools.Where(p => p.IsHourly && !claimed.Contains(p.ResourceId) && p.Days.All(d => d.MaxQuantity <= 1m)))
        {
            var gpu = input.Metric(pool.ResourceId, UsageMetrics.GpuUtilization);
            if (gpu.Count < 24 || pool.InstanceType is not { } type || !instances.TryGetValue(type, out var current))
            {
                continue;
            }

            var means = gpu.Select(h => h.Mean).ToList();
            var mean = means.Average();
            var p95 = Percentile(means, 95m);
            if (mean >= s.LowGpuMeanPercent || p95 >= s.LowGpuP95Percent)
            {
                continue;
            }

            var peakUtil = means.Max();
            var memory = input.Metric(pool.ResourceId, UsageMetrics.GpuMemoryUsed);
            var peakMemoryGb = memory.Count == 0 ? 0m : memory.Max(h => h.Max) / GiB;
            var needed = Capacity(input.Catalog, current) * peakUtil / s.TargetGpuPercent;
            var smaller = input.Catalog.Instances
                .Where(i => string.Equals(i.Provider, current.Provider, StringComparison.OrdinalIgnoreCase) && i.Currency == current.Currency && i.OnDemandPerHour < current.OnDemandPerHour)
                .Where(i => input.Catalog.Gpu(i.GpuKey).MemoryGb >= peakMemoryGb && Capacity(input.Catalog, i) >= needed)
                .OrderBy(i => i.OnDemandPerHour).ThenBy(i => i.Key, StringComparer.Ordinal)
                .FirstOrDefault();
            var evidence = new List<Evidence>
            {
                new(UsageMetrics.GpuUtilization, $"mean {P(mean)}%, p95 {P(p95)}%, peak hour {P(peakUtil)}% over {gpu.Count} hours", DateOnly.FromDateTime(gpu[0].Hour), DateOnly.FromDateTime(gpu[^1].Hour)),
                new(UsageMetrics.GpuMemoryUsed, memory.Count == 0 ? "not measured" : $"peak {P(peakMemoryGb)} GiB per GPU of {N(input.Catalog.Gpu(current.GpuKey).MemoryGb)} GB", input.From, input.To),
            };
            var hourly = pool.UnitPrice;
            var hours = pool.Quantity;
            decimal saving;
            string how;
            string action;
            if (smaller is not null)
            {
                var newPrice = InstanceWhatIf.RatioPrice(hourly, current, smaller);
                saving = (hourly - newPrice) * hours / input.WindowHours * s.MonthlyHours;
                how = $"({N(hourly)} − {N(newPrice)}) {pool.Currency}/h × {N(hours)} h billed ÷ {N(input.WindowHours)} h × {N(s.MonthlyHours)} h = {M(saving, pool.Currency)}; {N(newPrice)} = {N(hourly)} × {N(smaller.OnDemandPerHour)} ÷ {N(current.OnDemandPerHour)} (catalogue {smaller.Key} ÷ {current.Key})";
                action = $"move {pool.Name ?? pool.ResourceId} from {current.Key} to {smaller.Key} ({smaller.GpuCount} × {smaller.GpuKey}), which holds the peak memory and compute at {N(s.TargetGpuPercent)}%";
            }
            else
            {
                var share = Math.Min(1m, peakUtil / s.TargetGpuPercent);
                saving = MonthlyRate(pool, input) * (1m - share);
                how = $"{M(MonthlyRate(pool, input), pool.Currency)} a month × (1 − {P(peakUtil)}% peak ÷ {N(s.TargetGpuPercent)}% target) = {M(saving, pool.Currency)}";
                action = $"share {pool.Name ?? pool.ResourceId}'s GPU (MIG or time-slicing) with other workloads: it needs {P(share * 100m)}% of it at its peak";
            }

            yield return new Finding(Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team, evidence, Money(saving), Money(MonthlyRate(pool, input)),
                pool.Currency, how, "medium", "medium", action);
        }
    }

    /// <summary>GPUs × dense FP16 TFLOPS (FP32 when FP16 is not listed).</summary>
    private static decimal Capacity(PriceCatalog catalog, InstanceType instance)
    {
        var gpu = catalog.Gpu(instance.GpuKey);
        var tflops = gpu.PeakTflops.TryGetValue("fp16", out var f) ? f : gpu.PeakTflops.GetValueOrDefault("fp32");
        return instance.GpuCount * (decimal)tflops;
    }
}
