using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Usage;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class UsageSettings : StoreSettings
{
    [CommandOption("--metric <METRIC>")]
    [Description("One metric (predictions, gpu_hours ...); default every metric.")]
    public string? Metric { get; init; }

    [CommandOption("--by <DIMENSIONS>")]
    [Description("Group by dimensions, comma-separated: team,model.")]
    public string? By { get; init; }

    [CommandOption("--from <DATE>")]
    [Description("First day (UTC), inclusive: 2026-10-01.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Day (UTC) the period ends before, exclusive: 2026-11-01.")]
    public string? To { get; init; }

    [CommandOption("--last <SPAN>")]
    [Description("The last days or weeks up to today: 30d, 4w.")]
    public string? Last { get; init; }

    [CommandOption("--month <YYYY-MM>")]
    [Description("One calendar month: 2026-10.")]
    public string? Month { get; init; }

    [CommandOption("--grain <GRAIN>")]
    [Description("A time series by day, week or month.")]
    public string? Grain { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or csv.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter usage</c>: stored usage (imported and posted) summed per metric and dimensions.</summary>
internal sealed class UsageCommand(CliContext cli, UsageQueryUseCase usage) : Command<UsageSettings>
{
    public override int Execute(CommandContext context, UsageSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var result = usage.Run(new UsageQueryRequest
        {
            Store = settings.StoreOptions,
            Metric = settings.Metric,
            By = settings.By,
            From = settings.From,
            To = settings.To,
            Last = settings.Last,
            Month = settings.Month,
            Grain = settings.Grain,
        });
        cli.WriteWarnings(result.Warnings);
        switch (format)
        {
            case OutputFormat.Json:
                cli.WriteRaw(ModelMeterJson.Serialize(result));
                break;
            case OutputFormat.Csv:
                cli.WriteRaw(CsvLine.Format(["period", "metric", .. result.By, "value"]) + "\n");
                foreach (var row in result.Rows)
                {
                    cli.WriteRaw(CsvLine.Format([row.Period?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", row.Metric, .. result.By.Select(k => row.Dimensions[k]), Value(row.Value)]) + "\n");
                }

                break;
            default:
                var table = new Table().Border(TableBorder.Rounded);
                if (result.Grain is not null)
                {
                    table.AddColumn("Period");
                }

                table.AddColumn("Metric");
                foreach (var key in result.By)
                {
                    table.AddColumn(Markup.Escape(key));
                }

                table.AddColumn(new TableColumn("Value").RightAligned());
                foreach (var row in result.Rows)
                {
                    var cells = new List<string>();
                    if (result.Grain is not null)
                    {
                        cells.Add(row.Period?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
                    }

                    cells.Add(Markup.Escape(row.Metric));
                    cells.AddRange(result.By.Select(k => Markup.Escape(row.Dimensions[k])));
                    cells.Add(Value(row.Value));
                    table.AddRow(cells.ToArray());
                }

                cli.Out.Write(table);
                foreach (var total in result.Totals)
                {
                    cli.Out.MarkupLine($"{Markup.Escape(total.Metric)}: {Value(total.Value)} in total");
                }

                break;
        }

        return ExitCodes.Ok;
    }

    private static string Value(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
