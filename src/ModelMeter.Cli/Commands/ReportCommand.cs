using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Reporting;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary><c>modelmeter report</c>: the cost explorer.</summary>
public sealed class ReportCommand(CliContext cli, ReportUseCase report) : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        if (settings.IsHierarchy || settings.Allocated || settings.Currency is not null || settings.Rates is not null)
        {
            return ReportAttributed(settings);
        }

        var format = settings.OutputFormat;
        var result = report.Run(new ReportRequest { Store = settings.StoreOptions, Query = settings.QueryText, Top = settings.Top });
        cli.WriteWarnings(result.Warnings);
        CostTableWriter.Write(cli, result, format, settings.Chart);
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
            var setup = Application.Attribution.AttributionSetup.From(config, Configuration.ConfigLoader.BaseDirectory(cli, config));
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
