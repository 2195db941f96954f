using ModelMeter.Core.Budgets;

namespace ModelMeter.Core.Forecasting;

/// <summary>One forecaster's error on history: the mean absolute percentage error over every replayed day.</summary>
/// <param name="Mape">Mean of |forecast − actual| ÷ |actual| over <see cref="Forecasts"/>, as a percentage; null when nothing could be replayed.</param>
/// <param name="Forecasts">How many (scope, day) forecasts were replayed.</param>
/// <param name="Periods">How many complete (scope, period) pairs were replayed.</param>
public sealed record BacktestScore(string Forecaster, decimal? Mape, int Forecasts, int Periods);

/// <summary>
/// Replays history: for every complete period in the data and every day in it, each forecaster sees only the days
/// up to that day and forecasts the period end; its error is compared with what the period really cost. The
/// forecaster with the lowest MAPE wins and becomes the default on this data.
/// </summary>
public static class Backtest
{
    /// <param name="scopes">Each scope's contiguous daily history (local days of the budget's zone).</param>
    /// <param name="kind">The period replayed (month, quarter, year).</param>
    /// <param name="forecasters">The forecasters compared.</param>
    public static IReadOnlyList<BacktestScore> Run(IEnumerable<IReadOnlyList<DailyCost>> scopes, BudgetPeriodKind kind, IReadOnlyList<IForecaster> forecasters)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(forecasters);
        var errors = forecasters.ToDictionary(f => f.Name, _ => new List<decimal>(), StringComparer.Ordinal);
        var periods = 0;
        foreach (var history in scopes)
        {
            foreach (var period in CompletePeriods(history, kind))
            {
                var actual = history.Where(d => d.Day >= period.Start && d.Day < period.End).Sum(d => d.Total);
                if (actual == 0m)
                {
                    continue; // a percentage error of nothing is undefined
                }

                periods++;
                for (var asOf = period.Start; asOf < period.End; asOf = asOf.AddDays(1))
                {
                    var input = new ForecastInput(history, period.Start, period.End, asOf) { Kind = kind };
                    foreach (var forecaster in forecasters)
                    {
                        var forecast = forecaster.Forecast(input).Forecast;
                        errors[forecaster.Name].Add(Math.Abs(forecast - actual) / Math.Abs(actual) * 100m);
                    }
                }
            }
        }

        return forecasters
            .Select(f => new BacktestScore(f.Name, errors[f.Name].Count == 0 ? null : Math.Round(errors[f.Name].Average(), 4), errors[f.Name].Count, periods))
            .ToList();
    }

    /// <summary>The lowest MAPE; <see cref="Forecasters.Designed"/> when none could be measured. Ties go to the earlier listed.</summary>
    public static string Winner(IReadOnlyList<BacktestScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var measured = scores.Where(s => s.Mape is not null).ToList();
        return measured.Count == 0 ? Forecasters.Designed.Name : measured.OrderBy(s => s.Mape).First().Forecaster;
    }

    /// <summary>The periods wholly inside the history's days.</summary>
    public static IEnumerable<BudgetPeriod> CompletePeriods(IReadOnlyList<DailyCost> history, BudgetPeriodKind kind)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            yield break;
        }

        var first = history[0].Day;
        var last = history[^1].Day;
        for (var period = BudgetPeriod.Containing(kind, first); period.End.AddDays(-1) <= last; period = BudgetPeriod.Containing(kind, period.End))
        {
            if (period.Start >= first)
            {
                yield return period;
            }
        }
    }
}
