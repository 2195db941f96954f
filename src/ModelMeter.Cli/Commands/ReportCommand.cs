using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary><c>modelmeter report</c>: the cost explorer.</summary>
public sealed class ReportCommand(CliContext cli) : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        if (settings.IsHierarchy || settings.Allocated || settings.Currency is not null || settings.Rates is not null)
        {
            return ReportAttributed(settings);
        }

        var query = settings.ToQuery(cli.Clock.GetUtcNow().UtcDateTime);
        var format = settings.OutputFormat;
        var (config, store, _) = StoreOpener.Open(cli, settings);
        using (store)
        {
            // Tags are read through the tag policy (the default one without a config), as tags, allocate and check read them.
            var rows = store.QueryCosts(query, Attribution.AttributionSetup.From(config).Policy);
            var table = CostTable.Build(query, rows, settings.Top);
            CostTableWriter.Write(cli, table, format, settings.Chart);
        }

        return ExitCodes.Ok;
    }

    /// <summary><c>--by hierarchy</c> and <c>--allocated</c>: through the tag policy and the allocation rules.</summary>
    private int ReportAttributed(ReportSettings settings)
    {
        var hierarchy = settings.IsHierarchy;
        if (!hierarchy && settings.Depth is not null)
        {
            throw new Core.Errors.UserInputException("--depth goes with --by hierarchy.");
        }

        if (!hierarchy && !settings.Allocated)
        {
            throw new Core.Errors.UserInputException("--currency and --rates go with --allocated or --by hierarchy.");
        }

        var query = (hierarchy ? new ReportSettingsView(settings) : (CostQuerySettings)settings).ToQuery(cli.Clock.GetUtcNow().UtcDateTime);
        var (config, store, _) = StoreOpener.Open(cli, settings);
        using (store)
        {
            var setup = Attribution.AttributionSetup.From(config);
            var conversion = Attribution.AllocatedReport.Conversion(cli, store, settings.Currency, settings.Rates);
            if (hierarchy)
            {
                Attribution.AllocatedReport.WriteHierarchy(cli, setup, store, query, settings.OutputFormat, settings.Depth, settings.Allocated, conversion);
                return ExitCodes.Ok;
            }

            return Attribution.AllocatedReport.Write(cli, setup, store, query, settings.OutputFormat, settings.Top, null, conversion, settings.Chart);
        }
    }

    /// <summary>The report's options without <c>--by hierarchy</c>, which is not a dimension of the cost explorer.</summary>
    private sealed class ReportSettingsView : CostQuerySettings
    {
        public ReportSettingsView(ReportSettings settings)
        {
            Where = settings.Where;
            From = settings.From;
            To = settings.To;
            Last = settings.Last;
            Month = settings.Month;
            Grain = settings.Grain;
            Cost = settings.Cost;
        }
    }
}
