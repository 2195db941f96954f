using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Recommendations;

/// <summary>One day of a resource's usage charges (the store's per-resource daily aggregate).</summary>
/// <param name="Quantity">Instance-hours for an hourly-priced resource, GB-months for storage, GB for transfer.</param>
/// <param name="MinQuantity">The smallest quantity on one line: the fewest instances in an hour of an hourly bill.</param>
/// <param name="MaxQuantity">The largest quantity on one line: the most instances in an hour.</param>
/// <param name="ChargePeriods">Charge periods billed that day: hours, for an hourly bill.</param>
public sealed record PoolDay(DateOnly Day, decimal Quantity, decimal MinQuantity, decimal MaxQuantity, long ChargePeriods, decimal Cost);

/// <summary>A billed resource over the window: what it is, who it belongs to (after the tag policy) and its days.</summary>
public sealed record ResourcePool
{
    public required string ResourceId { get; init; }

    public required string Currency { get; init; }

    public string? Provider { get; init; }

    public string? Name { get; init; }

    public string? ResourceType { get; init; }

    public string? ServiceName { get; init; }

    public string? ServiceCategory { get; init; }

    public string? SkuId { get; init; }

    public string? PricingCategory { get; init; }

    public string? Region { get; init; }

    public string? Zone { get; init; }

    public string? Account { get; init; }

    public string? AccountName { get; init; }

    public string? PricingUnit { get; init; }

    /// <summary>The resource's tags as the tag policy resolves them (own, resource mapping, account).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<PoolDay> Days { get; init; } = [];

    public decimal Cost => Days.Sum(d => d.Cost);

    public decimal Quantity => Days.Sum(d => d.Quantity);

    /// <summary>Hours in which the bill charges the resource (charge periods of an hourly bill).</summary>
    public long HoursBilled => Days.Sum(d => d.ChargePeriods);

    public bool IsHourly => string.Equals(PricingUnit, "Hours", StringComparison.OrdinalIgnoreCase) || string.Equals(PricingUnit, "Hrs", StringComparison.OrdinalIgnoreCase);

    /// <summary>What one unit (an instance-hour, a GB-month, a GB) cost on average in the window.</summary>
    public decimal UnitPrice => Quantity == 0m ? 0m : Cost / Quantity;

    /// <summary><c>USE1-BoxUsage:g5.2xlarge</c> and <c>USE1-Host:ml.g5.xlarge</c> → <c>g5.2xlarge</c>, <c>g5.xlarge</c>; null without a colon.</summary>
    public string? InstanceType
    {
        get
        {
            var colon = SkuId?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (colon < 0)
            {
                return null;
            }

            var type = SkuId![(colon + 1)..];
            return type.StartsWith("ml.", StringComparison.Ordinal) ? type[3..] : type;
        }
    }

    public string? Team => Tags.GetValueOrDefault("team");

    public string? Owner => Tags.GetValueOrDefault("owner");

    public string? Environment => Tags.GetValueOrDefault("environment");

    /// <summary>A serving endpoint: latency-critical, never stopped on a schedule or moved to spot.</summary>
    public bool IsEndpoint => string.Equals(ResourceType, "Endpoint", StringComparison.OrdinalIgnoreCase);

    public bool IsNotebook => ResourceType?.Contains("notebook", StringComparison.OrdinalIgnoreCase) == true;

    public bool IsSpot => PricingCategory is not null && (PricingCategory.Equals("Dynamic", StringComparison.OrdinalIgnoreCase) || PricingCategory.Contains("spot", StringComparison.OrdinalIgnoreCase));

