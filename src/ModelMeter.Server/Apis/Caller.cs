using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ModelMeter.Application.Access;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Server.Auth;
using ModelMeter.Server.Hosting;

namespace ModelMeter.Server.Apis;

/// <summary>
/// What every endpoint passes to its use case: the server's store and config, and the caller's scope (from its API
/// key). An endpoint for a new use case is a handler of a few lines: build the request from the query and the caller,
/// run the use case, return its document.
/// </summary>
public sealed class Caller(IHttpContextAccessor http, IOptions<ServerSettings> settings)
{
    public StoreOptions Store => ServerServices.StoreOf(settings.Value);

    public AccessScope Access => User.Access();

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();
}

/// <summary>Documents are written exactly as the CLI's <c>--format json</c> writes them.</summary>
public static class Document
{
    public static JsonHttpResult<T> Of<T>(T document) => TypedResults.Json(document, ModelMeterJson.Options);
}

/// <summary>The cost query's parameters, spelled as the CLI's options (<c>?by=tag:team&amp;where=tag:environment=prod&amp;month=2026-10</c>).</summary>
/// <remarks>Named explicitly so the OpenAPI document spells them as the CLI does (binding alone ignores case).</remarks>
public sealed record CostQueryParameters(
    [FromQuery(Name = "by")] string? By,
    [FromQuery(Name = "where")] string[]? Where,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "last")] string? Last,
    [FromQuery(Name = "month")] string? Month,
    [FromQuery(Name = "grain")] string? Grain,
    [FromQuery(Name = "cost")] string? Cost)
{
    public CostQueryText Text => new()
    {
        By = By,
        Where = Where ?? [],
        From = From,
        To = To,
        Last = Last,
        Month = Month,
        Grain = Grain,
        Cost = Cost,
    };
}
