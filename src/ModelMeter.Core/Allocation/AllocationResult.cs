using System.Globalization;
using System.Text;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Allocation;

/// <summary>Where an allocated amount came from.</summary>
public enum AllocationKind
{
    /// <summary>The target's own cost (tagged, inherited, or split by the provider).</summary>
    Direct,

    /// <summary>A share of a pool a rule split.</summary>
    Shared,

    /// <summary>The unused part of a pool with known capacity: an <c>(idle)</c> line, or a target's spread share of it.</summary>
    Idle,

    /// <summary>A pool a rule could not place in a period (no driver data); kept visible, never dropped.</summary>
    Unallocated,
}

/// <summary>The cost a rule claimed in one period and currency.</summary>
public sealed record CostPool(
    string Rule,
    DateOnly Period,
    TimeGrain Grain,
    string Currency,
    decimal Amount,
    int RowCount,
    IReadOnlyList<string> ServiceNames,
    IReadOnlyList<string> ResourceIds)
{
    public string Describe()
    {
        var what = ServiceNames.Count > 0 ? string.Join(", ", ServiceNames) : "(no service)";
        var resources = ResourceIds.Count switch
        {
            0 => string.Empty,
            <= 3 => $"; {string.Join(", ", ResourceIds)}",
            _ => $"; {string.Join(", ", ResourceIds.Take(3))} and {ResourceIds.Count - 3} more",
        };
        return string.Create(CultureInfo.InvariantCulture, $"pool {Period:yyyy-MM-dd}/{Grain.ToString().ToLowerInvariant()} {Currency} {Amount} from {RowCount} row(s) of {what}{resources}");
    }
}

/// <summary>
/// Why a target received an amount: the rule, the pool, the driver value against the driver total, the share and
/// the amount. <see cref="Describe"/> is the line <c>allocate --explain</c> prints.
/// </summary>
public sealed record AllocationExplanation(
    string Rule,
    AllocationMethod Method,
    CostPool Pool,
    string Target,
    string DriverName,
    decimal DriverValue,
    decimal DriverTotal,
    decimal Amount)
{
    /// <summary>Driver value over driver total; the exact part is the largest-remainder rounding of pool × share.</summary>
    public decimal Share => DriverTotal == 0m ? 0m : DriverValue / DriverTotal;

    /// <summary>A remark such as "idle capacity spread by the same driver", or null.</summary>
    public string? Note { get; init; }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Pool.Period:yyyy-MM-dd} rule '{Rule}' ({Method.ToString().ToLowerInvariant()}): ");
        if (DriverTotal == 0m)
        {
            // Nothing to weigh by: the pool stays whole on its own line.
            text.Append(CultureInfo.InvariantCulture, $"{Target} keeps the whole {Pool.Describe()} -> {Pool.Currency} {Amount}");
            if (Note is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({Note})");
            }

            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{Target} {DriverName} {Trim(DriverValue)} of {Trim(DriverTotal)} = {Share * 100m:0.####}% ");
        text.Append(CultureInfo.InvariantCulture, $"of {Pool.Describe()} -> {Pool.Currency} {Amount}");
        if (Note is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({Note})");
        }

        return text.ToString();
    }

    private static string Trim(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}

/// <summary>One line of the allocated view: an amount that belongs to a target, with how it got there.</summary>
/// <param name="Period">The row's day for direct lines; the pool's period start for rule lines.</param>
/// <param name="Dimensions">The target's dimension values. For rule lines: the values all rows of the pool share,
/// with the rule's target dimension set to the target (or to <see cref="Label"/>).</param>
/// <param name="Rule">The rule that produced the line; null for direct cost.</param>
/// <param name="Label">For lines that belong to no dimension value, the pool-level label: <c>(idle)</c> or
/// <c>(unallocated: rule)</c>; null otherwise.</param>
public sealed record AllocatedLine(
    DateOnly Period,
    string Currency,
    decimal Amount,
    AllocationKind Kind,
    IReadOnlyDictionary<string, string?> Dimensions,
    string? Rule,
    string? Label,
    AllocationExplanation? Explanation)
{
    /// <summary>FOCUS <c>AllocatedMethodId</c> for direct cost the provider split; null otherwise.</summary>
    public string? ProviderAllocationMethod { get; init; }

    /// <summary>The line's value for a dimension, or null when untagged.</summary>
    public string? Dimension(string key) =>
        Dimensions.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}

/// <summary>The allocated view of a set of cost rows. Per currency, the lines sum exactly to the input rows.</summary>
public sealed class AllocationResult
{
    internal AllocationResult(IReadOnlyList<AllocatedLine> lines, IReadOnlyList<CostPool> pools, IReadOnlyList<string> ruleNames, IReadOnlyList<string> warnings)
    {
        Lines = lines;
        Pools = pools;
        RuleNames = ruleNames;
        Warnings = warnings;
    }

    /// <summary>Every allocated line, ordered by period, currency, kind, rule and dimension values.</summary>
    public IReadOnlyList<AllocatedLine> Lines { get; }

    /// <summary>Every pool the rules claimed, in rule order then period and currency.</summary>
    public IReadOnlyList<CostPool> Pools { get; }

    /// <summary>The rules in the order they were applied.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    /// <summary>Things a reader should know: usage above capacity, a capacity metric missing for a period.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Total per currency (equal to the input's).</summary>
    public IReadOnlyDictionary<string, decimal> TotalsByCurrency() =>
        Lines.GroupBy(l => l.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Amount), StringComparer.Ordinal);

    /// <summary>
    /// Every line one target received (for <c>allocate --explain tag:team=nlp</c>): its direct cost, its shares and
    /// its idle shares, plus pool-level lines whose label equals <paramref name="value"/>.
    /// </summary>
    public IReadOnlyList<AllocatedLine> For(string dimension, string value) =>
        Lines.Where(l => string.Equals(l.Label ?? l.Dimension(dimension), value, StringComparison.Ordinal)).ToList();
}
