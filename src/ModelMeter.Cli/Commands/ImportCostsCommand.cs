using System.ComponentModel;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>The settings of <c>import costs</c>: those of a billing export, and <c>--amortise</c>.</summary>
internal sealed class ImportCostsSettings : ImportExportSettings
{
    [CommandOption("--amortise")]
    [Description("Spread each cost over a month or several days as one line item per day (the amount split exactly); without it a cost is one line item over its days.")]
    public bool Amortise { get; init; }

    public ImportCostsRequest CostsRequest() => new() { Import = Request(), Amortise = Amortise };
}

/// <summary>
/// <c>modelmeter import costs</c>: costs outside the cloud bill (personnel, data labelling, licences, ...) from a costs CSV,
/// validated and written in one transaction as line items of provider <c>internal</c>.
/// </summary>
internal sealed class ImportCostsCommand(CliContext cli, ImportCostsUseCase import) : Command<ImportCostsSettings>
{
    public override int Execute(CommandContext context, ImportCostsSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var request = settings.CostsRequest();
        var result = ProgressDisplay.Run(cli, "Importing costs", settings.Quiet, progress => import.Run(request, progress, cancellationToken));
        cli.WriteWarnings(result.Warnings);
        ImportReportWriter.Write(cli, result, format, settings.Quiet);
        return result.Outcome is ImportOutcome.Refused ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
