using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Budgets;

/// <summary>Which cost a budget is charged: the bill as imported, or the allocated view (shared pools split by the rules).</summary>
public enum BudgetBasis
{
    Direct,
    Allocated,
}

/// <summary>What to do when a budget is exceeded.</summary>
/// <param name="FailCheck"><c>check</c> fails for the budget's scope while it is exceeded.</param>
/// <param name="Command">A program and its arguments, run once per period by <c>alert</c> with the finding as JSON on stdin.</param>
public sealed record BudgetAction(bool FailCheck, IReadOnlyList<string>? Command);

/// <summary>A configured budget (<c>budgets:</c> in modelmeter.yaml).</summary>
/// <param name="OwnScope">Its own conditions, as written.</param>
/// <param name="Scope">Its conditions and its ancestors': what it is charged. A child is always inside its parent.</param>
/// <param name="ActualThresholds">Percentages of <see cref="Amount"/> actual spend is checked against, ascending.</param>
/// <param name="ForecastThresholds">Percentages the period-end forecast is checked against, ascending.</param>
public sealed record BudgetDefinition(
    string Name,
    BudgetScope OwnScope,
    BudgetScope Scope,
    string? Parent,
    BudgetBasis Basis,
    BudgetPeriodKind Period,
    TimeZoneInfo Zone,
    Money Amount,
    IReadOnlyList<decimal> ActualThresholds,
    IReadOnlyList<decimal> ForecastThresholds,
    string? Owner,
    string? Team,
    IReadOnlyList<string> Sinks,
    BudgetAction? OnExceed)
{
    public static readonly IReadOnlyList<decimal> DefaultActualThresholds = [50m, 80m, 100m];
    public static readonly IReadOnlyList<decimal> DefaultForecastThresholds = [100m];

    /// <summary>The team alerts are labelled with: <see cref="Team"/>, else the value of a <c>tag:team=</c> condition in the scope.</summary>
    public string? TeamLabel => Team ?? Scope.Filters
        .Where(f => f.Dimension is TagDimension { Key: var key } && string.Equals(key, "team", StringComparison.OrdinalIgnoreCase) && f.Operator == FilterOperator.Equal)
        .Select(f => f.Values[0])
        .LastOrDefault();
}
