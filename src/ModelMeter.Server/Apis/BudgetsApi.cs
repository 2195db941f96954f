using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Forecasting;

namespace ModelMeter.Server.Apis;

/// <summary>
/// <c>budget status</c>, <c>budget list</c>, <c>forecast</c> and <c>anomalies</c> over HTTP. Parameters are named
/// explicitly so the OpenAPI document spells them as the CLI's options (<c>as-of</c>, <c>min-impact</c> ...).
/// </summary>
public static class BudgetsApi
{
    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/budgets", (BudgetsUseCase budgets, Caller caller) => Document.Of(budgets.List(caller.Store, caller.Access)))
            .WithName("BudgetList").WithSummary("The configured budgets, parents before children (modelmeter budget list).").WithTags("Budgets");

        api.MapGet("/budgets/status", (BudgetsUseCase budgets, Caller caller, [FromQuery(Name = "as-of")] string? asOf) =>
                Document.Of(budgets.Status(new BudgetStatusRequest { Store = caller.Store, Access = caller.Access, AsOf = asOf })))
            .WithName("BudgetStatus").WithSummary("Every budget in its current period, as a tree: spent, forecast, status (modelmeter budget status).").WithTags("Budgets");

        api.MapGet("/budgets/status/{name}", (BudgetsUseCase budgets, Caller caller, string name, [FromQuery(Name = "as-of")] string? asOf) =>
                Document.Of(budgets.Status(new BudgetStatusRequest { Store = caller.Store, Access = caller.Access, Name = name, AsOf = asOf })))
            .WithName("BudgetStatusOf").WithSummary("One budget and the budgets inside it (modelmeter budget status NAME).").WithTags("Budgets");

        api.MapGet("/forecast", (ForecastUseCase forecast, Caller caller, [AsParameters] ForecastParameters query) =>
                Document.Of(forecast.Run(query.Request(caller))))
            .WithName("Forecast").WithSummary("Period-end spend per scope by the forecaster that wins the backtest (modelmeter forecast).").WithTags("Forecasts");

        api.MapGet("/anomalies", (AnomaliesUseCase anomalies, Caller caller, [AsParameters] AnomaliesParameters query) =>
                Document.Of(anomalies.Run(query.Request(caller))))
            .WithName("Anomalies").WithSummary("Days whose cost departed from what was expected, with their drivers (modelmeter anomalies).").WithTags("Anomalies");
        return api;
    }
}

/// <summary><c>forecast</c>'s options as query parameters.</summary>
/// <param name="Backtest">Accepted as the CLI's <c>--backtest</c>: the JSON document always holds the backtest (every forecaster's MAPE and figures).</param>
public sealed record ForecastParameters(
    [FromQuery(Name = "by")] string? By,
    [FromQuery(Name = "where")] string[]? Where,
    [FromQuery(Name = "period")] string? Period,
    [FromQuery(Name = "cost")] string? Cost,
    [FromQuery(Name = "allocated")] bool? Allocated,
    [FromQuery(Name = "time-zone")] string? TimeZone,
    [FromQuery(Name = "as-of")] string? AsOf,
    [FromQuery(Name = "forecaster")] string? Forecaster,
    [FromQuery(Name = "backtest")] bool? Backtest)
{
    public ForecastRequest Request(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new ForecastRequest
        {
            Store = caller.Store, Access = caller.Access, By = By, Where = Where ?? [], Period = Period, Cost = Cost, Allocated = Allocated ?? false,
            TimeZone = TimeZone, AsOf = AsOf, Forecaster = Forecaster,
        };
    }
}

/// <summary><c>anomalies</c>' options as query parameters (not <c>--labels</c>: it names a file on the caller's machine).</summary>
public sealed record AnomaliesParameters(
    [FromQuery(Name = "by")] string? By,
    [FromQuery(Name = "where")] string[]? Where,
    [FromQuery(Name = "last")] string? Last,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "detector")] string? Detector,
    [FromQuery(Name = "min-impact")] decimal? MinImpact,
    [FromQuery(Name = "threshold")] decimal? Threshold)
{
    public AnomaliesRequest Request(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new AnomaliesRequest
        {
            Store = caller.Store, Access = caller.Access, By = By, Where = Where ?? [], Last = Last, From = From, To = To, Detector = Detector,
            MinImpact = MinImpact, Threshold = Threshold,
        };
    }
}
