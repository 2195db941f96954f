using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportRatesSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("An exchange-rate CSV: date,from,to,rate (2026-10-01,EUR,USD,1.0712).")]
    public string Path { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary>
/// <c>modelmeter import rates</c>: a dated exchange-rate table that <c>--currency</c> converts with. The whole file is
/// validated first (a bad line names its line and column and nothing is stored); a rate of a pair and day already
/// stored is replaced.
/// </summary>
internal sealed class ImportRatesCommand(CliContext cli, ImportRatesUseCase import) : Command<ImportRatesSettings>
{
    public override int Execute(CommandContext context, ImportRatesSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = import.Run(new ImportRatesRequest { Store = settings.StoreOptions, Path = settings.Path });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"{Markup.Escape(settings.Path)} was already imported (import #{result.ImportId}); nothing to do."
            : $"Imported {result.Rates:N0} exchange rate(s) from {Markup.Escape(settings.Path)} (import #{result.ImportId}" +
              (result.Replaced > 0 ? $", replacing {result.Replaced:N0}" : "") + $"): {Markup.Escape(string.Join("; ", result.Pairs))}.");
        return ExitCodes.Ok;
    }
}
