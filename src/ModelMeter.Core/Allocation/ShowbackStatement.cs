namespace ModelMeter.Core.Allocation;

/// <summary>One target's line of a showback or chargeback statement.</summary>
/// <param name="Target">The dimension value (a team), or a pool-level label: <c>(idle)</c>, <c>(unallocated: rule)</c>, <c>(untagged)</c>.</param>
/// <param name="Direct">Its own cost.</param>
/// <param name="SharedByRule">Its shares of each rule's pools (rule name → amount), for every rule of the statement.</param>
/// <param name="Idle">Idle cost: its spread share, or the whole pool-level <c>(idle)</c> line.</param>
/// <param name="Unallocated">Cost no rule could place (only on <c>(unallocated: rule)</c> lines).</param>
public sealed record StatementLine(
    string Target,
    decimal Direct,
    IReadOnlyDictionary<string, decimal> SharedByRule,
    decimal Idle,
    decimal Unallocated)
{
    public decimal Shared => SharedByRule.Values.Sum();

    public decimal Total => Direct + Shared + Idle + Unallocated;
}

/// <summary>A statement in one currency: one line per target; its total equals the allocated (= billed) total.</summary>
public sealed record Statement(string Dimension, string Currency, IReadOnlyList<string> Rules, IReadOnlyList<StatementLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.Total);
}

/// <summary>
/// Builds showback/chargeback statements from the allocated view: per target of one dimension, direct cost,
/// shared cost by rule, idle share and total. Nothing is dropped: untagged cost, idle and unallocated pools are
/// lines of their own, so the statement total is the bill.
/// </summary>
public static class ShowbackStatement
{
    /// <summary>One statement per currency (never mixed), ordered by currency.</summary>
    public static IReadOnlyList<Statement> Build(AllocationResult result, string dimension, string untaggedLabel = "(untagged)")
    {
        ArgumentNullException.ThrowIfNull(result);
        return Build(result.Lines, result.RuleNames, dimension, untaggedLabel);
    }

    /// <summary>One statement per currency from a subset of lines (say one month's).</summary>
    public static IReadOnlyList<Statement> Build(IEnumerable<AllocatedLine> lines, IReadOnlyList<string> ruleNames, string dimension, string untaggedLabel = "(untagged)")
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(ruleNames);
        ArgumentException.ThrowIfNullOrWhiteSpace(dimension);
        var statements = new List<Statement>();
        foreach (var currency in lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = currency
                .GroupBy(l => l.Label ?? l.Dimension(dimension) ?? untaggedLabel, StringComparer.Ordinal)
                .Select(g => new StatementLine(
                    g.Key,
                    g.Where(l => l.Kind == AllocationKind.Direct).Sum(l => l.Amount),
                    ruleNames.ToDictionary(
                        r => r,
                        r => g.Where(l => l.Kind == AllocationKind.Shared && string.Equals(l.Rule, r, StringComparison.Ordinal)).Sum(l => l.Amount),
                        StringComparer.Ordinal),
                    g.Where(l => l.Kind == AllocationKind.Idle).Sum(l => l.Amount),
                    g.Where(l => l.Kind == AllocationKind.Unallocated).Sum(l => l.Amount)))
                .OrderByDescending(l => l.Total)
                .ThenBy(l => l.Target, StringComparer.Ordinal)
                .ToList();
            statements.Add(new Statement(dimension, currency.Key, ruleNames, rows));
        }

        return statements;
    }
}
