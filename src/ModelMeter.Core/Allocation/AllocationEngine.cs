using System.Globalization;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Allocation;

/// <summary>Labels the engine writes for cost that belongs to no target.</summary>
public sealed record AllocationLabels
{
    public string Untagged { get; init; } = "(untagged)";

    public string Idle { get; init; } = "(idle)";

    /// <summary>The label of a pool a rule could not place: <c>(unallocated: gpu-cluster)</c>.</summary>
    public static string Unallocated(string rule) => $"(unallocated: {rule})";
}

/// <summary>
/// Turns cost rows into the allocated view. Pure and deterministic: the same rows, rules and usage in any order
/// give the same lines.
/// <list type="number">
/// <item>Rows the provider already split (<see cref="CostPoolRow.IsProviderAllocated"/>) are direct cost of their allocated tags; no rule touches them.</item>
/// <item>Each other row is claimed by the first rule, in the order written, whose pool selects it.</item>
/// <item>Unclaimed rows are direct cost. Direct cost per target is what <c>proportional</c> rules weigh by.</item>
/// <item>Each rule's claimed rows form one pool per period (its grain) and currency, split by largest remainder so the parts sum exactly to the pool.</item>
/// </list>
/// </summary>
public sealed class AllocationEngine
{
    private readonly AllocationLabels _labels;

    public AllocationEngine(AllocationLabels? labels = null) => _labels = labels ?? new AllocationLabels();

    /// <param name="rows">The billing rows, through the tag policy.</param>
    /// <param name="rules">The allocation rules, in order.</param>
    /// <param name="usage">The usage samples of the same days.</param>
    /// <param name="keep">
    /// A dimension every line must keep (the workload category): a pool whose rows differ on it has each share split
    /// over the pool's values of it, in proportion to the pool's cost in each, so the parts still sum to the share.
    /// </param>
    public AllocationResult Allocate(IReadOnlyList<CostPoolRow> rows, IReadOnlyList<AllocationRule> rules, IReadOnlyList<UsageSample> usage, string? keep = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(usage);
        CheckRules(rules);
        foreach (var sample in usage)
        {
            if (sample.Value < 0m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Usage sample {sample.Metric} on {sample.Period:yyyy-MM-dd} has a negative value {sample.Value}; usage drivers cannot be negative."), nameof(usage));
            }
        }

        // Claim rows: first matching rule wins; provider-split rows are never claimed.
        var claimed = rules.ToDictionary(r => r.Name, _ => new List<CostPoolRow>(), StringComparer.Ordinal);
        var direct = new List<CostPoolRow>();
        foreach (var row in rows)
        {
            var rule = row.IsProviderAllocated ? null : rules.FirstOrDefault(r => r.Pool.Matches(row));
            if (rule is null)
            {
                direct.Add(row);
            }
            else
            {
                claimed[rule.Name].Add(row);
            }
        }

        var lines = new List<AllocatedLine>();
        var pools = new List<CostPool>();
        var warnings = new List<string>();
        lines.AddRange(DirectLines(direct));

        foreach (var rule in rules)
        {
            // Index what a pool looks at by the rule's period, so each pool reads only its own period's rows and samples.
            var directByPeriod = direct.ToLookup(r => (TimeBuckets.Start(r.Period, rule.Grain), r.Currency));
            var usageByPeriod = usage.ToLookup(s => TimeBuckets.Start(s.Period, rule.Grain));
            var poolsOfRule = claimed[rule.Name]
                .GroupBy(r => (Period: TimeBuckets.Start(r.Period, rule.Grain), r.Currency))
                .OrderBy(g => g.Key.Period)
                .ThenBy(g => g.Key.Currency, StringComparer.Ordinal);
            foreach (var poolRows in poolsOfRule)
            {
                var pool = new CostPool(
                    rule.Name,
                    poolRows.Key.Period,
                    rule.Grain,
                    poolRows.Key.Currency,
                    poolRows.Sum(r => r.Amount),
                    poolRows.Count(),
                    Distinct(poolRows.Select(r => r.ServiceName)),
                    Distinct(poolRows.Select(r => r.ResourceId)));
                pools.Add(pool);
                var context = new PoolContext(rule, pool, poolRows.ToList(), CommonDimensions(poolRows, rule.TargetDimension));
                var split = Split(context, directByPeriod[(pool.Period, pool.Currency)].ToList(), usageByPeriod[pool.Period].ToList(), warnings);
                lines.AddRange(keep is null ? split : ByComposition(context, split, keep));
            }
        }

        var ordered = lines
            .OrderBy(l => l.Period)
            .ThenBy(l => l.Currency, StringComparer.Ordinal)
            .ThenBy(l => l.Kind)
            .ThenBy(l => l.Rule ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(l => DimensionKey(l.Dimensions), StringComparer.Ordinal)
            .ThenBy(l => l.ProviderAllocationMethod ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(l => l.Amount)
            .ToList();
        return new AllocationResult(ordered, pools, rules.Select(r => r.Name).ToList(), warnings);
    }

    private static void CheckRules(IReadOnlyList<AllocationRule> rules)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var problems = rule.Problems();
            if (problems.Count > 0)
            {
                throw new ArgumentException($"Allocation rule '{rule.Name}': {string.Join("; ", problems)}.", nameof(rules));
            }

            if (!names.Add(rule.Name))
            {
                throw new ArgumentException($"Two allocation rules are named '{rule.Name}'.", nameof(rules));
            }
        }
    }

