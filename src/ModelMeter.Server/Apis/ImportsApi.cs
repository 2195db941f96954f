using ModelMeter.Application.Imports;

namespace ModelMeter.Server.Apis;

/// <summary><c>imports</c> over HTTP: provenance of the whole bill, for keys of no one team.</summary>
public static class ImportsApi
{
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/imports", (ImportsUseCase imports, Caller caller) =>
                Document.Of(imports.Run(new ImportsRequest { Store = caller.Store, Access = caller.Access })))
            .WithName("Imports").WithSummary("Every import: files, content hashes, billing periods, rows, totals (modelmeter imports).").WithTags("Imports");
        return api;
    }
}
