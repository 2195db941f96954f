using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Migration;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class MigrateSettings : CommandSettings
{
    [CommandOption("--from <STORE>")]
    [Description("The store to copy (default: modelmeter.yaml's store, else .modelmeter/meter.duckdb).")]
    public string? From { get; init; }

    [CommandOption("--to <STORE>")]
    [Description("The store to copy to: clickhouse://HOST:8123/DATABASE?cluster=NAME (created when missing).")]
    public string? To { get; init; }

    [CommandOption("--config <PATH>")]
    [Description("The config file (default: ./modelmeter.yaml when present).")]
    public string? Config { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }

    [CommandOption("--quiet")]
    [Description("No progress bar.")]
    public bool Quiet { get; init; }
}

/// <summary>
/// <c>modelmeter migrate</c>: copies an embedded store to a ClickHouse cluster, import by import with its provenance,
/// then compares the totals of both stores to the last digit (exit 1 when they differ).
/// </summary>
internal sealed class MigrateCommand(CliContext cli, MigrateUseCase migrate) : Command<MigrateSettings>
{
    public override int Execute(CommandContext context, MigrateSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var request = new MigrateRequest { Store = new StoreOptions(settings.From, settings.Config), To = settings.To ?? "" };
        var result = ProgressDisplay.Run(cli, "Copying imports", settings.Quiet, progress => migrate.Run(request, progress, cancellationToken));
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
        }
        else
        {
            MigrationWriter.Write(cli.Out, result);
        }

        return result.TotalsMatch ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}
