using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Recommendations;

namespace ModelMeter.Server.Apis;

/// <summary><c>recommend</c> over HTTP: the same document; the caller's team scope applies inside the use case.</summary>
public static class RecommendationsApi
{
    public static RouteGroupBuilder MapRecommendationsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/recommendations", (RecommendUseCase recommend, Caller caller, [AsParameters] RecommendParameters query) =>
                Document.Of(recommend.Run(query.Request(caller))))
            .WithName("Recommendations").WithSummary("Findings ranked by monthly saving, each with its evidence and arithmetic (modelmeter recommend).").WithTags("Recommendations");
        return api;
    }
}

/// <summary><c>recommend</c>'s options as query parameters. A read never moves the idle policy (the CLI's cron run does).</summary>
public sealed record RecommendParameters(
    [FromQuery(Name = "where")] string[]? Where,
    [FromQuery(Name = "min-saving")] decimal? MinSaving,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "explain")] string? Explain)
{
    public RecommendRequest Request(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new RecommendRequest { Store = caller.Store, Access = caller.Access, Where = Where ?? [], MinSaving = MinSaving, From = From, To = To, Explain = Explain };
    }
}
