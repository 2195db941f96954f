using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>
/// <c>modelmeter import azure-cost</c>: Azure cost exports (actual or amortized; EA, MCA or legacy columns), mapped onto FOCUS line items, validated, and written in one transaction.
/// </summary>
internal sealed class ImportAzureCostCommand(CliContext cli, ImportAzureCostUseCase import) : Command<ImportExportSettings>
{
    public override int Execute(CommandContext context, ImportExportSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var request = settings.Request();
        var result = ProgressDisplay.Run(cli, "Importing Azure cost rows", settings.Quiet, progress => import.Run(request, progress, cancellationToken));
        cli.WriteWarnings(result.Warnings);
        ImportReportWriter.Write(cli, result, format, settings.Quiet);
        return result.Outcome is ImportOutcome.Refused ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
