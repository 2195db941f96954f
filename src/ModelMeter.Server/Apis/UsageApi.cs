using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ModelMeter.Application.Usage;
using ModelMeter.Server.Hosting;
using ModelMeter.Server.Metrics;

namespace ModelMeter.Server.Apis;

/// <summary>
/// Usage events: <c>POST /api/v1/usage</c> takes a batch from a serving replica (answering once it is durable), and
/// <c>GET /api/v1/usage</c> sums what is stored (<c>modelmeter usage</c>).
/// </summary>
public static class UsageApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/usage", PostAsync)
            .RequireAuthorization(Policies.WriteUsage)
            .Accepts<string>("application/json", "application/x-ndjson", "application/jsonl", "*/*")
            .WithName("RecordUsage")
            .WithSummary("Record a batch of usage events (a JSON array, or one JSON object per line); retried batches count once under an Idempotency-Key.")
            .WithTags("Usage");

        api.MapGet("/usage", (UsageQueryUseCase usage, Caller caller, string? metric, string? by, string? from, string? to, string? last, string? month, string? grain) =>
                Document.Of(usage.Run(new UsageQueryRequest { Store = caller.Store, Access = caller.Access, Metric = metric, By = by, From = from, To = to, Last = last, Month = month, Grain = grain })))
            .WithName("Usage").WithSummary("Stored usage summed per metric and dimensions (modelmeter usage).").WithTags("Usage");
        return api;
    }

    private static async Task<IResult> PostAsync(HttpContext http, RecordUsageUseCase record, Caller caller, IOptions<ServerSettings> settings, ServerMetrics metrics)
    {
        var limit = settings.Value.MaxBatchBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        var reader = http.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.End);
                throw new BadHttpRequestException($"The batch is larger than {limit:N0} bytes; send smaller batches.", StatusCodes.Status413PayloadTooLarge);
            }

            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            var result = await record.RunAsync(new RecordUsageRequest
            {
                Store = caller.Store,
                Access = caller.Access,
                Body = read.Buffer,
                IdempotencyKey = http.Request.Headers.TryGetValue(IdempotencyHeader, out var key) ? key.ToString() : null,
                MaxEvents = settings.Value.MaxBatchEvents,
            }, http.RequestAborted).ConfigureAwait(false);
            metrics.RecordAccepted(result.Events, result.Duplicate);
            if (result.Duplicate)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return Document.Of(result);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }
}
