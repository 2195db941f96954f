using System.ComponentModel;
using ModelMeter.Application.WhatIf;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class WhatIfLlmSettings : StoreSettings, IWhatIfSettings
{
    [CommandOption("--as <MODEL>")]
    [Description("The catalogue model to reprice the calls on: gpt-4.1-mini, claude-haiku-4-5 (modelmeter catalog --kind llm).")]
    public string? As { get; init; }

    [CommandOption("--where <CONDITION>")]
    [Description("Which calls (repeatable): tag:feature=search-assistant, tag:team=nlp, model=claude-sonnet-4.")]
    public string[] Where { get; init; } = [];

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
    [Description("Show the working: prices, each group's tokens times prices, the totals.")]
    public bool Explain { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter what-if llm</c>: last month's LLM calls repriced on another catalogue model.</summary>
internal sealed class WhatIfLlmCommand(CliContext cli, WhatIfLlmUseCase whatIf) : WhatIfCommand<WhatIfLlmSettings, WhatIfLlmReport>(cli)
{
    protected override WhatIfLlmReport Run(WhatIfLlmSettings settings) => whatIf.Run(new WhatIfLlmRequest
    {
        Store = settings.StoreOptions, As = settings.As, Where = settings.Where,
        From = settings.From, To = settings.To, Last = settings.Last, Month = settings.Month,
    });

    protected override IReadOnlyList<string> Warnings(WhatIfLlmReport result) => result.Warnings;

    protected override IReadOnlyList<string> Working(WhatIfLlmReport result) => result.Working;

    protected override Table Table(WhatIfLlmReport result)
    {
        var grid = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"LLM calls {result.From:yyyy-MM-dd} to {result.To:yyyy-MM-dd} repriced on {result.Model}"));
        foreach (var column in new[] { "feature", "team", "model", "calls" })
        {
            grid.AddColumn(column);
        }

        grid.AddColumn(new TableColumn("actual").RightAligned());
        grid.AddColumn(new TableColumn("what-if").RightAligned());
        grid.AddColumn(new TableColumn("difference").RightAligned());
        foreach (var group in result.Groups)
        {
            grid.AddRow(
                Markup.Escape(group.Feature), Markup.Escape(group.Team), Markup.Escape(string.Join(", ", group.Models)),
                group.Calls.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                Formatting.Money(group.ActualCost, group.Currency), Formatting.Money(group.WhatIfCost, group.Currency), Formatting.Money(group.Difference, group.Currency));
        }

        foreach (var (currency, total) in result.Totals)
        {
            grid.AddRow("[bold]Total[/]", "", "", "", $"[bold]{Formatting.Money(total["actual"], currency)}[/]", $"[bold]{Formatting.Money(total["what_if"], currency)}[/]",
                $"[bold]{Formatting.Money(total["difference"], currency)}[/]");
        }

        return grid;
    }

    protected override IEnumerable<string> PerMonth(WhatIfLlmReport result) =>
        result.Totals.Select(t => PerMonthLine(t.Value["monthly_difference"], t.Key, $"on {result.Model}"));
}
