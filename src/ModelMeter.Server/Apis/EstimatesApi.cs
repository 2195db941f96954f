using System.Text;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Estimates;
using ModelMeter.Core.Errors;

namespace ModelMeter.Server.Apis;

/// <summary><c>estimate</c>, <c>catalog</c> and <c>check</c> over HTTP: the spec is the request body (YAML).</summary>
public static class EstimatesApi
{
    private const int MaxSpecBytes = 1024 * 1024;

    public static RouteGroupBuilder MapEstimatesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/estimate", async (EstimateUseCase estimate, Caller caller, HttpRequest request, string? spec) =>
                Document.Of(estimate.Run(new EstimateRequest(spec ?? "request body", caller.Store.Config) { Yaml = await ReadSpec(request).ConfigureAwait(false) })))
            .Accepts<string>("application/yaml", "text/yaml", "text/plain", "*/*")
            .WithName("Estimate").WithSummary("Price a YAML spec (modelmeter estimate), with every step of the working.").WithTags("Estimates");

        api.MapGet("/catalog", (CatalogUseCase catalog, Caller caller, string? kind, string? search) =>
                Document.Of(catalog.Run(new CatalogRequest(kind, search, caller.Store.Config))))
            .WithName("Catalog").WithSummary("The price catalogue (modelmeter catalog [search TERM] --kind KIND).").WithTags("Estimates");

        api.MapPost("/check", async (CheckUseCase check, Caller caller, HttpRequest request, string? spec, decimal? budget, decimal? total, [FromQuery] string[]? scope, string? period, string? currency, string? scenario) =>
            {
                var yaml = request.ContentLength is 0 ? null : await ReadSpec(request).ConfigureAwait(false);
                return Document.Of(check.Run(new CheckRequest
                {
                    Store = caller.Store,
                    Access = caller.Access,
                    InlineSpecs = yaml is { Length: > 0 } ? [new InlineSpec(spec ?? "request body", yaml)] : [],
                    Budget = budget,
                    Total = total,
                    Scope = scope ?? [],
                    Period = period,
                    Currency = currency,
                    Scenario = scenario,
                }));
            })
            .Accepts<string>("application/yaml", "text/yaml", "text/plain", "*/*")
            .WithName("Check").WithSummary("The CI cost gate (modelmeter check): passed is false when over budget.").WithTags("Estimates");
        return api;
    }

    private static async Task<string> ReadSpec(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxSpecBytes)
            {
                throw new UserInputException($"The spec is larger than {MaxSpecBytes / 1024} KiB.");
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