    private static List<AllocatedLine> DirectLines(List<CostPoolRow> direct) =>
        direct
            .GroupBy(r => (r.Period, r.Currency, Method: r.IsProviderAllocated ? r.AllocatedMethodId!.Trim() : null, Key: DimensionKey(r.Dimensions)))
            .Select(g => new AllocatedLine(
                g.Key.Period,
                g.Key.Currency,
                g.Sum(r => r.Amount),
                AllocationKind.Direct,
                g.First().Dimensions.Where(d => !string.IsNullOrWhiteSpace(d.Value)).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
                Rule: null,
                Label: null,
                Explanation: null)
            {
                ProviderAllocationMethod = g.Key.Method,
            })
            .ToList();

    private List<AllocatedLine> Split(PoolContext pool, List<CostPoolRow> direct, IReadOnlyList<UsageSample> usage, List<string> warnings)
    {
        var rule = pool.Rule;
        switch (rule.Method)
        {
            case AllocationMethod.Fixed:
                return Shares(pool, rule.FixedPercentages!.Select(p => new SplitShare(p.Key, p.Value)).ToList(), "percent", AllocationKind.Shared, pool.Pool.Amount, note: null);

            case AllocationMethod.Even:
            {
                var targets = rule.Targets ?? DirectCostByTarget(pool, direct).Keys.ToList();
                return targets.Count == 0
                    ? Unallocated(pool, "no target had direct cost in the period to share among")
                    : Shares(pool, targets.Distinct(StringComparer.Ordinal).Select(t => new SplitShare(t, 1m)).ToList(), "part", AllocationKind.Shared, pool.Pool.Amount, note: null);
            }

            case AllocationMethod.Proportional:
            {
                var costs = DirectCostByTarget(pool, direct);
                var weights = (rule.Targets ?? costs.Keys.ToList())
                    .Distinct(StringComparer.Ordinal)
                    .Select(t => new SplitShare(t, Math.Max(0m, costs.GetValueOrDefault(t))))
                    .ToList();
                return weights.Sum(w => w.Weight) <= 0m
                    ? Unallocated(pool, "the targets had no positive direct cost in the period")
                    : Shares(pool, weights, $"direct cost {pool.Pool.Currency}", AllocationKind.Shared, pool.Pool.Amount, note: null);
            }

            case AllocationMethod.Usage:
                return SplitByUsage(pool, usage, warnings);

            default:
                throw new ArgumentOutOfRangeException(nameof(pool), rule.Method, null);
        }
    }

    private List<AllocatedLine> SplitByUsage(PoolContext pool, IReadOnlyList<UsageSample> usage, List<string> warnings)
    {
        var rule = pool.Rule;
        var driver = rule.Driver!;
        var samples = usage.Where(s => driver.Matches(s) && TimeBuckets.Start(s.Period, rule.Grain) == pool.Pool.Period).ToList();
        if (samples.Count == 0)
        {
            return Unallocated(pool, $"no {driver.Metric} usage in the period");
        }

        // Usage without a target value is real use by someone unknown: it stays visible as (untagged), it is not given to others.
        var used = samples
            .GroupBy(s => s.Dimension(rule.TargetDimension) ?? _labels.Untagged, StringComparer.Ordinal)
            .Select(g => new SplitShare(g.Key, g.Sum(s => s.Value)))
            .ToList();
        var usedTotal = used.Sum(u => u.Weight);

        decimal? capacity = null;
        if (rule.Idle is { } idle)
        {
            capacity = CapacityOf(pool, idle, usage, warnings);
            if (capacity is { } c && c < usedTotal)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Rule '{rule.Name}' {pool.Pool.Period:yyyy-MM-dd} {pool.Pool.Currency}: measured {driver.Metric} {usedTotal} exceeds capacity {c}; no idle share."));
                capacity = usedTotal;
            }
        }

