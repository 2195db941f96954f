using System.ComponentModel;
using System.Text.Json;
using ModelMeter.Cli.Configuration;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class CheckSettings : CommandSettings
{
    [CommandArgument(0, "[SPECS]")]
    [Description("Estimate specs whose headline figures are summed and checked.")]
    public string[] Specs { get; init; } = [];

    [CommandOption("--total <AMOUNT>")]
    [Description("An amount to check instead of (or on top of) specs, e.g. from another tool.")]
    public decimal? Total { get; init; }

    [CommandOption("--budget <AMOUNT>")]
    [Description("The budget the total must fit in (required).")]
    public decimal? Budget { get; init; }

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

    [CommandOption("--format <FORMAT>")]
    [Description("markdown (default, for a pull-request comment) or json.")]
    public string? Format { get; init; }

    [CommandOption("--json-out <FILE>")]
    [Description("Also write the JSON document to this file.")]
    public string? JsonOut { get; init; }

    [CommandOption("--markdown-out <FILE>")]
    [Description("Also write the Markdown summary to this file (e.g. for gh pr comment --body-file).")]
    public string? MarkdownOut { get; init; }

    [CommandOption("--config <PATH>")]
    [Description("The config file (default: ./modelmeter.yaml when present).")]
    public string? Config { get; init; }
}

/// <summary>
/// <c>modelmeter check</c>, the CI cost gate: exits 0 within budget, 1 over budget or over --max-increase, 2 on bad input.
/// A budget scope whose remaining amount comes from imported actuals will plug in through <see cref="IActualSpendSource"/>
/// once the store provides it; today the budget is an amount.
/// </summary>
public sealed class CheckCommand(CliContext cli) : Command<CheckSettings>
{
    public override int Execute(CommandContext context, CheckSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var format = Display.Format(settings.Format, "markdown", "markdown", "json");
        var scenario = (settings.Scenario ?? "expected").ToLowerInvariant();
        if (scenario is not ("optimistic" or "expected" or "pessimistic"))
        {
            throw new UserInputException($"--scenario '{settings.Scenario}' is not one of optimistic, expected, pessimistic.");
        }

        var budget = settings.Budget ?? throw new UserInputException("check needs --budget AMOUNT.");
        if (budget < 0)
        {
            throw new UserInputException("--budget must not be negative.");
        }

        if (settings.Specs.Length == 0 && settings.Total is null)
        {
            throw new UserInputException("check needs one or more spec files, or --total AMOUNT.");
        }

        if (settings.MaxIncrease is not null && settings.Baseline.Length == 0)
        {
            throw new UserInputException("--max-increase needs --baseline SPEC to compare against.");
        }

        var config = ConfigLoader.Load(cli, settings.Config);
        var currency = settings.Currency ?? config.Currency;
        if (!Currency.IsWellFormed(currency))
        {
            throw new UserInputException($"--currency '{currency}' is not an ISO 4217 code such as USD.");
        }

        var catalog = PriceCatalog.Load(config.Prices, config.SourcePath ?? ConfigLoader.FileName);
        var used = new List<ICatalogEntry>();
        var items = Items(settings.Specs, catalog, currency, scenario, used);
        if (settings.Total is { } total)
        {
            items.Add(new CheckItem("total given", "--total", "amount", new Money(total, currency)));
        }

        var baseline = settings.Baseline.Length > 0 ? Items(settings.Baseline, catalog, currency, scenario, used) : null;
        CatalogLoader.WarnIfStale(cli, catalog, used.Distinct());

        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = items,
            Budget = new Money(budget, currency),
            Baseline = baseline,
            MaxIncreasePercent = settings.MaxIncrease,
        });

        var markdown = BudgetCheck.ToMarkdown(result);
        var json = JsonSerializer.Serialize(JsonModel(result), Display.Json) + "\n";
        if (settings.JsonOut is { } jsonPath)
        {
            File.WriteAllText(cli.ResolvePath(jsonPath), json);
        }

        if (settings.MarkdownOut is { } mdPath)
        {
            File.WriteAllText(cli.ResolvePath(mdPath), markdown);
        }

        cli.WriteRaw(format == "json" ? json : markdown);
        return result.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private List<CheckItem> Items(IEnumerable<string> specPaths, PriceCatalog catalog, string currency, string scenario, List<ICatalogEntry> used)
    {
        var items = new List<CheckItem>();
        foreach (var path in specPaths)
        {
            var report = EstimateRunner.Run(SpecFiles.Read(cli, path), catalog);
            used.AddRange(report.PricesUsed);
            var estimate = report.Scenarios is { } set
                ? scenario switch { "optimistic" => set.Optimistic, "pessimistic" => set.Pessimistic, _ => set.Expected }
                : report.Estimate;
            var headline = estimate.Headline;
            if (!string.Equals(headline.Currency, currency, StringComparison.Ordinal))
            {
                throw new UserInputException($"{path}: the spec is priced in {headline.Currency} but the budget is in {currency}; use --currency {headline.Currency} or price the spec in {currency}.");
            }

            var figure = report.Scenarios is null ? estimate.HeadlineFigure.Label : $"{estimate.HeadlineFigure.Label}, {scenario}";
            items.Add(new CheckItem(estimate.Title, path, figure, headline));
        }

        return items;
    }

    private static object JsonModel(BudgetCheckResult r) => new
    {
        r.Passed,
        Currency = r.Total.Currency,
        Total = r.Total.Amount,
        Budget = r.Input.Budget.Amount,
        SpentToDate = r.Input.SpentToDate?.Amount,
        Available = r.Available.Amount,
        Headroom = r.Headroom.Amount,
        BaselineTotal = r.BaselineTotal?.Amount,
        IncreasePercent = r.IncreasePercent is { } p ? Math.Round(p, 4) : (decimal?)null,
        MaxIncreasePercent = r.Input.MaxIncreasePercent,
        r.OverBudget,
        r.OverMaxIncrease,
        r.Reasons,
        Items = r.Input.Items.Select(i => new { i.Name, Spec = i.Origin, i.Figure, i.Amount.Amount }),
        BaselineItems = r.Input.Baseline?.Select(i => new { i.Name, Spec = i.Origin, i.Figure, i.Amount.Amount }),
    };
}
