using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>
/// <c>modelmeter import focus</c>: validates every row, then writes all files in one transaction. A bad row refuses
/// the whole import (unless <c>--skip-bad-rows</c>) and leaves the store exactly as it was.
/// </summary>
internal sealed class ImportFocusCommand(CliContext cli, ImportFocusUseCase import) : Command<ImportFocusSettings>
{
    public override int Execute(CommandContext context, ImportFocusSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var request = new ImportFocusRequest
        {
            Store = settings.StoreOptions,
            Paths = settings.Paths,
            DryRun = settings.DryRun,
            SkipBadRows = settings.SkipBadRows,
            Rejects = settings.Rejects,
            Strict = settings.Strict,
        };
        var result = ProgressDisplay.Run(cli, "Importing FOCUS rows", settings.Quiet, progress => import.Run(request, progress, cancellationToken));
        cli.WriteWarnings(result.Warnings);
        ImportReportWriter.Write(cli, result, format, settings.Quiet);
        return result.Outcome is ImportOutcome.Refused ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
