using ModelMeter.Application.Access;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Application.Budgets;

/// <summary><c>check</c>: what to price (specs, a total), the budget, and optionally the budget scope whose spend to date counts.</summary>
public sealed record CheckRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    public IReadOnlyList<string> Specs { get; init; } = [];

    /// <summary>Specs sent as text (the API's request body) rather than named as files; priced after <see cref="Specs"/>.</summary>
    public IReadOnlyList<InlineSpec> InlineSpecs { get; init; } = [];

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

    /// <summary>A budget of modelmeter.yaml: its scope, period, time zone, basis, amount and currency are the check's.</summary>
    public string? BudgetName { get; init; }
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

        var config = stores.LoadConfig(request.Store);
        BudgetDefinition? named = null;
        if (request.BudgetName is { } budgetName)
        {
            if (request.Scope.Count > 0 || request.Period is not null || request.Budget is not null || request.Currency is not null)
            {
                throw new UserInputException($"--budget-name {budgetName} takes the scope, period, amount and currency from modelmeter.yaml; leave out --scope, --period, --budget and --currency.");
            }

            var configured = BudgetConfigReader.Budgets(config);
            named = configured.FirstOrDefault(b => b.Name == budgetName.Trim())
                    ?? throw new UserInputException($"--budget-name '{budgetName}' is not a configured budget; the budgets are {(configured.Count == 0 ? "none (add one with modelmeter budget add)" : string.Join(", ", configured.Select(b => b.Name)))}.");
            request = request with
            {
                Scope = named.Scope.Filters.Count == 0 ? [] : SplitLabel(named),
                Period = named.Period.ToString().ToLowerInvariant(),
                Budget = named.Amount.Amount,
                Currency = named.Amount.Currency,
            };
        }

        if (request.Period is not null && request.Scope.Count == 0 && named is null)
        {
            throw new UserInputException("--period applies to a budget scope; give --scope CONDITION too, e.g. --scope tag:team=search --period quarter.");
        }

        // A team's key checks against its own team's spend: its team is one more condition of the scope.
        var scope = request.Access.Team is { } team && (request.Scope.Count > 0 || named is not null)
            ? BudgetScope.Parse([.. request.Scope, $"tag:team={team}"])
            : named?.Scope ?? (request.Scope.Count > 0 ? BudgetScope.Parse(request.Scope) : null);
        var periodKind = BudgetPeriod.ParseKind(request.Period);
        var budget = request.Budget ?? throw new UserInputException(scope is null
            ? "check needs --budget AMOUNT."
            : "--scope needs --budget AMOUNT: the scope's budget for the period, from which its spend to date is taken off.");
        if (budget < 0)
        {
            throw new UserInputException("--budget must not be negative.");
        }

        if (request.Specs.Count == 0 && request.InlineSpecs.Count == 0 && request.Total is null)
        {
            throw new UserInputException("check needs one or more spec files, or --total AMOUNT.");
        }

        if (request.MaxIncrease is not null && request.Baseline.Count == 0)
        {
            throw new UserInputException("--max-increase needs --baseline SPEC to compare against.");
        }

        var currency = request.Currency ?? config.Currency;
        if (!Currency.IsKnown(currency))
        {
            throw new UserInputException($"--currency '{currency}' is not an ISO 4217 code such as USD.");
        }

        var catalog = PriceCatalog.Load(config.Prices, config.SourcePath ?? Configuration.ConfigLocator.FileName);
        var used = new List<ICatalogEntry>();
        var items = Items(request.Specs.Select(p => (p, catalogs.ReadSpec(p))).Concat(request.InlineSpecs.Select(s => (s.Name, s.Parse()))), catalog, currency, scenario, used);
        if (request.Total is { } total)
        {
            items.Add(new CheckItem("total given", "--total", "amount", new Money(total, currency)));
        }

        var baseline = request.Baseline.Count > 0 ? Items(request.Baseline.Select(p => (p, catalogs.ReadSpec(p))), catalog, currency, scenario, used) : null;
        var warnings = new List<string>(catalogs.StaleWarnings(catalog, used.Distinct()));

        Money? spentToDate = null;
        SpendToDateBasis? basis = null;
        string? enforcedBy = null;
        if (scope is not null)
        {
            // A configured budget on the same scope and period decides the zone and basis, and may fail every check on it.
            var budgetOfScope = named ?? BudgetConfigReader.Budgets(config).FirstOrDefault(b =>
                b.Period == periodKind && b.Amount.Currency == currency && string.Equals(b.Scope.Label, scope.Label, StringComparison.Ordinal));
            (spentToDate, basis) = SpendToDate(request.Store, scope, periodKind, currency, budgetOfScope ?? named, warnings);
            if (budgetOfScope is { OnExceed.FailCheck: true } enforcing
                && (named is not null ? spentToDate.Value.Amount : SpendToDate(request.Store, enforcing.Scope, enforcing.Period, currency, enforcing, []).Spent.Amount) >= enforcing.Amount.Amount)
            {
                enforcedBy = enforcing.Name;
            }
        }

        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = items,
            Budget = new Money(budget, currency),
            SpentToDate = spentToDate,
            SpentBasis = basis,
            Baseline = baseline,
            MaxIncreasePercent = request.MaxIncrease,
            EnforcedBy = enforcedBy,
        });
        return CheckReport.Of(result) with { Warnings = warnings };
    }

    /// <summary>What the scope has spent in the current period up to today (UTC), from the store's imported actuals.</summary>
    private (Money Spent, SpendToDateBasis Basis) SpendToDate(StoreOptions options, BudgetScope scope, BudgetPeriodKind periodKind, string currency, BudgetDefinition? configured, List<string> warnings)
    {
        using var opened = stores.Open(options, StoreAccess.Read, "--scope reads what the scope has spent from imported actuals");
        // The scope's tags are read through the tag policy, so the check sees the spend `report --where` shows.
        var setup = Attribution.AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        ActualSpend actual;
        BudgetPeriod period;
        DateOnly today;
        if (configured is { } b && (b.Zone != TimeZoneInfo.Utc || b.Basis == BudgetBasis.Allocated))
        {
            // A configured budget in a time zone, or on allocated cost: its local period, read as budget status reads it.
            today = BudgetWindow.LocalDay(environment.UtcNow, b.Zone);
            var window = BudgetWindow.Containing(periodKind, today, b.Zone);
            period = window.Period;
            var series = new SpendSeriesReader(opened.Store, setup).Read(scope.Filters, [], b.Basis, b.Zone, window.Start, today);
            actual = new ActualSpend(
                series.Select(s => new Money(s.Days.Sum(d => d.Total), s.Currency)).Where(m => m.Amount != 0m).ToList(),
                opened.Store.ChargeRange()?.Last);
        }
        else
        {
            today = environment.Today;
            period = BudgetPeriod.Containing(periodKind, today);
            actual = new StoreActualSpendSource(opened.Store, setup.Policy).SpendToDateAsync(scope, period.Start, today, CancellationToken.None).GetAwaiter().GetResult();
        }

        var spent = actual.In(currency, scope, period);
        if (actual.IsEmpty)
        {
            warnings.Add($"no imported line item matches --scope {scope.Label} in {period.Label}; its spend to date counts as 0.");
        }

        return (spent, new SpendToDateBasis(scope, period, today, !actual.IsEmpty, actual.ActualsThrough));
    }

    /// <summary>A budget's conditions as <c>--scope</c> texts: the label joins them with <c> and </c>.</summary>
    private static List<string> SplitLabel(BudgetDefinition budget) => [.. budget.Scope.Label.Split(" and ", StringSplitOptions.TrimEntries)];

    private static List<CheckItem> Items(IEnumerable<(string Path, EstimateSpec Spec)> specs, PriceCatalog catalog, string currency, string scenario, List<ICatalogEntry> used)
    {
        var items = new List<CheckItem>();
        foreach (var (path, spec) in specs)
        {
            var report = EstimateRunner.Run(spec, catalog);
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
