using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ModelMeter.Application.Stores;
using ModelMeter.Application.Usage;
using ModelMeter.Server.Metrics;

namespace ModelMeter.Server.Hosting;

/// <summary>
/// Holds the store while the server runs: takes its lock (so CLI commands fail at once naming this server), opens
/// it for the one usage writer, and on stop writes what is queued before letting go.
/// </summary>
internal sealed class StoreHolder(
    UsageWriter writer,
    StoreProvider stores,
    IOptions<ServerSettings> settings,
    ServerMetrics metrics,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<StoreHolder> logger) : IHostedService
{
    private ServerLockHandle? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ServerServices.StoreOf(settings.Value);
        var location = stores.Locate(options);
        _lock = ServerLock.Acquire(location, settings.Value.PublicUrl ?? "http://127.0.0.1", clock.GetUtcNow().UtcDateTime);
        writer.Written += metrics.RecordWrite;
        writer.Start();
        // The URL is known once the server has bound its port (--port 0 picks one): other commands' messages name it.
        lifetime.ApplicationStarted.Register(() =>
        {
            if (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } url && settings.Value.PublicUrl is null)
            {
                _lock?.Update(url);
            }
        });
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Serving the store {Store}", location.Target);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await writer.DisposeAsync().ConfigureAwait(false);
        _lock?.Dispose();
        _lock = null;
    }
}
