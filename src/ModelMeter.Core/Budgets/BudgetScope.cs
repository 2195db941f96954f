using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Budgets;

/// <summary>
/// The slice of imported spend a budget covers: conditions in the syntax of <c>--where</c>, all of which must hold
/// (e.g. <c>tag:team=search</c> and <c>ServiceCategory!=Storage</c>).
/// </summary>
public sealed record BudgetScope(IReadOnlyList<Filter> Filters, string Label)
{
    /// <summary>Parses <c>--scope</c> conditions; the label is the conditions as written, joined with <c>and</c>.</summary>
    public static BudgetScope Parse(IReadOnlyList<string> conditions, string option = "--scope")
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var filters = conditions.Select(c => ReportArguments.ParseFilter(c, option)).ToList();
        return new BudgetScope(filters, string.Join(" and ", conditions.Select(c => c.Trim())));
    }
}
