using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>
/// <c>modelmeter import aws-cur</c>: AWS Cost and Usage Reports (CUR 2.0 and legacy), mapped onto FOCUS line items, validated, and written in one transaction.
/// </summary>
internal sealed class ImportAwsCurCommand(CliContext cli, ImportAwsCurUseCase import) : Command<ImportExportSettings>
{
    public override int Execute(CommandContext context, ImportExportSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var request = settings.Request();
        var result = ProgressDisplay.Run(cli, "Importing AWS CUR rows", settings.Quiet, progress => import.Run(request, progress, cancellationToken));
        cli.WriteWarnings(result.Warnings);
        ImportReportWriter.Write(cli, result, format, settings.Quiet);
        return result.Outcome is ImportOutcome.Refused ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
