using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportUsageSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("A usage CSV: timestamp (or start,end), metric, value and dimension columns (team, model, resource_id, cluster ...).")]
    public string Path { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary>
/// <c>modelmeter import usage</c>: allocation drivers (GPU-hours per team, requests per model ...). Every line is
/// validated first; a bad line refuses the whole file, naming its line and column, and the store is left as it was.
/// Importing the same file again does nothing; a new measurement of the same metric and days replaces the old one.
/// </summary>
internal sealed class ImportUsageCommand(CliContext cli, ImportUsageUseCase import) : Command<ImportUsageSettings>
{
    public override int Execute(CommandContext context, ImportUsageSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = import.Run(new ImportUsageRequest { Store = settings.StoreOptions, Path = settings.Path });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"{Markup.Escape(result.File)} was already imported (import #{result.ImportId}); nothing to do."
            : $"Imported {result.Samples:N0} usage sample(s) from {Markup.Escape(result.File)} (import #{result.ImportId}" +
              (result.Replaced > 0 ? $", replacing {result.Replaced:N0} earlier sample(s)" : "") +
              $"): {Markup.Escape(string.Join("; ", result.Metrics))}.");
        return ExitCodes.Ok;
    }
}
