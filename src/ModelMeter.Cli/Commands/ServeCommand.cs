using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Errors;
using ModelMeter.Server;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ServeSettings : StoreSettings
{
    [CommandOption("--port <PORT>")]
    [Description("The TCP port (default 8080; 0 picks a free one).")]
    public int Port { get; init; } = 8080;

    [CommandOption("--host <ADDRESS>")]
    [Description("The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface, with API keys).")]
    public string Host { get; init; } = "127.0.0.1";

    [CommandOption("--keys <PATH>")]
    [Description("The API key file (default keys.json beside the store; see modelmeter keys).")]
    public string? Keys { get; init; }

    [CommandOption("--no-auth")]
    [Description("Let anyone read and write without a key; listens on loopback only.")]
    public bool NoAuth { get; init; }
}

/// <summary>
/// <c>modelmeter serve</c>: the HTTP API, the usage-event endpoint, the dashboard and /metrics on one store, until
/// Ctrl-C. The server holds the store: other commands on it fail at once, naming it.
/// </summary>
internal sealed class ServeCommand(CliContext cli) : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        var host = settings.Host.Trim();
        if (settings.NoAuth && host is not ("127.0.0.1" or "localhost" or "::1"))
        {
            throw new UserInputException($"--no-auth listens on loopback only (127.0.0.1); --host {host} needs API keys (modelmeter keys create).");
        }

        if (settings.Port is < 0 or > 65535)
        {
            throw new UserInputException($"--port {settings.Port} is not a TCP port (0 to 65535).");
        }

        var address = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var app = ModelMeterServer.Create([], new Dictionary<string, string?>
        {
            ["ModelMeter:WorkingDirectory"] = cli.WorkingDirectory,
            ["ModelMeter:Store"] = settings.Store,
            ["ModelMeter:Config"] = settings.Config,
            ["ModelMeter:Keys"] = settings.Keys,
            ["ModelMeter:NoAuth"] = settings.NoAuth ? "true" : "false",
            ["urls"] = string.Create(CultureInfo.InvariantCulture, $"http://{address}:{settings.Port}"),
        }, builder =>
        {
            builder.Services.AddSingleton(cli.Clock);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
            if (settings.NoAuth)
            {
                cli.Error.MarkupLine("[yellow]warning:[/] --no-auth: anyone on this machine can read every cost and write usage. Listening on loopback only.");
            }

            cli.Out.MarkupLine($"Serving [blue]{Markup.Escape(url)}[/]: dashboard {Markup.Escape(url)}/, API {Markup.Escape(url)}/api/v1, reference {Markup.Escape(url)}/api, metrics {Markup.Escape(url)}/metrics. Ctrl-C stops.");
            // Ctrl-C (the command's token) or SIGTERM (the host's lifetime) stops the server.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop below, writing what is queued first.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            cli.Out.MarkupLine("Stopped; every accepted usage event is in the store.");
        }

        return ExitCodes.Ok;
    }
}
