namespace ModelMeter.Core.Attribution;

/// <summary>An amount with its dimension values (normalised tag keys), as the store's GROUP BY over the hierarchy keys returns it.</summary>
public sealed record DimensionedAmount(IReadOnlyDictionary<string, string?> Dimensions, decimal Amount, string Currency);

/// <summary>A node of the cost tree: a value at one level with its subtotal and children (largest first).</summary>
/// <param name="Level">The dimension of this level (<c>team</c>); empty for the root.</param>
/// <param name="Value">The dimension value, or the untagged label; <c>total</c> for the root.</param>
/// <param name="Depth">0 for the root, 1 for the first level.</param>
public sealed record HierarchyNode(string Level, string Value, int Depth, decimal Amount, IReadOnlyList<HierarchyNode> Children);

/// <summary>The cost tree of one currency.</summary>
public sealed record HierarchyTree(string Currency, IReadOnlyList<string> Levels, HierarchyNode Root);

/// <summary>One node of a tree flattened for a table or CSV: depth-first, parents before children.</summary>
/// <param name="Path">The values from the first level down to this node.</param>
/// <param name="ShareOfParent">Amount over the parent's amount; null when the parent's is zero.</param>
/// <param name="ShareOfTotal">Amount over the tree's total; null when the total is zero.</param>
public sealed record HierarchyRow(string Currency, int Depth, string Level, string Value, IReadOnlyList<string> Path, decimal Amount, decimal? ShareOfParent, decimal? ShareOfTotal);

/// <summary>
/// Rolls costs up the hierarchy (<c>cost_center &gt; team &gt; product &gt; model &gt; environment &gt; experiment</c>
/// by default, configurable) with subtotals at every level. Missing values become the untagged label, so every
/// cent appears; each currency gets its own tree.
/// </summary>
public static class HierarchyRollup
{
    public static readonly IReadOnlyList<string> DefaultLevels = Billing.CostHierarchy.Keys;

    /// <param name="depth">How many levels to expand (1 = the first level only); null for all.</param>
    public static IReadOnlyList<HierarchyTree> Build(IEnumerable<DimensionedAmount> rows, IReadOnlyList<string>? levels = null, int? depth = null, string untaggedLabel = "(untagged)")
    {
        ArgumentNullException.ThrowIfNull(rows);
        levels ??= DefaultLevels;
        if (levels.Count == 0)
        {
            throw new ArgumentException("A hierarchy needs at least one level.", nameof(levels));
        }

        if (depth is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be at least 1.");
        }

        var used = levels.Take(Math.Min(depth ?? levels.Count, levels.Count)).ToList();
        return rows
            .GroupBy(r => r.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var paths = g.Select(r => (Path: used.Select(l => ValueOf(r, l, untaggedLabel)).ToList(), r.Amount)).ToList();
                return new HierarchyTree(g.Key, used, new HierarchyNode(string.Empty, "total", 0, paths.Sum(p => p.Amount), Children(paths, used, 0)));
            })
            .ToList();
    }

    /// <summary>The tree depth-first, parents before children, children largest first.</summary>
    public static IReadOnlyList<HierarchyRow> Flatten(HierarchyTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var rows = new List<HierarchyRow>();
        Walk(tree.Root, []);
        return rows;

        void Walk(HierarchyNode parent, List<string> path)
        {
            foreach (var child in parent.Children)
            {
                var childPath = new List<string>(path) { child.Value };
                rows.Add(new HierarchyRow(
                    tree.Currency,
                    child.Depth,
                    child.Level,
                    child.Value,
                    childPath,
                    child.Amount,
                    parent.Amount == 0m ? null : child.Amount / parent.Amount,
                    tree.Root.Amount == 0m ? null : child.Amount / tree.Root.Amount));
                Walk(child, childPath);
            }
        }
    }

    private static List<HierarchyNode> Children(List<(List<string> Path, decimal Amount)> rows, List<string> levels, int index)
    {
        if (index >= levels.Count)
        {
            return [];
        }

        return rows
            .GroupBy(r => r.Path[index], StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToList();
                return new HierarchyNode(levels[index], g.Key, index + 1, members.Sum(m => m.Amount), Children(members, levels, index + 1));
            })
            .OrderByDescending(n => n.Amount)
            .ThenBy(n => n.Value, StringComparer.Ordinal)
            .ToList();
    }

    private static string ValueOf(DimensionedAmount row, string level, string untaggedLabel) =>
        row.Dimensions.TryGetValue(level, out var value) && !string.IsNullOrWhiteSpace(value) ? value : untaggedLabel;
}
