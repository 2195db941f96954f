using ModelMeter.Application.Attribution;
using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary><c>modelmeter report</c>: the cost explorer.</summary>
internal sealed class ReportCommand(CliContext cli, ReportUseCase report, AllocationUseCase allocation) : Command<ReportSettings>
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
        if (!settings.IsHierarchy)
        {
            if (settings.Depth is not null)
            {
                throw new Core.Errors.UserInputException("--depth goes with --by hierarchy.");
            }

            if (!settings.Allocated)
            {
                throw new Core.Errors.UserInputException("--currency and --rates go with --allocated or --by hierarchy.");
            }

            var view = allocation.Run(new AllocationRequest
            {
                Store = settings.StoreOptions,
                Query = settings.QueryText,
                Top = settings.Top,
                Currency = settings.Currency,
                Rates = settings.Rates,
            });
            AllocationViewWriter.Write(cli, view, settings.OutputFormat, settings.Chart);
            return ExitCodes.Ok;
        }

        var hierarchy = allocation.Hierarchy(new HierarchyRequest
        {
            Store = settings.StoreOptions,
            Query = settings.QueryText with { By = null },
            Depth = settings.Depth,
            Allocated = settings.Allocated,
            Currency = settings.Currency,
            Rates = settings.Rates,
        });
        HierarchyWriter.Write(cli, hierarchy, settings.OutputFormat);
        return ExitCodes.Ok;
    }
}