    public bool IsOnDemand => PricingCategory is null || PricingCategory.Equals("Standard", StringComparison.OrdinalIgnoreCase) || PricingCategory.Contains("demand", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One hour of one metric of a resource: the mean and largest sample, and the sum (a counter's total).</summary>
public sealed record MetricHour(DateTime Hour, decimal Mean, decimal Max, decimal Sum);

/// <summary>The documented usage metric names the rules read, keyed by <c>resource_id</c> whichever import wrote them.</summary>
public static class UsageMetrics
{
    public const string Requests = "requests";
    public const string Predictions = "predictions";
    public const string GpuUtilization = "gpu_utilization_percent";
    public const string GpuMemoryUsed = "gpu_memory_used_bytes";
    public const string BatchSize = "batch_size";
    public const string LatencyP99 = "latency_p99_ms";

    /// <summary>A block-storage volume's read and write operations (CloudWatch VolumeReadOps + VolumeWriteOps).</summary>
    public const string VolumeIoOps = "volume_io_ops";

    public static readonly IReadOnlyList<string> All = [Requests, Predictions, GpuUtilization, GpuMemoryUsed, BatchSize, LatencyP99, VolumeIoOps];

    /// <summary>Counters that say a resource did work.</summary>
    public static readonly IReadOnlyList<string> Work = [Requests, Predictions];
}

/// <summary>What the rules decide on: the window, the pools, hourly metrics per resource, resources that ran runs, prices.</summary>
public sealed record RecommendationInput
{
    /// <summary>First day of the window.</summary>
    public required DateOnly From { get; init; }

    /// <summary>Last day of the window (inclusive).</summary>
    public required DateOnly To { get; init; }

    public required IReadOnlyList<ResourcePool> Pools { get; init; }

    /// <summary>resource_id → metric → hours, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<MetricHour>>> Usage { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<MetricHour>>>(StringComparer.Ordinal);

    /// <summary>Resources that MLflow runs name in the window (used, whatever their GPU says).</summary>
    public IReadOnlySet<string> ResourcesWithRuns { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Resources whose runs checkpoint (a run param or tag naming a checkpoint): safe to interrupt.</summary>
    public IReadOnlySet<string> ResourcesThatCheckpoint { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public required PriceCatalog Catalog { get; init; }

    public RecommendationSettings Settings { get; init; } = new();

    /// <summary>The day of the run (the clock's), for the idle policy.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>The idle policy's stored states, by resource.</summary>
    public IReadOnlyDictionary<string, IdleState> IdleStates { get; init; } = new Dictionary<string, IdleState>(StringComparer.Ordinal);

    public int WindowDays => To.DayNumber - From.DayNumber + 1;

    public decimal WindowHours => WindowDays * 24m;

    public IReadOnlyList<MetricHour> Metric(string resourceId, string metric) =>
        Usage.TryGetValue(resourceId, out var metrics) && metrics.TryGetValue(metric, out var hours) ? hours : [];
}

/// <summary>A metric value and the period it covers: what a finding rests on.</summary>
public sealed record Evidence(string Metric, string Value, DateOnly From, DateOnly To);

/// <summary>
/// One recommendation: what to change on which resources, what it is worth a month and how that was worked out.
/// </summary>
/// <param name="Id">Stable for the same rule and resource across runs (<see cref="StableId"/>).</param>
/// <param name="MonthlySaving">The saving a month, from the data; 0 for findings that improve allocation, not spend.</param>
/// <param name="MonthlyCost">What the resources cost a month now, at the window's rate.</param>
/// <param name="How">The formula with its numbers.</param>
/// <param name="State">The idle policy's state for idle findings (first_seen, warned, stop_due, stopped), else null.</param>
/// <param name="DueDate">When the action is due (the idle policy's stop date), else null.</param>
public sealed record Finding(
    string Id,
    string Rule,
    IReadOnlyList<string> Resources,
    string? Owner,
    string? Team,
    IReadOnlyList<Evidence> Evidence,
    decimal MonthlySaving,
    decimal MonthlyCost,
    string Currency,
    string How,
    string Effort,
    string Risk,
    string Action,
    string? State = null,
    DateOnly? DueDate = null)
{
    /// <summary>The idle policy's state after this run, for the store to keep (idle findings only).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IdleState? NextIdleState { get; init; }

    /// <summary><c>rule-xxxxxxxx</c>: the rule and the first 8 hex digits of SHA-256 over rule and resource.</summary>
    public static string StableId(string rule, string resourceId)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(rule + "\n" + resourceId));
        return rule + "-" + Convert.ToHexStringLower(hash)[..8];
    }
}

/// <summary>A recommendation rule: pure, over the input; the resources it claims are not judged again by later rules.</summary>
public interface IRecommendationRule
{
    /// <summary>The rule's name, as findings and <c>--explain</c> show it.</summary>
    string Name { get; }

    /// <summary>
    /// Whether a resource this rule found is left out of the rules after it (an idle notebook is not also put on a
    /// schedule); rules about allocation or data movement claim nothing.
    /// </summary>
    bool Claims { get; }

    /// <summary>
    /// The usage metrics (keyed by <c>resource_id</c>, in the window) the rule cannot judge anything without: each entry
    /// is met by any one of its metrics; empty for a rule that reads only the bill. The missing-metrics warning is built
    /// from these (<see cref="RecommendationEngine.MissingMetrics"/>), so each rule says what it needs in one place.
    /// </summary>
    IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; }

    IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed);
}

/// <summary>Shared arithmetic of the rules.</summary>
internal static class RuleMath
{
    public static decimal Money(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static string M(decimal amount, string currency) => MoneyText.Amount(amount, currency) + " " + currency;

    /// <summary>A price or quantity with up to 6 decimals, no trailing zeros.</summary>
    public static string N(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero).ToString("0.######", CultureInfo.InvariantCulture);

    public static string P(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The nearest-rank percentile (0-100) of the values; 0 for none.</summary>
    public static decimal Percentile(IReadOnlyList<decimal> values, decimal percentile)
    {
        if (values.Count == 0)
        {
            return 0m;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100m * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The resource's rate over the window, as a month: cost ÷ window hours × hours a month.</summary>
    /// For storage charged by the GB-month it is what is stored on the last day × the price per GB-month.
    public static decimal MonthlyRate(ResourcePool pool, RecommendationInput input)
    {
        if (pool.PricingUnit?.Contains("GB-Mo", StringComparison.OrdinalIgnoreCase) == true && pool.Days.Count > 0)
        {
            var last = pool.Days[^1];
            return last.Quantity * DateTime.DaysInMonth(last.Day.Year, last.Day.Month) * pool.UnitPrice;
        }

        return input.WindowHours == 0m ? 0m : pool.Cost / input.WindowHours * input.Settings.MonthlyHours;
    }
}
