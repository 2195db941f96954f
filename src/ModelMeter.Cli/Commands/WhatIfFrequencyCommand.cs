using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.WhatIf;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class WhatIfFrequencySettings : StoreSettings, IWhatIfSettings
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
internal sealed class WhatIfFrequencyCommand(CliContext cli, WhatIfFrequencyUseCase whatIf) : WhatIfCommand<WhatIfFrequencySettings, WhatIfFrequencyReport>(cli)
{
    protected override WhatIfFrequencyReport Run(WhatIfFrequencySettings settings) => whatIf.Run(new WhatIfFrequencyRequest
    {
        Store = settings.StoreOptions, Experiment = settings.Experiment, X = settings.X,
        From = settings.From, To = settings.To, Last = settings.Last, Month = settings.Month,
    });

    protected override IReadOnlyList<string> Warnings(WhatIfFrequencyReport result) => result.Warnings;

    protected override IReadOnlyList<string> Working(WhatIfFrequencyReport result) => result.Working;

    protected override Table Table(WhatIfFrequencyReport result)
    {
        var factor = Factor(result);
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
        return grid;
    }

    protected override IEnumerable<string> PerMonth(WhatIfFrequencyReport result) =>
        [PerMonthLine(result.MonthlyDifference, result.Currency, $"at × {Factor(result)}")];

    private static string Factor(WhatIfFrequencyReport result) => result.Factor.ToString("0.####", CultureInfo.InvariantCulture);
}
