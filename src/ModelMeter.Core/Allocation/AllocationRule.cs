using System.Globalization;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Allocation;

/// <summary>How a rule shares its pool among targets.</summary>
public enum AllocationMethod
{
    /// <summary>Equal parts.</summary>
    Even,

    /// <summary>In proportion to each target's own direct cost in the same period and currency.</summary>
    Proportional,

    /// <summary>Fixed percentages that sum to 100.</summary>
    Fixed,

    /// <summary>In proportion to a measured driver (usage samples of one metric).</summary>
    Usage,
}

/// <summary>What happens to the unused part of a pool whose capacity is known.</summary>
public enum IdleMode
{
    /// <summary>The unused share is its own <c>(idle)</c> line.</summary>
    Line,

    /// <summary>The unused share is spread to the targets by the same driver, as idle lines of each target.</summary>
    Spread,
}

/// <summary>
/// Which cost rows form a rule's pool. Every condition given must hold; a selector with none matches nothing,
/// so a rule can never swallow the whole bill by accident.
/// </summary>
public sealed record PoolSelector
{
    /// <summary>FOCUS <c>ServiceName</c>, compared case-insensitively.</summary>
    public string? ServiceName { get; init; }

    /// <summary>A glob over <c>ResourceId</c> (<c>*</c> any run of characters, <c>?</c> one), case-insensitive.</summary>
    public string? ResourceIdPattern { get; init; }

    /// <summary>FOCUS <c>SubAccountId</c>, compared exactly.</summary>
    public string? SubAccountId { get; init; }

    /// <summary>Normalised dimension values the row must carry, compared exactly.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public bool IsEmpty =>
        ServiceName is null && ResourceIdPattern is null && SubAccountId is null && Tags.Count == 0;

    public bool Matches(CostPoolRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (IsEmpty)
        {
            return false;
        }

        if (ServiceName is not null && !string.Equals(ServiceName, row.ServiceName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (ResourceIdPattern is not null && (row.ResourceId is null || !Glob.IsMatch(ResourceIdPattern, row.ResourceId)))
        {
            return false;
        }

        if (SubAccountId is not null && !string.Equals(SubAccountId, row.SubAccountId, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var (key, value) in Tags)
        {
            if (!string.Equals(row.Dimension(key), value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (ServiceName is not null)
        {
            parts.Add($"service={ServiceName}");
        }

        if (ResourceIdPattern is not null)
        {
            parts.Add($"resource_id={ResourceIdPattern}");
        }

        if (SubAccountId is not null)
        {
            parts.Add($"sub_account={SubAccountId}");
        }

        parts.AddRange(Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        return parts.Count == 0 ? "(nothing)" : string.Join(", ", parts);
    }
}

/// <summary>The measured driver of a <see cref="AllocationMethod.Usage"/> rule.</summary>
/// <param name="Metric">The usage metric, e.g. <c>gpu_hours</c>.</param>
public sealed record UsageDriver(string Metric)
{
    /// <summary>Dimension values a usage sample must carry to count (e.g. <c>cluster: gpu-a</c>).</summary>
    public IReadOnlyDictionary<string, string> Where { get; init; } = new Dictionary<string, string>();

    public bool Matches(UsageSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (!string.Equals(sample.Metric, Metric, StringComparison.Ordinal))
        {
            return false;
        }

        return Where.All(w => string.Equals(sample.Dimension(w.Key), w.Value, StringComparison.Ordinal));
    }
}

/// <summary>
/// The known capacity of a usage pool, in the driver's unit: a constant per day of billed pool (8 GPUs → 192
/// GPU-hours a day), or the sum of a capacity metric's samples (matched with the driver's <c>where</c>).
/// </summary>
public sealed record IdleCapacity(IdleMode Mode)
{
    public decimal? CapacityPerDay { get; init; }

    public string? CapacityMetric { get; init; }
}

/// <summary>
/// A shared-cost allocation rule: it claims the rows its <see cref="Pool"/> selects (rows an earlier rule claimed
/// are not seen again) and splits them, per period and currency, among the values of <see cref="TargetDimension"/>.
/// </summary>
public sealed record AllocationRule(string Name, PoolSelector Pool, string TargetDimension, AllocationMethod Method)
{
    /// <summary>For even and proportional: the targets to share among. When absent, every tagged value of the target
    /// dimension with direct cost in the period (<c>(untagged)</c> is never an implicit target).</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>For fixed: target → percentage; the percentages sum to 100.</summary>
    public IReadOnlyDictionary<string, decimal>? FixedPercentages { get; init; }

    /// <summary>For usage: the measured driver.</summary>
    public UsageDriver? Driver { get; init; }

    /// <summary>For usage: the pool's capacity, when known, and what to do with its unused part.</summary>
    public IdleCapacity? Idle { get; init; }

    public TimeGrain Grain { get; init; } = TimeGrain.Day;

    /// <summary>What is wrong with the rule, one message each; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("the rule has no name");
        }

        if (Pool.IsEmpty)
        {
            problems.Add("pool selects nothing: give at least one of service, resource_id, sub_account or tags");
        }

        if (string.IsNullOrWhiteSpace(TargetDimension))
        {
            problems.Add("target (the dimension to split among, e.g. team) is missing");
        }

        if (Method == AllocationMethod.Fixed)
        {
            if (FixedPercentages is null || FixedPercentages.Count == 0)
            {
                problems.Add("method fixed needs shares (target: percentage)");
            }
            else
            {
                var negative = FixedPercentages.Where(p => p.Value < 0m).Select(p => p.Key).ToList();
                if (negative.Count > 0)
                {
                    problems.Add($"shares must not be negative ({string.Join(", ", negative)})");
                }

                var sum = FixedPercentages.Values.Sum();
                if (sum != 100m)
                {
                    var listed = string.Join(", ", FixedPercentages.OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"fixed shares sum to {sum}%, they must sum to 100% ({listed})"));
                }
            }
        }
        else if (FixedPercentages is not null)
        {
            problems.Add("shares are only for method fixed");
        }

        if (Method == AllocationMethod.Usage)
        {
            if (Driver is null || string.IsNullOrWhiteSpace(Driver.Metric))
            {
                problems.Add("method usage needs a driver metric (e.g. driver: { metric: gpu_hours })");
            }

            if (Targets is not null)
            {
                problems.Add("targets cannot restrict a usage rule: every measured user pays its share");
            }
        }
        else
        {
            if (Driver is not null)
            {
                problems.Add("a driver is only for method usage");
            }

            if (Idle is not null)
            {
                problems.Add("idle capacity is only for method usage (idle is capacity minus measured use)");
            }
        }

        if (Idle is not null)
        {
            var given = (Idle.CapacityPerDay is null ? 0 : 1) + (Idle.CapacityMetric is null ? 0 : 1);
            if (given != 1)
            {
                problems.Add("idle needs exactly one of capacity_per_day or capacity_metric");
            }

            if (Idle.CapacityPerDay is <= 0m)
            {
                problems.Add("idle capacity_per_day must be positive");
            }
        }

        if (Targets is not null && Targets.Count == 0)
        {
            problems.Add("targets is empty");
        }

        return problems;
    }
}

/// <summary>Glob matching for resource ids: <c>*</c> matches any run of characters, <c>?</c> exactly one; case-insensitive.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
