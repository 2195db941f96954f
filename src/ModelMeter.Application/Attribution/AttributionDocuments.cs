using System.Text.Json.Serialization;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;

namespace ModelMeter.Application.Attribution;

/// <summary>
/// Showback statements (<c>allocate</c>, <c>report --allocated</c>): per currency, one line per target of one
/// dimension with its direct cost, its share of each rule's pools, idle and unallocated cost, and its total. The
/// statements' totals equal the billed totals they started from, to the cent.
/// </summary>
/// <param name="Dimension">The target dimension (<c>team</c>).</param>
/// <param name="BilledTotals">What the bill says for the same period and FOCUS-column filters, per currency.</param>
/// <param name="Conservation">Per currency: allocated against billed.</param>
public sealed record ShowbackReport(
    string? Dimension,
    IReadOnlyList<CurrencyStatement> Statements,
    IReadOnlyDictionary<string, decimal> Totals,
    IReadOnlyDictionary<string, decimal> BilledTotals,
    IReadOnlyList<ConservationCheck> Conservation)
{
    public static ShowbackReport Of(IReadOnlyList<Statement> statements, IReadOnlyDictionary<string, decimal> billed)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(billed);
        var totals = statements.ToDictionary(s => s.Currency, s => s.Total, StringComparer.Ordinal);
        return new ShowbackReport(
            statements.Count > 0 ? statements[0].Dimension : null,
            statements.Select(CurrencyStatement.Of).ToList(),
            totals,
            billed.OrderBy(b => b.Key, StringComparer.Ordinal).ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal),
            ConservationCheck.Of(totals, billed));
    }
}

/// <summary>One currency's statement.</summary>
/// <param name="Rules">The allocation rules, in the order they were applied (the keys of each line's <c>shared</c>).</param>
public sealed record CurrencyStatement(string Currency, IReadOnlyList<string> Rules, IReadOnlyList<StatementRow> Lines, decimal Total)
{
    public static CurrencyStatement Of(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var total = statement.Total;
        return new CurrencyStatement(
            statement.Currency,
            statement.Rules,
            statement.Lines.Select(l => new StatementRow(l.Target, l.Direct, l.SharedByRule, l.Idle, l.Unallocated, l.Total, total == 0m ? 0m : Math.Round(l.Total / total, 6))).ToList(),
            total);
    }
}

/// <summary>A target's line.</summary>
/// <param name="Target">The dimension value (<c>nlp</c>), or a pool-level label: <c>(idle)</c>, <c>(unallocated: RULE)</c>, <c>(untagged)</c>.</param>
/// <param name="Shared">Rule name → its share of that rule's pools.</param>
/// <param name="Share">Total over the statement's total, rounded to six places.</param>
public sealed record StatementRow(string Target, decimal Direct, IReadOnlyDictionary<string, decimal> Shared, decimal Idle, decimal Unallocated, decimal Total, decimal Share);

/// <summary>Allocated against billed in one currency: equal unless <c>--where</c> tag conditions left some out.</summary>
public sealed record ConservationCheck(string Currency, decimal Allocated, decimal Billed, bool Equal)
{
    public static IReadOnlyList<ConservationCheck> Of(IReadOnlyDictionary<string, decimal> allocated, IReadOnlyDictionary<string, decimal> billed)
    {
        ArgumentNullException.ThrowIfNull(allocated);
        ArgumentNullException.ThrowIfNull(billed);
        return billed.OrderBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => new ConservationCheck(b.Key, allocated.GetValueOrDefault(b.Key), b.Value, allocated.GetValueOrDefault(b.Key) == b.Value))
            .ToList();
    }
}

/// <summary><c>allocate --explain tag:team=nlp</c>: everything one target received, and how.</summary>
/// <param name="Target">The target as resolved by the tag policy: <c>team=nlp</c>.</param>
/// <param name="Direct">Its own cost per currency, with the number of day × resource lines it came from.</param>
/// <param name="Received">Every shared, idle and unallocated amount, with rule, pool, driver value and share.</param>
/// <param name="Totals">Direct plus received, per currency.</param>
public sealed record AllocationExplanationReport(
    string Target,
    IReadOnlyList<DirectCost> Direct,
    IReadOnlyList<ReceivedAmount> Received,
    IReadOnlyDictionary<string, decimal> Totals)
{
    public static AllocationExplanationReport Of(string target, IReadOnlyList<AllocatedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var direct = lines.Where(l => l.Kind == AllocationKind.Direct).GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DirectCost(g.Key, g.Sum(l => l.Amount), g.Count())).ToList();
        var received = lines.Where(l => l.Kind != AllocationKind.Direct).Select(ReceivedAmount.Of).ToList();
        var totals = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Amount), StringComparer.Ordinal);
        return new AllocationExplanationReport(target, direct, received, totals);
    }
}

