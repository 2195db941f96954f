using System.ComponentModel;
using ModelMeter.Application.Alerts;
using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class AlertSettings : StoreSettings
{
    [CommandOption("--dry-run")]
    [Description("Print what would be sent and change nothing: no delivery, no command, no state.")]
    public bool DryRun { get; init; }

    [CommandOption("--wait <SECONDS>")]
    [Description("How long to wait for a store another process holds before skipping this run (default 60).")]
    public int Wait { get; init; } = 60;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary>
/// <c>modelmeter alert</c>: evaluates budgets and anomalies and sends each new finding once to its sinks; safe from
/// cron. Exit 1 when a delivery failed (it is retried by the next run).
/// </summary>
internal sealed class AlertCommand(CliContext cli, AlertUseCase alerts) : AsyncCommand<AlertSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AlertSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var report = await alerts.RunAsync(
            new AlertRequest { Store = settings.StoreOptions, DryRun = settings.DryRun, Wait = TimeSpan.FromSeconds(Math.Max(0, settings.Wait)) },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
        }
        else
        {
            AlertWriter.Write(cli, report);
        }

        return report.Failed > 0 ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }
}
