using System.ComponentModel;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class CheckSettings : StoreSettings
{
    [CommandArgument(0, "[SPECS]")]
    [Description("Estimate specs whose headline figures are summed and checked.")]
    public string[] Specs { get; init; } = [];

    [CommandOption("--total <AMOUNT>")]
    [Description("An amount to check instead of (or on top of) specs, e.g. from another tool.")]
    public decimal? Total { get; init; }

    [CommandOption("--budget <AMOUNT>")]
    [Description("The budget the total must fit in (required); with --scope, the scope's budget for the whole --period.")]
    public decimal? Budget { get; init; }

    [CommandOption("--scope <CONDITION>")]
    [Description("A budget scope (repeatable, all must hold, syntax of report --where): tag:team=search. What it has spent this period, read from the store's imported actuals, is taken off --budget.")]
    public string[] Scope { get; init; } = [];

    [CommandOption("--period <PERIOD>")]
    [Description("With --scope: the budget's period, month (default), quarter or year; the current one by the UTC clock.")]
    public string? Period { get; init; }

    [CommandOption("--currency <CODE>")]
    [Description("Currency of --budget and --total (default: the config's currency, else USD).")]
    public string? Currency { get; init; }

    [CommandOption("--baseline <SPEC>")]
    [Description("A spec for the current state (e.g. from the main branch) to diff against. Repeatable.")]
    public string[] Baseline { get; init; } = [];

    [CommandOption("--max-increase <PERCENT>")]
    [Description("Fail when the total rises more than this percentage over --baseline.")]
    public decimal? MaxIncrease { get; init; }

    [CommandOption("--scenario <SCENARIO>")]
    [Description("For specs with ranges: which case to check, optimistic, expected (default) or pessimistic.")]
    public string? Scenario { get; init; }

    [CommandOption("--budget-name <NAME>")]
    [Description("A budget of modelmeter.yaml: its scope, period, time zone, amount and currency (instead of --scope, --period, --budget, --currency).")]
    public string? BudgetName { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("markdown (default, for a pull-request comment), json or table.")]
    public string? Format { get; init; }

    [CommandOption("--json-out <FILE>")]
    [Description("Also write the JSON document to this file.")]
    public string? JsonOut { get; init; }

    [CommandOption("--markdown-out <FILE>")]
    [Description("Also write the Markdown summary to this file (e.g. for gh pr comment --body-file).")]
    public string? MarkdownOut { get; init; }
}

/// <summary>
/// <c>modelmeter check</c>, the CI cost gate: exits 0 within budget, 1 over budget or over --max-increase, 2 on bad input.
/// </summary>
internal sealed class CheckCommand(CliContext cli, CheckUseCase check) : AsyncCommand<CheckSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CheckSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var format = Display.Format(settings.Format, "markdown", "markdown", "json", "table");
        var report = check.Run(new CheckRequest
        {
            Store = settings.StoreOptions,
            Specs = settings.Specs,
            Total = settings.Total,
            Budget = settings.Budget,
            Scope = settings.Scope,
            Period = settings.Period,
            Currency = settings.Currency,
            Baseline = settings.Baseline,
            MaxIncrease = settings.MaxIncrease,
            Scenario = settings.Scenario,
            BudgetName = settings.BudgetName,
        });
        cli.WriteWarnings(report.Warnings);
        var json = ModelMeterJson.Serialize(report);
        if (settings.JsonOut is { } jsonPath)
        {
            await File.WriteAllTextAsync(cli.ResolvePath(jsonPath), json, cancellationToken).ConfigureAwait(false);
        }

        if (settings.MarkdownOut is { } mdPath)
        {
            await File.WriteAllTextAsync(cli.ResolvePath(mdPath), report.Markdown, cancellationToken).ConfigureAwait(false);
        }

        switch (format)
        {
            case "json":
                cli.WriteRaw(json);
                break;
            case "table":
                CheckOutput.WriteTable(cli, report);
                break;
            default:
                cli.WriteRaw(report.Markdown);
                break;
        }

        return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}
