using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.WhatIf;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class WhatIfFrequencySettings : StoreSettings
{
    [CommandOption("--experiment <NAME>")]
    [Description("The MLflow experiment whose runs to scale (modelmeter runs --by experiment lists them).")]
    public string? Experiment { get; init; }

    [CommandOption("-x|--factor <FACTOR>")]
    [Description("The retraining frequency factor (--x 2 also reads): 2 retrains twice as often, 0.5 half as often.")]
    public string? X { get; init; }

    [CommandOption("--from <DATE>")]
    [Description("First day (UTC), inclusive.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Day (UTC) the period ends before, exclusive.")]
    public string? To { get; init; }

    [CommandOption("--last <SPAN>")]
    [Description("The last days or weeks up to today: 30d, 4w.")]
    public string? Last { get; init; }

    [CommandOption("--month <YYYY-MM>")]
    [Description("One calendar month (default: last month).")]
    public string? Month { get; init; }

    [CommandOption("--explain")]
    [Description("Show the working: runs and their cost, cost per retraining, the factor, the totals.")]
    public bool Explain { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter what-if frequency</c>: an experiment's run cost of last month at another retraining frequency.</summary>
internal sealed class WhatIfFrequencyCommand(CliContext cli, WhatIfFrequencyUseCase whatIf) : Command<WhatIfFrequencySettings>
{
    public override int Execute(CommandContext context, WhatIfFrequencySettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = whatIf.Run(new WhatIfFrequencyRequest
        {
            Store = settings.StoreOptions, Experiment = settings.Experiment, X = settings.X,
            From = settings.From, To = settings.To, Last = settings.Last, Month = settings.Month,
        });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        var factor = result.Factor.ToString("0.####", CultureInfo.InvariantCulture);
        var grid = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{result.Experiment} {result.From:yyyy-MM-dd} to {result.To:yyyy-MM-dd} retrained × {factor}"));
        grid.AddColumn("frequency");
        foreach (var column in new[] { "retrainings", "per retraining", "cost" })
        {
            grid.AddColumn(new TableColumn(column).RightAligned());
        }

        grid.AddRow("observed", result.RunTrees.ToString(CultureInfo.InvariantCulture), Formatting.Money(result.PerRetraining, result.Currency), Formatting.Money(result.Actual, result.Currency));
        grid.AddRow(Markup.Escape($"× {factor}"), (result.RunTrees * result.Factor).ToString("0.##", CultureInfo.InvariantCulture), Formatting.Money(result.PerRetraining, result.Currency),
            Formatting.Money(result.WhatIf, result.Currency));
        grid.AddRow("[bold]Difference[/]", "", "", $"[bold]{Formatting.Money(result.Difference, result.Currency)}[/]");
        cli.Out.Write(grid);
        cli.Out.WriteLine();
        cli.Out.MarkupLine(Markup.Escape(
            $"Per month: {Formatting.Money(result.MonthlyDifference, result.Currency)} {result.Currency} ({(result.MonthlyDifference <= 0 ? "saved" : "more")} at × {factor})."));
        if (settings.Explain)
        {
            cli.Out.MarkupLine("[bold]Working[/]");
            foreach (var step in result.Working)
            {
                cli.Out.MarkupLine("  " + Markup.Escape(step));
            }
        }

        return ExitCodes.Ok;
    }
}