/// <param name="Lines">How many day × resource lines of the bill it sums.</param>
public sealed record DirectCost(string Currency, decimal Amount, int Lines);

/// <summary>One amount a rule gave the target.</summary>
/// <param name="Period">The pool's first day.</param>
/// <param name="Method">How the rule splits: <c>even</c>, <c>proportional</c>, <c>usage</c>, <c>fixed</c>; null for a pool no rule could place.</param>
/// <param name="Driver">The driver's name (a usage metric, <c>direct cost</c>, <c>fixed percent</c>).</param>
/// <param name="Share">Driver value over driver total.</param>
/// <param name="Pool">The pool's whole amount.</param>
/// <param name="Explanation">The line as a sentence, with the arithmetic.</param>
public sealed record ReceivedAmount(
    DateOnly Period,
    AllocationKind Kind,
    string? Rule,
    string Currency,
    decimal Amount,
    AllocationMethod? Method,
    string? Driver,
    decimal? DriverValue,
    decimal? DriverTotal,
    decimal? Share,
    decimal? Pool,
    string Explanation)
{
    public static ReceivedAmount Of(AllocatedLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var e = line.Explanation;
        return new ReceivedAmount(
            line.Period, line.Kind, line.Rule, line.Currency, line.Amount,
            e?.Method, e?.DriverName, e?.DriverValue, e?.DriverTotal, e?.Share, e?.Pool.Amount,
            e?.Describe() ?? FormattableString.Invariant($"{line.Period:yyyy-MM-dd} {line.Kind} {line.Currency} {line.Amount}"));
    }
}

/// <summary>
/// What <c>allocate</c> (and <c>report --allocated</c>) returns: showback statements for one target dimension, a cost
/// table when grouped by several dimensions or a grain, or the explanation of one target. Exactly one is set.
/// </summary>
public sealed record AllocationView
{
    public ShowbackReport? Showback { get; init; }

    public CostReport? Costs { get; init; }

    public AllocationExplanationReport? Explanation { get; init; }

    /// <summary>Things a reader should know: usage above capacity, a capacity metric missing for a period.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Hints, such as "no allocation rules are configured".</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The one document set, for <c>--format json</c>.</summary>
    [JsonIgnore]
    public object Document => (object?)Showback ?? (object?)Costs ?? Explanation ?? throw new InvalidOperationException("An allocation view holds one document.");
}

/// <summary>
/// <c>report --by hierarchy</c>: the cost tree (<c>cost_center &gt; team &gt; product &gt; model &gt; environment &gt;
/// experiment</c> by default) flattened depth-first, parents before children, one tree per currency.
/// </summary>
/// <param name="Levels">The levels expanded (after <c>--depth</c>).</param>
/// <param name="Allocated">Whether shared cost was split by the allocation rules first.</param>
/// <param name="Totals">Each tree's root, per currency.</param>
public sealed record HierarchyReport(IReadOnlyList<string> Levels, bool Allocated, IReadOnlyList<HierarchyReportRow> Rows, IReadOnlyDictionary<string, decimal> Totals)
{
    public static HierarchyReport Of(IReadOnlyList<HierarchyTree> trees, IReadOnlyList<string> levels, bool allocated)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var rows = trees.SelectMany(HierarchyRollup.Flatten)
            .Select(r => new HierarchyReportRow(r.Currency, r.Depth, r.Level, string.Join(" > ", r.Path), r.Value, r.Amount,
                r.ShareOfParent is { } p ? Math.Round(p, 6) : null, r.ShareOfTotal is { } t ? Math.Round(t, 6) : null))
            .ToList();
        return new HierarchyReport(trees.Count > 0 ? trees[0].Levels : levels, allocated, rows, trees.ToDictionary(t => t.Currency, t => t.Root.Amount, StringComparer.Ordinal));
    }
}

/// <summary>A node of the tree.</summary>
/// <param name="Depth">1 for the first level.</param>
/// <param name="Level">The node's dimension (<c>team</c>).</param>
/// <param name="Path">The values from the first level down, joined with <c> &gt; </c>.</param>
/// <param name="ShareOfParent">Cost over the parent's, rounded to six places; null when the parent's is zero.</param>
/// <param name="ShareOfTotal">Cost over the tree's total; null when the total is zero.</param>
public sealed record HierarchyReportRow(string Currency, int Depth, string Level, string Path, string Value, decimal Cost, decimal? ShareOfParent, decimal? ShareOfTotal);
