using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Budgets;

/// <summary>A budget in the tree, with its depth (0 for a top-level budget) and its children's names.</summary>
public sealed record BudgetNode(BudgetDefinition Budget, int Depth, IReadOnlyList<string> Children);

/// <summary>
/// Budgets nest: a team's inside its cost centre's. A child's scope is its own conditions and its parent's, so its
/// spend is always part of its parent's. The tree is listed depth first, each budget before its children.
/// </summary>
public static class BudgetTree
{
    public static IReadOnlyList<BudgetNode> Order(IReadOnlyList<BudgetDefinition> budgets)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var children = budgets.ToLookup(b => b.Parent ?? string.Empty, StringComparer.Ordinal);
        var list = new List<BudgetNode>();
        void Visit(BudgetDefinition budget, int depth)
        {
            var kids = children[budget.Name].ToList();
            list.Add(new BudgetNode(budget, depth, kids.Select(k => k.Name).ToList()));
            foreach (var kid in kids)
            {
                Visit(kid, depth + 1);
            }
        }

        foreach (var root in children[string.Empty])
        {
            Visit(root, 0);
        }

        return list;
    }

    /// <summary>Every descendant of a budget.</summary>
    public static IEnumerable<string> Descendants(IReadOnlyList<BudgetNode> tree, string name)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var byName = tree.ToDictionary(n => n.Budget.Name, StringComparer.Ordinal);
        var stack = new Stack<string>(byName[name].Children);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            yield return next;
            foreach (var child in byName[next].Children)
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>Refuses unknown parents and cycles, naming the budget.</summary>
    public static void Validate(IReadOnlyList<(string Name, string? Parent)> budgets, string source)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var names = budgets.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var parents = budgets.ToDictionary(b => b.Name, b => b.Parent, StringComparer.Ordinal);
        foreach (var (name, parent) in budgets)
        {
            if (parent is not null && !names.Contains(parent))
            {
                throw new UserInputException($"{source}: budgets.{name}.parent '{parent}' is not a budget; parents are other budgets' names ({string.Join(", ", names.Order(StringComparer.Ordinal))}).");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal) { name };
            for (var p = parent; p is not null; p = parents[p])
            {
                if (!seen.Add(p))
                {
                    throw new UserInputException($"{source}: budgets.{name}: the parents form a cycle ({string.Join(" > ", seen)} > {p}); a budget cannot sit inside itself.");
                }
            }
        }
    }
}
