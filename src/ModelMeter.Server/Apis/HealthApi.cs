using ModelMeter.Application.Usage;

namespace ModelMeter.Server.Apis;

/// <summary><c>/healthz</c>: the process answers; <c>/readyz</c>: it holds the store and its usage writer runs.</summary>
public static class HealthApi
{
    public static WebApplication MapHealthApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => TypedResults.Text("ok\n")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", (UsageWriter writer) => writer.Running
                ? Results.Text("ready\n")
                : Results.Text("not ready: the usage writer is not running\n", statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
