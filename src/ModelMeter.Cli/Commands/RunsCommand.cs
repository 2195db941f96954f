using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Runs;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class RunsSettings : StoreSettings
{
    [CommandOption("--experiment <NAME>")]
    [Description("Only this experiment; repeatable.")]
    public string[] Experiments { get; init; } = [];

    [CommandOption("--from <DATE>")]
    [Description("Runs whose window meets this period (UTC; --to exclusive).")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    public string? To { get; init; }

    [CommandOption("--last <N>")]
    [Description("The last N days: 30d.")]
    public string? Last { get; init; }

    [CommandOption("--month <YYYY-MM>")]
    public string? Month { get; init; }

    [CommandOption("--by <GROUP>")]
    [Description("Roll up by experiment, estimator, status or tag:KEY (tag:team): runs, run time (nested runs once), cost, waste.")]
    public string? By { get; init; }

    [CommandOption("--metric <NAME>")]
    [Description("Show a metric and the cost per point gained over the previous best run; repeatable. Direction and point from runs.metrics in modelmeter.yaml.")]
    public string[] Metrics { get; init; } = [];

    [CommandOption("--reconcile")]
    [Description("Estimates (modelmeter estimate) against the runs tagged modelmeter.estimate_id with their id.")]
    public bool Reconcile { get; init; }

    [CommandOption("--chart <CHART>")]
    [Description("runtime (run time per experiment), starts (weekday x hour), estimators (runs and cost per estimator).")]
    public string? Chart { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("With --chart: write the chart as FILE.png or FILE.svg.")]
    public string? Out { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or csv.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter runs</c>: MLflow runs with their cost, roll-ups, waste, efficiency, reconciliation and charts.</summary>
internal sealed class RunsCommand(CliContext cli, RunsUseCase runs) : Command<RunsSettings>
{
    public override int Execute(CommandContext context, RunsSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json", "csv");
        if (settings.Out is not null && settings.Chart is null)
        {
            throw new Core.Errors.UserInputException("--out writes a chart: add --chart runtime|starts|estimators.");
        }

        var result = runs.Run(new RunsRequest
        {
            Store = settings.StoreOptions,
            Experiments = settings.Experiments,
            From = settings.From,
            To = settings.To,
            Last = settings.Last,
            Month = settings.Month,
            By = settings.By,
            Metrics = settings.Metrics,
            Reconcile = settings.Reconcile,
            Chart = settings.Chart,
        });
        cli.WriteWarnings(result.Warnings);
        if (result.Chart is { } chart && settings.Out is { } file)
        {
            var path = cli.ResolvePath(file);
            RunChartImage.Save(chart, path);
            cli.Error.MarkupLine($"Wrote {Markup.Escape(path)}.");
        }

        switch (format)
        {
            case "json":
                cli.WriteRaw(ModelMeterJson.Serialize(result));
                break;
            case "csv":
                cli.WriteRaw(RunsWriter.Csv(result));
                break;
            default:
                if (result.Chart is { } terminal && settings.Out is null)
                {
                    RunsWriter.WriteChart(cli, terminal);
                }
                else
                {
                    RunsWriter.WriteTable(cli, result);
                }

                break;
        }

        return ExitCodes.Ok;
    }
}
