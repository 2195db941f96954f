using ModelMeter.Application.Attribution;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Forecasting;
using ModelMeter.Store;

namespace ModelMeter.Application.Budgets;

/// <summary>One budget evaluated in its current period, with how its forecasters did on its own history.</summary>
/// <param name="Days">The budget's daily cost up to the last day counted (for the closed periods and the charts).</param>
/// <param name="Closed">The periods that ended before the current one, as they ended.</param>
public sealed record BudgetState(
    BudgetNode Node,
    BudgetEvaluation Evaluation,
    IReadOnlyList<BacktestScore> Backtest,
    string Forecaster,
    IReadOnlyList<DailyCost> Days,
    IReadOnlyList<BudgetPeriodRecord> Closed);

/// <summary>
/// Evaluates every configured budget: its spend this period (through the tag policy, or allocated), the period-end
/// forecast by the forecaster that wins the backtest on the budget's own history, the thresholds crossed, breaches
/// attributed to the lowest budget that breaks, and the closed periods to keep.
/// </summary>
public static class BudgetBook
{
    /// <summary>How far back a budget's history is read for its forecast and backtest.</summary>
    private const int HistoryDays = 731;

    /// <param name="store">The store.</param>
    /// <param name="setup">The tag policy and allocation rules.</param>
    /// <param name="budgets">The budgets.</param>
    /// <param name="nowUtc">The clock.</param>
    /// <param name="asOf">Evaluate as of the end of this local day instead of now (what was known then).</param>
    /// <param name="warnings">Notes for the person asking.</param>
    /// <param name="shown">The budgets the person asking may see (a team's key): only theirs get notes. Null for all.</param>
    public static IReadOnlyList<BudgetState> Evaluate(
        ICostStore store, AttributionSetup setup, IReadOnlyList<BudgetDefinition> budgets, DateTime nowUtc, DateOnly? asOf, List<string> warnings,
        Func<BudgetDefinition, bool>? shown = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(warnings);
        var tree = BudgetTree.Order(budgets);
        var reader = new SpendSeriesReader(store, setup);
        var states = new List<BudgetState>();
        foreach (var node in tree)
        {
            var budget = node.Budget;
            var notes = shown is null || shown(budget) ? warnings : [];
            var today = asOf?.AddDays(1) ?? BudgetWindow.LocalDay(nowUtc, budget.Zone);
            var window = BudgetWindow.Containing(budget.Period, asOf ?? today, budget.Zone);
            var last = SpendSeriesReader.LastDay(store, budget.Zone, today) ?? window.Start.AddDays(-1);
            var first = SpendSeriesReader.FirstDay(store, budget.Zone) ?? window.Start;
            if (first < last.AddDays(-HistoryDays))
            {
                first = last.AddDays(-HistoryDays);
            }

            var series = last < first ? [] : reader.Read(budget.Scope.Filters, [], budget.Basis, budget.Zone, first, last);
            foreach (var other in series.Where(s => s.Currency != budget.Amount.Currency))
            {
                notes.Add($"budget {budget.Name}: its scope also has {other.Currency} {other.Days.Sum(d => d.Total):0.##} of spend, which is not counted (the budget is in {budget.Amount.Currency}; ModelMeter does not convert).");
            }

            var days = series.FirstOrDefault(s => s.Currency == budget.Amount.Currency)?.Days
                       ?? (last < first ? [] : DailySeries.Contiguous([], first, last));
            if (days.All(d => d.Total == 0m))
            {
                notes.Add($"budget {budget.Name}: no imported line item matches its scope ({(budget.Scope.Label.Length == 0 ? "everything" : budget.Scope.Label)}); its spend counts as 0.");
            }

            var scores = Backtest.Run([days], budget.Period, Forecasters.All);
            var winner = Forecasters.Find(Backtest.Winner(scores))!;
            var input = new ForecastInput(days, window.Start, window.End, last) { Kind = budget.Period };
            var forecast = winner.Forecast(input);
            var evaluation = BudgetEvaluation.Evaluate(budget, window, last, days.Where(d => window.Contains(d.Day)).ToList(), forecast);
            states.Add(new BudgetState(node, evaluation, scores, winner.Name, days, Closed(budget, days, window, nowUtc)));
        }

        var attributed = BudgetEvaluation.AttributeBreaches(tree, states.Select(s => s.Evaluation).ToList());
        return states.Zip(attributed, (s, e) => s with { Evaluation = e }).ToList();
    }

    /// <summary>The complete periods before the current one that the history covers, each as it ended.</summary>
    private static List<BudgetPeriodRecord> Closed(BudgetDefinition budget, IReadOnlyList<DailyCost> days, BudgetWindow current, DateTime nowUtc)
    {
        var closed = new List<BudgetPeriodRecord>();
        if (days.Count == 0)
        {
            return closed;
        }

        for (var period = current.Previous; period.Start >= days[0].Day && period.End.AddDays(-1) <= days[^1].Day; period = period.Previous)
        {
            var spent = days.Where(d => period.Contains(d.Day)).Sum(d => d.Total);
            var percent = spent / budget.Amount.Amount * 100m;
            var status = percent >= 100m ? "over" : budget.ActualThresholds.Any(t => percent >= t) ? "warning" : "ok";
            closed.Add(new BudgetPeriodRecord(budget.Name, period.Label, period.Start, period.End, BudgetWindow.ZoneName(budget.Zone),
                budget.Amount.Currency, budget.Amount.Amount, spent, status, nowUtc));
        }

        closed.Reverse();
        return closed;
    }
}