        var idleAmount = capacity is { } cap ? cap - usedTotal : 0m;
        if (usedTotal == 0m && idleAmount == 0m)
        {
            return Unallocated(pool, $"{driver.Metric} usage sums to zero in the period");
        }

        if (idleAmount == 0m)
        {
            return Shares(pool, used.Where(u => u.Weight > 0m).ToList(), driver.Metric, AllocationKind.Shared, pool.Pool.Amount, note: null);
        }

        if (rule.Idle!.Mode == IdleMode.Line)
        {
            var participants = used.Where(u => u.Weight > 0m).Append(new SplitShare(_labels.Idle, idleAmount)).ToList();
            return Shares(pool, participants, driver.Metric, AllocationKind.Shared, pool.Pool.Amount, note: null, idleKey: _labels.Idle, capacity: capacity);
        }

        if (usedTotal == 0m)
        {
            return Unallocated(pool, $"nothing used {driver.Metric} in the period, so idle cannot be spread by it");
        }

        // Spread: first the pool into its used and idle parts by capacity, then each part by the driver.
        var halves = LargestRemainder.Split(pool.Pool.Amount, Currency.MinorUnits(pool.Pool.Currency),
            [new SplitShare("idle", idleAmount), new SplitShare("used", usedTotal)]);
        var idlePart = halves.Single(h => h.Key == "idle").Amount;
        var usedPart = halves.Single(h => h.Key == "used").Amount;
        var positive = used.Where(u => u.Weight > 0m).ToList();
        var lines = Shares(pool, positive, driver.Metric, AllocationKind.Shared, usedPart,
            note: string.Create(CultureInfo.InvariantCulture, $"share of the used part {usedPart}, capacity {capacity}"));
        lines.AddRange(Shares(pool, positive, driver.Metric, AllocationKind.Idle, idlePart,
            note: string.Create(CultureInfo.InvariantCulture, $"share of the idle part {idlePart} ({idleAmount} of capacity {capacity} unused), spread by the same driver")));
        return lines;
    }

    private static decimal? CapacityOf(PoolContext pool, IdleCapacity idle, IReadOnlyList<UsageSample> usage, List<string> warnings)
    {
        if (idle.CapacityPerDay is { } perDay)
        {
            // Capacity is paid for the days the pool was billed, so a half-billed month is not half idle.
            var days = pool.Rows.Select(r => r.Period).Distinct().Count();
            return perDay * days;
        }

        var rule = pool.Rule;
        var capacityDriver = rule.Driver! with { Metric = idle.CapacityMetric! };
        var samples = usage.Where(s => capacityDriver.Matches(s) && TimeBuckets.Start(s.Period, rule.Grain) == pool.Pool.Period).ToList();
        if (samples.Count == 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Rule '{rule.Name}' {pool.Pool.Period:yyyy-MM-dd}: no {idle.CapacityMetric} samples, so no idle share was computed."));
            return null;
        }

        return samples.Sum(s => s.Value);
    }

    private Dictionary<string, decimal> DirectCostByTarget(PoolContext pool, List<CostPoolRow> direct)
    {
        var rule = pool.Rule;
        return direct
            .Where(r => string.Equals(r.Currency, pool.Pool.Currency, StringComparison.Ordinal) && TimeBuckets.Start(r.Period, rule.Grain) == pool.Pool.Period)
            .Select(r => (Target: r.Dimension(rule.TargetDimension), r.Amount))
            .Where(x => x.Target is not null && !string.Equals(x.Target, _labels.Untagged, StringComparison.Ordinal))
            .GroupBy(x => x.Target!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Amount), StringComparer.Ordinal);
    }

    private static List<AllocatedLine> Shares(
        PoolContext pool,
        IReadOnlyList<SplitShare> shares,
        string driverName,
        AllocationKind kind,
        decimal amount,
        string? note,
        string? idleKey = null,
        decimal? capacity = null)
    {
        var parts = LargestRemainder.Split(amount, Currency.MinorUnits(pool.Pool.Currency), shares);
        var total = shares.Sum(s => s.Weight);
        var lines = new List<AllocatedLine>(parts.Count);
        foreach (var part in parts)
        {
            var isIdleLine = idleKey is not null && string.Equals(part.Key, idleKey, StringComparison.Ordinal);
            var explanation = new AllocationExplanation(pool.Rule.Name, pool.Rule.Method, pool.Pool, part.Key, driverName, part.Weight, total, part.Amount)
            {
                Note = isIdleLine
                    ? string.Create(CultureInfo.InvariantCulture, $"capacity {capacity} minus measured use is idle")
                    : note,
            };
            lines.Add(new AllocatedLine(
                pool.Pool.Period,
                pool.Pool.Currency,
                part.Amount,
                isIdleLine ? AllocationKind.Idle : kind,
                WithTarget(pool, part.Key),
                pool.Rule.Name,
                isIdleLine ? part.Key : null,
                explanation));
        }

        return lines;
    }

    private static List<AllocatedLine> Unallocated(PoolContext pool, string reason)
    {
        var label = AllocationLabels.Unallocated(pool.Rule.Name);
        var explanation = new AllocationExplanation(pool.Rule.Name, pool.Rule.Method, pool.Pool, label, "none", 0m, 0m, pool.Pool.Amount)
        {
            Note = reason,
        };
        return [new AllocatedLine(pool.Pool.Period, pool.Pool.Currency, pool.Pool.Amount, AllocationKind.Unallocated, WithTarget(pool, label), pool.Rule.Name, label, explanation)];
    }

    /// <summary>
    /// A mixed pool's lines, each split over the pool's values of <paramref name="key"/> by the pool's cost in each
    /// (its charges; its credits when it has only credits). A pool that agrees on the key kept it in its common
    /// dimensions already.
    /// </summary>
    private static IEnumerable<AllocatedLine> ByComposition(PoolContext pool, IEnumerable<AllocatedLine> lines, string key)
    {
        const string None = "\u0000";
        if (pool.CommonDimensions.ContainsKey(key) || string.Equals(key, pool.Rule.TargetDimension, StringComparison.Ordinal))
        {
            return lines;
        }

        var composition = pool.Rows
            .GroupBy(r => r.Dimension(key) ?? None, StringComparer.Ordinal)
            .Select(g => (Value: g.Key, Amount: g.Sum(r => r.Amount)))
            .ToList();
        var charges = composition.Any(c => c.Amount > 0m);
        var weights = composition
            .Where(c => charges ? c.Amount > 0m : c.Amount < 0m)
            .Select(c => new SplitShare(c.Value, Math.Abs(c.Amount)))
            .ToList();
        if (weights.Count == 0)
        {
            return lines;
        }

        var minorUnits = Currency.MinorUnits(pool.Pool.Currency);
        return lines.SelectMany(line => LargestRemainder.Split(line.Amount, minorUnits, weights)
            .Where(part => part.Amount != 0m || weights.Count == 1)
            .Select(part =>
            {
                var dimensions = new Dictionary<string, string?>(line.Dimensions, StringComparer.Ordinal);
                if (part.Key != None)
                {
                    dimensions[key] = part.Key;
                }

                return line with { Amount = part.Amount, Dimensions = dimensions };
            })
            .DefaultIfEmpty(line));
    }

    private static Dictionary<string, string?> WithTarget(PoolContext pool, string target) =>
        new(pool.CommonDimensions, StringComparer.Ordinal) { [pool.Rule.TargetDimension] = target };

    /// <summary>The dimension values every row of a pool shares (say environment=prod), so shares keep them.</summary>
    private static Dictionary<string, string?> CommonDimensions(IEnumerable<CostPoolRow> rows, string targetDimension)
    {
        Dictionary<string, string?>? common = null;
        foreach (var row in rows)
        {
            if (common is null)
            {
                common = row.Dimensions
                    .Where(d => !string.IsNullOrWhiteSpace(d.Value) && !string.Equals(d.Key, targetDimension, StringComparison.Ordinal))
                    .ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
                continue;
            }

            foreach (var key in common.Keys.ToList())
            {
                if (!string.Equals(row.Dimension(key), common[key], StringComparison.Ordinal))
                {
                    common.Remove(key);
                }
            }
        }

        return common ?? new Dictionary<string, string?>(StringComparer.Ordinal);
    }

    private static List<string> Distinct(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    internal static string DimensionKey(IReadOnlyDictionary<string, string?> dimensions) =>
        string.Join('\u001f', dimensions
            .Where(d => !string.IsNullOrWhiteSpace(d.Value))
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => d.Key + "\u001e" + d.Value));

    private sealed record PoolContext(AllocationRule Rule, CostPool Pool, List<CostPoolRow> Rows, Dictionary<string, string?> CommonDimensions);
}
