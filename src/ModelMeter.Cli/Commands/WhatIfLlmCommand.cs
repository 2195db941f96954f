using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.WhatIf;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class WhatIfLlmSettings : StoreSettings
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
internal sealed class WhatIfLlmCommand(CliContext cli, WhatIfLlmUseCase whatIf) : Command<WhatIfLlmSettings>
{
    public override int Execute(CommandContext context, WhatIfLlmSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = whatIf.Run(new WhatIfLlmRequest
        {
            Store = settings.StoreOptions, As = settings.As, Where = settings.Where,
            From = settings.From, To = settings.To, Last = settings.Last, Month = settings.Month,
        });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

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

        cli.Out.Write(grid);
        cli.Out.WriteLine();
        foreach (var (currency, total) in result.Totals)
        {
            cli.Out.MarkupLine(Markup.Escape($"Per month: {Formatting.Money(total["monthly_difference"], currency)} {currency} ({(total["monthly_difference"] <= 0 ? "saved" : "more")} on {result.Model})."));
        }

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
