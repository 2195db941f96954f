using ModelMeter.Core.Forecasting;

namespace ModelMeter.Core.Budgets;

/// <summary>A budget's state: over (actual at or past 100%), at risk (forecast past a forecast threshold), warning (actual past a lower threshold), ok.</summary>
public enum BudgetHealth
{
    Ok,
    Warning,
    AtRisk,
    Over,
}

/// <summary>Actual spend or the period-end forecast at or past one of the budget's thresholds.</summary>
/// <param name="Kind"><c>actual</c> or <c>forecast</c>.</param>
/// <param name="Threshold">The threshold, percent of the amount.</param>
/// <param name="Percent">Where the spend or forecast is, percent of the amount.</param>
/// <param name="ReportedAt">For a breach (100% or more) also broken by budgets inside this one: the lowest of them,
/// where the breach is reported instead; empty when it is reported here.</param>
public sealed record ThresholdCrossing(string Kind, decimal Threshold, decimal Percent, IReadOnlyList<string> ReportedAt)
{
    public const string Actual = "actual";
    public const string Forecast = "forecast";

    /// <summary>Whether this budget sends the finding (it is not a breach reported at a budget inside it).</summary>
    public bool IsReportedHere => ReportedAt.Count == 0;

    public bool IsBreach => Threshold >= 100m;
}

/// <summary>One budget in its current period: spent, forecast, thresholds crossed.</summary>
/// <param name="AsOf">The last local day counted (where the imported actuals end, at most today).</param>
/// <param name="ReachesAmountOn">The day spend reached the amount, or is forecast to within the period; null when it is not expected to.</param>
public sealed record BudgetEvaluation(
    BudgetDefinition Budget,
    BudgetWindow Window,
    DateOnly AsOf,
    decimal Spent,
    decimal Percent,
    ForecastResult Forecast,
    decimal ForecastPercent,
    int DaysLeft,
    DateOnly? ReachesAmountOn,
    BudgetHealth Health,
    IReadOnlyList<ThresholdCrossing> Crossings)
{
    public static BudgetEvaluation Evaluate(BudgetDefinition budget, BudgetWindow window, DateOnly asOf, IReadOnlyList<DailyCost> periodDays, ForecastResult forecast)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(periodDays);
        ArgumentNullException.ThrowIfNull(forecast);
        var amount = budget.Amount.Amount;
        var spent = forecast.Spent;
        var percent = PercentOf(spent, amount);
        var forecastPercent = PercentOf(forecast.Forecast, amount);
        var daysLeft = Math.Max(0, window.End.DayNumber - asOf.DayNumber - 1);
        var crossings = budget.ActualThresholds.Where(t => percent >= t).Select(t => new ThresholdCrossing(ThresholdCrossing.Actual, t, percent, []))
            .Concat(budget.ForecastThresholds.Where(t => forecastPercent >= t).Select(t => new ThresholdCrossing(ThresholdCrossing.Forecast, t, forecastPercent, [])))
            .ToList();
        var health = percent >= 100m ? BudgetHealth.Over
            : budget.ForecastThresholds.Any(t => forecastPercent >= t) ? BudgetHealth.AtRisk
            : budget.ActualThresholds.Any(t => percent >= t) ? BudgetHealth.Warning
            : BudgetHealth.Ok;
        return new BudgetEvaluation(budget, window, asOf, spent, percent, forecast, forecastPercent, daysLeft,
            ReachesOn(amount, asOf, window, periodDays, forecast, daysLeft), health, crossings);
    }

    /// <summary>
    /// Marks breaches that budgets inside a budget also break as reported at the lowest of them: the team that
    /// overspent hears of it, not every budget above it again. A parent that breaks while no child does reports itself.
    /// </summary>
    public static IReadOnlyList<BudgetEvaluation> AttributeBreaches(IReadOnlyList<BudgetNode> tree, IReadOnlyList<BudgetEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(evaluations);
        var byName = evaluations.ToDictionary(e => e.Budget.Name, StringComparer.Ordinal);
        bool Breaks(string name, string kind) => byName.TryGetValue(name, out var e) && e.Crossings.Any(c => c.Kind == kind && c.IsBreach);

        return evaluations.Select(e =>
        {
            var descendants = BudgetTree.Descendants(tree, e.Budget.Name).ToList();
            var crossings = e.Crossings.Select(c =>
            {
                if (!c.IsBreach)
                {
                    return c;
                }

                // The lowest breaking budgets: breaking descendants none of whose own descendants break the same way.
                var lowest = descendants
                    .Where(d => Breaks(d, c.Kind) && !BudgetTree.Descendants(tree, d).Any(x => Breaks(x, c.Kind)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                return c with { ReportedAt = lowest };
            }).ToList();
            return e with { Crossings = crossings };
        }).ToList();
    }

    private static decimal PercentOf(decimal value, decimal amount) => amount == 0m ? (value > 0m ? 100m : 0m) : Math.Round(value / amount * 100m, 2);

    private static DateOnly? ReachesOn(decimal amount, DateOnly asOf, BudgetWindow window, IReadOnlyList<DailyCost> days, ForecastResult forecast, int daysLeft)
    {
        var running = 0m;
        foreach (var day in days.Where(d => window.Contains(d.Day) && d.Day <= asOf).OrderBy(d => d.Day))
        {
            running += day.Total;
            if (running >= amount)
            {
                return day.Day;
            }
        }

        if (daysLeft == 0 || forecast.Forecast < amount)
        {
            return null;
        }

        var perDay = (forecast.Forecast - forecast.Spent) / daysLeft;
        if (perDay <= 0m)
        {
            return null;
        }

        var needed = (int)Math.Ceiling((amount - forecast.Spent) / perDay);
        var on = asOf.AddDays(Math.Max(1, needed));
        return on < window.End ? on : window.End.AddDays(-1);
    }
}
