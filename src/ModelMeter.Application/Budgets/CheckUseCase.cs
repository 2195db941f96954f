using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Application.Budgets;

/// <summary><c>check</c>: what to price (specs, a total), the budget, and optionally the budget scope whose spend to date counts.</summary>
public sealed record CheckRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public IReadOnlyList<string> Specs { get; init; } = [];

    public decimal? Total { get; init; }

    public decimal? Budget { get; init; }

    /// <summary>Budget scope conditions in the <c>--where</c> syntax; their spend this period is taken off the budget.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];

    /// <summary><c>month</c> (default), <c>quarter</c> or <c>year</c>, with <see cref="Scope"/>.</summary>
    public string? Period { get; init; }

    public string? Currency { get; init; }

    public IReadOnlyList<string> Baseline { get; init; } = [];

    public decimal? MaxIncrease { get; init; }

    /// <summary><c>optimistic</c>, <c>expected</c> (default) or <c>pessimistic</c>, for specs with ranges.</summary>
    public string? Scenario { get; init; }
}

/// <summary>
/// The CI cost gate: passes within budget, fails over budget or over <c>--max-increase</c>. The budget is an amount, or
/// with a scope a budget for the current period from which what the scope has already spent (imported actuals, read
/// as <c>report</c> reads them) is taken off.
/// </summary>
public sealed class CheckUseCase(StoreProvider stores, PriceCatalogs catalogs, ModelMeterEnvironment environment)
{
    public CheckReport Run(CheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = (request.Scenario ?? "expected").ToLowerInvariant();
        if (scenario is not ("optimistic" or "expected" or "pessimistic"))
        {
            throw new UserInputException($"--scenario '{request.Scenario}' is not one of optimistic, expected, pessimistic.");
        }

        if (request.Period is not null && request.Scope.Count == 0)
        {
            throw new UserInputException("--period applies to a budget scope; give --scope CONDITION too, e.g. --scope tag:team=search --period quarter.");
        }

        var scope = request.Scope.Count > 0 ? BudgetScope.Parse(request.Scope) : null;
        var periodKind = BudgetPeriod.ParseKind(request.Period);
        var budget = request.Budget ?? throw new UserInputException(scope is null
            ? "check needs --budget AMOUNT."
            : "--scope needs --budget AMOUNT: the scope's budget for the period, from which its spend to date is taken off.");
        if (budget < 0)
        {
            throw new UserInputException("--budget must not be negative.");
        }

        if (request.Specs.Count == 0 && request.Total is null)
        {
            throw new UserInputException("check needs one or more spec files, or --total AMOUNT.");
        }

        if (request.MaxIncrease is not null && request.Baseline.Count == 0)
        {
            throw new UserInputException("--max-increase needs --baseline SPEC to compare against.");
        }

        var config = stores.LoadConfig(request.Store);
        var currency = request.Currency ?? config.Currency;
        if (!Currency.IsKnown(currency))
        {
            throw new UserInputException($"--currency '{currency}' is not an ISO 4217 code such as USD.");
        }

        var catalog = PriceCatalog.Load(config.Prices, config.SourcePath ?? Configuration.ConfigLocator.FileName);
        var used = new List<ICatalogEntry>();
        var items = Items(request.Specs, catalog, currency, scenario, used);
        if (request.Total is { } total)
        {
            items.Add(new CheckItem("total given", "--total", "amount", new Money(total, currency)));
        }

        var baseline = request.Baseline.Count > 0 ? Items(request.Baseline, catalog, currency, scenario, used) : null;
        var warnings = new List<string>(catalogs.StaleWarnings(catalog, used.Distinct()));

        Money? spentToDate = null;
        SpendToDateBasis? basis = null;
        if (scope is not null)
        {
            (spentToDate, basis) = SpendToDate(request.Store, scope, periodKind, currency, warnings);
        }

        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = items,
            Budget = new Money(budget, currency),
            SpentToDate = spentToDate,
            SpentBasis = basis,
            Baseline = baseline,
            MaxIncreasePercent = request.MaxIncrease,
        });
        return CheckReport.Of(result) with { Warnings = warnings };
    }

    /// <summary>What the scope has spent in the current period up to today (UTC), from the store's imported actuals.</summary>
    private (Money Spent, SpendToDateBasis Basis) SpendToDate(StoreOptions options, BudgetScope scope, BudgetPeriodKind periodKind, string currency, List<string> warnings)
    {
        var today = environment.Today;
        var period = BudgetPeriod.Containing(periodKind, today);
        using var opened = stores.Open(options, StoreAccess.Read, "--scope reads what the scope has spent from imported actuals");
        // The scope's tags are read through the tag policy, so the check sees the spend `report --where` shows.
        var policy = Attribution.AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config)).Policy;
        var actual = new StoreActualSpendSource(opened.Store, policy).SpendToDateAsync(scope, period.Start, today, CancellationToken.None).GetAwaiter().GetResult();
        var spent = actual.In(currency, scope, period);
        if (actual.IsEmpty)
        {
            warnings.Add($"no imported line item matches --scope {scope.Label} in {period.Label}; its spend to date counts as 0.");
        }

        return (spent, new SpendToDateBasis(scope, period, today, !actual.IsEmpty, actual.ActualsThrough));
    }

    private List<CheckItem> Items(IEnumerable<string> specPaths, PriceCatalog catalog, string currency, string scenario, List<ICatalogEntry> used)
    {
        var items = new List<CheckItem>();
        foreach (var path in specPaths)
        {
            var report = EstimateRunner.Run(catalogs.ReadSpec(path), catalog);
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
}
