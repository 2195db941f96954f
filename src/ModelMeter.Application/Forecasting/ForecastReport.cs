namespace ModelMeter.Application.Forecasting;

/// <summary><c>modelmeter forecast --format json</c>: period-end spend per scope, and how each forecaster did on this data.</summary>
/// <param name="Kind"><c>month</c>, <c>quarter</c> or <c>year</c>.</param>
/// <param name="Period">The period forecast (<c>2026-12</c>).</param>
/// <param name="AsOf">The last day of history used (where the imported actuals end, at most yesterday).</param>
/// <param name="Dimensions">The <c>--by</c> dimensions; each scope has a value for each.</param>
/// <param name="DefaultForecaster">The forecaster whose figures are each scope's <c>forecast</c>: the backtest's winner unless <c>--forecaster</c> chose.</param>
/// <param name="Forecasters">Every forecaster with its backtest MAPE (percent; null when nothing could be replayed).</param>
public sealed record ForecastReport(
    string Kind,
    string Period,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateOnly AsOf,
    string TimeZone,
    IReadOnlyList<string> Dimensions,
    string DefaultForecaster,
    IReadOnlyList<ForecasterDocument> Forecasters,
    IReadOnlyList<ForecastScopeDocument> Scopes)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A forecaster and its backtest.</summary>
/// <param name="Mape">Mean absolute percentage error over every replayed day, percent.</param>
/// <param name="Forecasts">How many (scope, day) forecasts were replayed.</param>
/// <param name="Periods">How many complete (scope, period) pairs they cover.</param>
/// <param name="Default">Whether it is the default (the winner).</param>
public sealed record ForecasterDocument(string Name, decimal? Mape, int Forecasts, int Periods, bool Default);

/// <summary>One scope's period end.</summary>
/// <param name="Values">Dimension label → value.</param>
/// <param name="Spent">Spend in the period so far.</param>
/// <param name="Forecast">The default forecaster's period-end spend; <see cref="Lower"/>–<see cref="Upper"/> its 90% interval.</param>
/// <param name="ByForecaster">Every forecaster's figures.</param>
public sealed record ForecastScopeDocument(
    IReadOnlyDictionary<string, string> Values,
    string Currency,
    int DaysElapsed,
    int DaysLeft,
    decimal Spent,
    decimal Forecast,
    decimal Lower,
    decimal Upper,
    string Forecaster,
    IReadOnlyList<ForecasterForecast> ByForecaster);

public sealed record ForecasterForecast(string Name, decimal Forecast, decimal Lower, decimal Upper);
