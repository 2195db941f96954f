using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary><c>modelmeter tco</c>: what each product (or team, model ...) really cost, cloud and the rest, by TCO column.</summary>
internal sealed class TcoCommand(CliContext cli, TcoUseCase tco) : Command<CostQuerySettings>
{
    public override int Execute(CommandContext context, CostQuerySettings settings, CancellationToken cancellationToken)
    {
        var format = settings.OutputFormat;
        var result = tco.Run(new TcoRequest { Store = settings.StoreOptions, Query = settings.QueryText });
        cli.WriteWarnings(result.Warnings);
        TcoWriter.Write(cli, result, format);
        return ExitCodes.Ok;
    }
}
