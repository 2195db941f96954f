using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Reporting;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary><c>modelmeter report</c>: the cost explorer.</summary>
public sealed class ReportCommand(CliContext cli) : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        var query = settings.ToQuery(cli.Clock.GetUtcNow().UtcDateTime);
        var format = settings.OutputFormat;
        var (_, store, _) = StoreOpener.Open(cli, settings);
        using (store)
        {
            var rows = store.QueryCosts(query);
            var table = CostTable.Build(query, rows, settings.Top);
            CostTableWriter.Write(cli, table, format, settings.Chart);
        }

        return ExitCodes.Ok;
    }
}
