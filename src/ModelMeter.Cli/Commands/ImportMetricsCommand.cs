using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Usage;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportMetricsSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("A business-metrics CSV: period (2026-10, 2026-W41, 2026-10-05), scope columns (product, team, model), metric, value.")]
    public string Path { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter import metrics</c>: active users, revenue, predictions served ... per period and scope.</summary>
internal sealed class ImportMetricsCommand(CliContext cli, ImportMetricsUseCase import) : Command<ImportMetricsSettings>
{
    public override int Execute(CommandContext context, ImportMetricsSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = import.Run(new ImportMetricsRequest { Store = settings.StoreOptions, Path = settings.Path });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"{Markup.Escape(settings.Path)} was already imported (import #{result.ImportId}); nothing to do."
            : $"Imported {result.Values:N0} business metric value(s) from {Markup.Escape(settings.Path)} (import #{result.ImportId}" +
              (result.Replaced > 0 ? $", replacing {result.Replaced:N0}" : "") + $"): {Markup.Escape(string.Join("; ", result.Metrics))}.");
        return ExitCodes.Ok;
    }
}
