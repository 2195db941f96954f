using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Forecasting;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Forecasting;

/// <summary><c>forecast</c>: which scopes, which period, which cost.</summary>
public sealed record ForecastRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (its team is one more condition of every scope).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    public string? By { get; init; }

    public IReadOnlyList<string> Where { get; init; } = [];

    /// <summary><c>month</c> (default), <c>quarter</c> or <c>year</c>.</summary>
    public string? Period { get; init; }

    public string? Cost { get; init; }

    /// <summary>Forecast allocated cost (shared pools split by the rules) instead of the bill.</summary>
    public bool Allocated { get; init; }

    /// <summary>An IANA zone for the period's days (default UTC).</summary>
    public string? TimeZone { get; init; }

    /// <summary>Forecast as of the end of this day (<c>YYYY-MM-DD</c>), with only what was known then.</summary>
    public string? AsOf { get; init; }

    /// <summary>Use this forecaster instead of the backtest's winner.</summary>
    public string? Forecaster { get; init; }
}

/// <summary>
/// Period-end spend per scope from daily history: every forecaster is backtested on the scopes' own history
/// (<see cref="Backtest"/>), the winner is the default, and each scope gets its forecast and 90% interval.
/// </summary>
public sealed class ForecastUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    private const int HistoryDays = 731;

    public ForecastReport Run(ForecastRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var by = ReportArguments.ParseBy(request.By);
        var where = request.Access.Restrict(request.Where).Select(ReportArguments.ParseFilter).ToList();
        var kind = BudgetPeriod.ParseKind(request.Period);
        var cost = ReportArguments.ParseCost(request.Cost);
        var zone = BudgetWindow.ParseZone(request.TimeZone, "--time-zone");
        var asOf = BudgetsUseCase.ParseDay(request.AsOf, "--as-of");
        IForecaster? chosen = null;
        if (request.Forecaster is { } name)
        {
            chosen = Forecasters.Find(name) ?? throw new UserInputException($"--forecaster '{name}' is not a forecaster; use {string.Join(", ", Forecasters.All.Select(f => f.Name))}.");
        }

        using var opened = stores.Open(request.Store, StoreAccess.Read, "forecast reads the daily spend from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var today = asOf?.AddDays(1) ?? BudgetWindow.LocalDay(environment.UtcNow, zone);
        var window = BudgetWindow.Containing(kind, asOf ?? today, zone);
        var warnings = new List<string>();
        var last = SpendSeriesReader.LastDay(opened.Store, zone, today);
        var first = SpendSeriesReader.FirstDay(opened.Store, zone);
        if (last is null || first is null || last < first)
        {
            return new ForecastReport(kind.ToString().ToLowerInvariant(), window.Label, window.Start, window.End, window.Start.AddDays(-1), BudgetWindow.ZoneName(zone),
                by.Select(d => d.Label).ToList(), chosen?.Name ?? Forecasters.Designed.Name,
                Forecasters.All.Select(f => new ForecasterDocument(f.Name, null, 0, 0, f.Name == (chosen?.Name ?? Forecasters.Designed.Name))).ToList(), [])
            {
                Warnings = ["The store holds no line items to forecast from."],
            };
        }

        if (first < last.Value.AddDays(-HistoryDays))
        {
            first = last.Value.AddDays(-HistoryDays);
        }

        if (last < window.Start.AddDays(-1))
        {
            warnings.Add(FormattableString.Invariant($"The imported actuals end on {last:yyyy-MM-dd}, before {window.Label} starts: the forecast is from history alone."));
        }

        var series = new SpendSeriesReader(opened.Store, setup).Read(where, by, request.Allocated ? BudgetBasis.Allocated : BudgetBasis.Direct, zone, first.Value, last.Value, cost);
        var scores = Backtest.Run(series.Select(s => s.Days), kind, Forecasters.All);
        var winner = chosen?.Name ?? Backtest.Winner(scores);
        if (scores.All(s => s.Mape is null))
        {
            warnings.Add($"The history holds no complete {kind.ToString().ToLowerInvariant()} to backtest on, so the default is {Forecasters.Designed.Name}, the forecaster built for weekday patterns, level shifts and one-off charges.");
        }

        var scopes = series.Select(s =>
        {
            var input = new ForecastInput(s.Days, window.Start, window.End, last.Value) { Kind = kind };
            var all = Forecasters.All.Select(f => f.Forecast(input)).ToList();
            var main = all.First(r => r.Forecaster == winner);
            return new ForecastScopeDocument(
                by.Select((d, i) => (d.Label, s.Values[i])).ToDictionary(p => p.Label, p => p.Item2, StringComparer.Ordinal),
                s.Currency, input.DaysElapsed, input.DaysLeft, main.Spent, Round(main.Forecast), Round(main.Lower), Round(main.Upper), winner,
                all.Select(r => new ForecasterForecast(r.Forecaster, Round(r.Forecast), Round(r.Lower), Round(r.Upper))).ToList());
        }).OrderByDescending(s => s.Forecast).ToList();

        return new ForecastReport(kind.ToString().ToLowerInvariant(), window.Label, window.Start, window.End, last.Value, BudgetWindow.ZoneName(zone),
            by.Select(d => d.Label).ToList(), winner,
            scores.Select(s => new ForecasterDocument(s.Forecaster, s.Mape, s.Forecasts, s.Periods, s.Forecaster == winner)).ToList(), scopes)
        {
            Warnings = warnings,
        };
    }

    private static decimal Round(decimal value) => Math.Round(value, 2);
}
