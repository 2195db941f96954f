using ModelMeter.Core.Budgets;
using ModelMeter.Store;

namespace ModelMeter.Application.Budgets;

/// <summary><c>budget list</c>: the configured budgets, parents before children.</summary>
/// <param name="ConfigFile">The config file they come from; null when none was found.</param>
public sealed record BudgetListReport(string? ConfigFile, IReadOnlyList<BudgetDocument> Budgets)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A budget as configured.</summary>
/// <param name="OwnScope">Its own conditions; <see cref="Scope"/> adds its parents'.</param>
/// <param name="Depth">0 for a top-level budget, 1 inside it, ...</param>
/// <param name="OnExceed">What happens when it is exceeded; null for nothing.</param>
public sealed record BudgetDocument(
    string Name,
    string? Parent,
    int Depth,
    string Scope,
    string OwnScope,
    string Basis,
    string Period,
    string TimeZone,
    decimal Amount,
    string Currency,
    IReadOnlyList<decimal> ActualThresholds,
    IReadOnlyList<decimal> ForecastThresholds,
    string? Owner,
    string? Team,
    IReadOnlyList<string> Sinks,
    BudgetActionDocument? OnExceed)
{
    public static BudgetDocument Of(BudgetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var b = node.Budget;
        return new BudgetDocument(
            b.Name, b.Parent, node.Depth, b.Scope.Label, b.OwnScope.Label, b.Basis.ToString().ToLowerInvariant(), b.Period.ToString().ToLowerInvariant(),
            BudgetWindow.ZoneName(b.Zone), b.Amount.Amount, b.Amount.Currency, b.ActualThresholds, b.ForecastThresholds, b.Owner, b.TeamLabel, b.Sinks,
            b.OnExceed is { } a ? new BudgetActionDocument(a.FailCheck, a.Command) : null);
    }
}

/// <param name="FailCheck"><c>check</c> fails for the budget's scope while it is exceeded.</param>
/// <param name="Command">Run once per period by <c>alert</c>, the finding as JSON on stdin.</param>
public sealed record BudgetActionDocument(bool FailCheck, IReadOnlyList<string>? Command);

/// <summary><c>budget add</c> / <c>budget remove</c>: what changed in which file.</summary>
public sealed record BudgetChangeResult(string ConfigFile, string Budget, bool Created, bool Removed)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary><c>budget status</c>: every budget in its current period, as a tree.</summary>
/// <param name="Recorded">Closed periods this run kept in the store (first evaluation after they ended).</param>
public sealed record BudgetStatusReport(DateTime GeneratedAt, IReadOnlyList<BudgetStatusDocument> Budgets, int Recorded)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One budget's current period.</summary>
/// <param name="AsOf">The last local day counted: where the imported actuals end, at most yesterday.</param>
/// <param name="Percent">Spent as a percentage of the amount.</param>
/// <param name="Forecast">Period-end spend by <see cref="Forecaster"/>; <see cref="Lower"/>–<see cref="Upper"/> its 90% interval.</param>
/// <param name="Forecaster">The forecaster that won the backtest on this budget's history.</param>
/// <param name="ForecasterMape">Its backtest MAPE (percent); null when no complete period could be replayed.</param>
/// <param name="ReachesAmountOn">The day spend reached the amount, or is forecast to, within the period.</param>
/// <param name="Status"><c>ok</c>, <c>warning</c>, <c>at_risk</c> (forecast over a forecast threshold) or <c>over</c>.</param>
/// <param name="BreachReportedAt">Budgets inside this one where its breach is reported (the lowest that break).</param>
/// <param name="History">Closed periods kept in the store, oldest first.</param>
public sealed record BudgetStatusDocument(
    string Name,
    string? Parent,
    int Depth,
    string Scope,
    string Basis,
    string Period,
    string TimeZone,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateOnly AsOf,
    string Currency,
    decimal Amount,
    decimal Spent,
    decimal Percent,
    decimal Forecast,
    decimal Lower,
    decimal Upper,
    decimal ForecastPercent,
    string Forecaster,
    decimal? ForecasterMape,
    int DaysLeft,
    DateOnly? ReachesAmountOn,
    string Status,
    string? Owner,
    string? Team,
    IReadOnlyList<string> Sinks,
    IReadOnlyList<CrossingDocument> Crossings,
    IReadOnlyList<string> BreachReportedAt,
    IReadOnlyList<BudgetPeriodDocument> History)
{
    public static BudgetStatusDocument Of(BudgetState state, IReadOnlyList<BudgetPeriodRecord> history)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        var e = state.Evaluation;
        var b = e.Budget;
        return new BudgetStatusDocument(
            b.Name, b.Parent, state.Node.Depth, b.Scope.Label, b.Basis.ToString().ToLowerInvariant(), e.Window.Label, BudgetWindow.ZoneName(b.Zone),
            e.Window.Start, e.Window.End, e.AsOf, b.Amount.Currency, b.Amount.Amount, e.Spent, e.Percent,
            Math.Round(e.Forecast.Forecast, 2), Math.Round(e.Forecast.Lower, 2), Math.Round(e.Forecast.Upper, 2), e.ForecastPercent, state.Forecaster,
            state.Backtest.First(s => s.Forecaster == state.Forecaster).Mape, e.DaysLeft, e.ReachesAmountOn, HealthText(e.Health), b.Owner, b.TeamLabel, b.Sinks,
            e.Crossings.Select(c => new CrossingDocument(c.Kind, c.Threshold, c.Percent, c.ReportedAt)).ToList(),
            e.Crossings.Where(c => c.IsBreach).SelectMany(c => c.ReportedAt).Distinct().Order(StringComparer.Ordinal).ToList(),
            history.Where(h => h.PeriodEnd <= e.Window.Start).Select(BudgetPeriodDocument.Of).ToList());
    }

    public static string HealthText(BudgetHealth health) => health switch
    {
        BudgetHealth.Over => "over",
        BudgetHealth.AtRisk => "at_risk",
        BudgetHealth.Warning => "warning",
        _ => "ok",
    };
}

/// <summary>A threshold crossed: <c>actual</c> or <c>forecast</c>, the threshold and where the figure is (percent of the amount).</summary>
/// <param name="ReportedAt">For a breach also broken inside: the lowest budgets that break, where it is reported.</param>
public sealed record CrossingDocument(string Kind, decimal Threshold, decimal Percent, IReadOnlyList<string> ReportedAt);

/// <summary>A closed period as it ended.</summary>
public sealed record BudgetPeriodDocument(string Period, DateOnly PeriodStart, DateOnly PeriodEnd, string Currency, decimal Amount, decimal Spent, decimal Percent, string Status, DateTime RecordedAt)
{
    public static BudgetPeriodDocument Of(BudgetPeriodRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new BudgetPeriodDocument(r.Period, r.PeriodStart, r.PeriodEnd, r.Currency, r.Amount, r.Spent, Math.Round(r.Spent / r.Amount * 100m, 2), r.Status, r.RecordedAt);
    }
}
