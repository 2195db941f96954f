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
using ModelMeter.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class CheckSettings : StoreSettings
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
/// The budget is an amount, or with <c>--scope</c> a budget scope's amount for the current period, from which what the
/// scope has already spent (imported actuals, through <see cref="IActualSpendSource"/>) is taken off.
/// </summary>
public sealed class CheckCommand(CliContext cli) : AsyncCommand<CheckSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CheckSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var format = Display.Format(settings.Format, "markdown", "markdown", "json", "table");
        var scenario = (settings.Scenario ?? "expected").ToLowerInvariant();
        if (scenario is not ("optimistic" or "expected" or "pessimistic"))
        {
            throw new UserInputException($"--scenario '{settings.Scenario}' is not one of optimistic, expected, pessimistic.");
        }

        if (settings.Period is not null && settings.Scope.Length == 0)
        {
            throw new UserInputException("--period applies to a budget scope; give --scope CONDITION too, e.g. --scope tag:team=search --period quarter.");
        }

        var scope = settings.Scope.Length > 0 ? BudgetScope.Parse(settings.Scope) : null;
        var periodKind = BudgetPeriod.ParseKind(settings.Period);
        var budget = settings.Budget ?? throw new UserInputException(scope is null
            ? "check needs --budget AMOUNT."
            : "--scope needs --budget AMOUNT: the scope's budget for the period, from which its spend to date is taken off.");
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

        Money? spentToDate = null;
        SpendToDateBasis? basis = null;
        if (scope is not null)
        {
            (spentToDate, basis) = await SpendToDate(settings, scope, periodKind, currency, cancellationToken).ConfigureAwait(false);
        }

        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = items,
            Budget = new Money(budget, currency),
            SpentToDate = spentToDate,
            SpentBasis = basis,
            Baseline = baseline,
            MaxIncreasePercent = settings.MaxIncrease,
        });

        var markdown = BudgetCheck.ToMarkdown(result);
        var json = JsonSerializer.Serialize(JsonModel(result), Display.Json) + "\n";
        if (settings.JsonOut is { } jsonPath)
        {
            await File.WriteAllTextAsync(cli.ResolvePath(jsonPath), json, cancellationToken).ConfigureAwait(false);
        }

        if (settings.MarkdownOut is { } mdPath)
        {
            await File.WriteAllTextAsync(cli.ResolvePath(mdPath), markdown, cancellationToken).ConfigureAwait(false);
        }

        switch (format)
        {
            case "json":
                cli.WriteRaw(json);
                break;
            case "table":
                CheckOutput.WriteTable(cli, result);
                break;
            default:
                cli.WriteRaw(markdown);
                break;
        }

        return result.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    /// <summary>What the scope has spent in the current period up to today (UTC), from the store's imported actuals.</summary>
    private async Task<(Money Spent, SpendToDateBasis Basis)> SpendToDate(
        CheckSettings settings, BudgetScope scope, BudgetPeriodKind periodKind, string currency, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(cli.Clock.GetUtcNow().UtcDateTime);
        var period = BudgetPeriod.Containing(periodKind, today);
        var (config, store, _) = StoreOpener.OpenExisting(cli, settings, "--scope reads what the scope has spent from imported actuals");
        using (store)
        {
            // The scope's tags are read through the tag policy, so the check sees the spend `report --where` shows.
            var policy = Attribution.AttributionSetup.From(config).Policy;
            var actual = await new StoreActualSpendSource(store, policy).SpendToDateAsync(scope, period.Start, today, cancellationToken).ConfigureAwait(false);
            var spent = actual.In(currency, scope, period);
            if (actual.IsEmpty)
            {
                cli.Error.MarkupLine($"[yellow]warning:[/] no imported line item matches --scope {Markup.Escape(scope.Label)} in {period.Label}; its spend to date counts as 0.");
            }

            return (spent, new SpendToDateBasis(scope, period, today, !actual.IsEmpty, actual.ActualsThrough));
        }
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
        Verdict = BudgetCheck.Verdict(r),
        Currency = r.Total.Currency,
        Total = r.Total.Amount,
        Budget = r.Input.Budget.Amount,
        SpentToDate = r.Input.SpentToDate?.Amount,
        Scope = r.Input.SpentBasis?.Scope.Label,
        Period = r.Input.SpentBasis?.Period.Label,
        PeriodStart = r.Input.SpentBasis?.Period.Start,
        PeriodEnd = r.Input.SpentBasis?.Period.End,
        SpentAsOf = r.Input.SpentBasis?.AsOf,
        ActualsThrough = r.Input.SpentBasis?.ActualsThrough,
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
