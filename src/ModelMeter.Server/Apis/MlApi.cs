using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Kpis;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Unit;

namespace ModelMeter.Server.Apis;

/// <summary><c>runs</c>, <c>unit</c> and <c>kpi</c> over HTTP: the ML sources' answers, parameters spelled as the CLI's options.</summary>
public static class MlApi
{
    public static RouteGroupBuilder MapMlApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/runs", (RunsUseCase runs, Caller caller, [AsParameters] RunsParameters query) => Document.Of(runs.Run(query.Request(caller))))
            .WithName("Runs").WithSummary("MLflow runs with their cost, roll-ups, waste, efficiency per metric point and reconciliation (modelmeter runs).").WithTags("Runs");

        api.MapGet("/unit", (UnitUseCase unit, Caller caller, [AsParameters] CostQueryParameters query, [FromQuery(Name = "price")] string? price, [FromQuery(Name = "reconcile")] bool? reconcile) =>
                Document.Of(unit.Run(new UnitRequest { Store = caller.Store, Access = caller.Access, Query = query.Text, Price = price, Reconcile = reconcile ?? false })))
            .WithName("Unit").WithSummary("Unit economics: cost per prediction, per 1M tokens, per active user, margin, per scope and period (modelmeter unit).").WithTags("Unit economics");

        api.MapGet("/kpi", (KpiUseCase kpis, Caller caller, [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, [FromQuery(Name = "month")] string? month, [FromQuery(Name = "grain")] string? grain) =>
                Document.Of(kpis.Run(new KpiRequest { Store = caller.Store, Access = caller.Access, Query = new CostQueryText { From = from, To = to, Month = month, Grain = grain } })))
            .WithName("Kpi").WithSummary("The KPIs of modelmeter.yaml per period with their status against target, in tree order (modelmeter kpi).").WithTags("Unit economics");
        return api;
    }
}

/// <summary><c>runs</c>' options as query parameters (not <c>--out</c>: it names a file on the caller's machine; <c>chart</c> gives the chart's data).</summary>
public sealed record RunsParameters(
    [FromQuery(Name = "experiment")] string[]? Experiment,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "last")] string? Last,
    [FromQuery(Name = "month")] string? Month,
    [FromQuery(Name = "by")] string? By,
    [FromQuery(Name = "metric")] string[]? Metric,
    [FromQuery(Name = "reconcile")] bool? Reconcile,
    [FromQuery(Name = "chart")] string? Chart)
{
    public RunsRequest Request(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new RunsRequest
        {
            Store = caller.Store, Access = caller.Access, Experiments = Experiment ?? [], From = From, To = To, Last = Last, Month = Month, By = By,
            Metrics = Metric ?? [], Reconcile = Reconcile ?? false, Chart = Chart,
        };
    }
}
