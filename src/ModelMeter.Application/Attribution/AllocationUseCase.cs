using ModelMeter.Application.Access;
using ModelMeter.Application.Configuration;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Attribution;

/// <summary>An allocated view: the query, the target to explain, and the reporting currency.</summary>
public sealed record AllocationRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    public CostQueryText Query { get; init; } = CostQueryText.Everything;

    /// <summary>One target to explain, as <c>tag:KEY=VALUE</c>.</summary>
    public string? Explain { get; init; }

    /// <summary>With several dimensions or a grain: keep the N largest groups.</summary>
    public int? Top { get; init; }

    /// <summary>Convert every amount to this currency at its charge day's rate.</summary>
    public string? Currency { get; init; }

    /// <summary>A rates CSV (<c>date,from,to,rate</c>) for <see cref="Currency"/>; else the rates stored by <c>import rates</c>.</summary>
    public string? Rates { get; init; }
}

/// <summary><c>report --by hierarchy</c>: the cost tree of the bill, or of the allocated view.</summary>
public sealed record HierarchyRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>The period and filters (its <c>By</c> and <c>Grain</c> must be empty: the levels come from the config).</summary>
    public CostQueryText Query { get; init; } = CostQueryText.Everything;

    /// <summary>How many levels of the tree to expand; null for all.</summary>
    public int? Depth { get; init; }

    /// <summary>Split shared cost by the allocation rules first.</summary>
    public bool Allocated { get; init; }

    public string? Currency { get; init; }

    public string? Rates { get; init; }
}

/// <summary>
/// The allocated view (<c>allocate</c>, <c>report --allocated</c>) and the cost hierarchy (<c>report --by hierarchy</c>).
/// Tag conditions of <c>--where</c> apply to the allocated result (allocation decides who a shared cost belongs to);
/// FOCUS-column conditions select the bill before allocation.
/// </summary>
public sealed class AllocationUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public AllocationView Run(AllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Top is <= 0)
        {
            throw new UserInputException("--top must be a positive number.");
        }

        var query = request.Access.Restrict(request.Query).ToQuery(environment.UtcNow);
        if (query.Grain == TimeGrain.Hour)
        {
            // Pools are split per day at the finest (a day's usage drives a day's shared cost).
            throw new UserInputException("--grain hour is for report; the allocated view splits shared cost by day at the finest: use --grain day, week or month.");
        }

        var explain = request.Explain is null ? null : ReportArguments.ParseFilter(request.Explain, "--explain");
        using var opened = stores.Open(request.Store, StoreAccess.Read, "allocation reads imported costs from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var conversion = Conversion(opened.Store, request.Currency, request.Rates);
        var (result, billed) = setup.Allocate(opened.Store, query, conversion);
        var notes = setup.Rules.Count == 0
            ? new[] { "No allocation rules are configured (modelmeter.yaml `allocation.rules`), so every cost is direct. After `modelmeter demo`, try --config .modelmeter/demo/modelmeter.yaml." }
            : [];

        if (explain is not null)
        {
            if (explain.Dimension is not TagDimension tag || explain.Operator != FilterOperator.Equal)
            {
                throw new UserInputException($"--explain '{explain.Dimension.Label}': name one target as tag:KEY=VALUE, e.g. tag:team=nlp.");
            }

            var key = setup.Policy.CanonicalKey(tag.Key);
            var value = setup.Policy.NormalizeValue(key, explain.Values[0]) ?? setup.Policy.UntaggedLabel;
            if (request.Access.Team is { } team && key == "team" && value != team)
            {
                throw new AccessDeniedException($"--explain {key}={value}: this API key reads team '{team}' only.");
            }

            var lines = result.Lines.Where(l => setup.Matches(l, query.Where) && (setup.ValueOf(l, key) == value || l.Label == explain.Values[0].Trim())).ToList();
            return new AllocationView { Explanation = AllocationExplanationReport.Of($"{key}={value}", lines), Warnings = result.Warnings, Notes = notes };
        }

        var kept = result.Lines.Where(l => setup.Matches(l, query.Where)).ToList();
        var keys = query.By.Select(d => d is TagDimension t
                ? setup.Policy.CanonicalKey(t.Key)
                : d is WorkloadDimension
                    ? WorkloadReport.DimensionKey
                    : throw new UserInputException($"The allocated view groups by tags (tag:team, tag:model ...) and category, not by '{d.Label}': shared cost belongs to targets, not to a FOCUS column."))
            .ToList();
        if (query.Grain is null && keys.Count <= 1)
        {
            var dimension = keys.Count == 1 ? keys[0] : (setup.Rules.Count > 0 ? setup.Rules[0].TargetDimension : null) ?? "team";
            var statements = Core.Allocation.ShowbackStatement.Build(kept, result.RuleNames, dimension, setup.Policy.UntaggedLabel)
                .Select(s => s.Dimension == WorkloadReport.DimensionKey ? s with { Dimension = WorkloadDimension.Name } : s)
                .ToList();
            return new AllocationView { Showback = ShowbackReport.Of(statements, billed), Warnings = result.Warnings, Notes = notes };
        }

        var rows = kept
            .GroupBy(l => (Period: query.Grain is { } g ? TimeBuckets.StartUtc(l.Period, g) : (DateTime?)null, l.Currency, Values: string.Join('\u0001', keys.Select(k => setup.ValueOf(l, k)))))
            .Select(g => new CostRow(g.Key.Period, g.Key.Values.Split('\u0001'), g.Key.Currency, g.Sum(l => l.Amount)))
            .ToList();
        return new AllocationView { Costs = CostReport.Of(CostTable.Build(query, rows, request.Top), query), Warnings = result.Warnings, Notes = notes };
    }

    /// <summary>The cost tree of the bill (tags through the policy), or of the allocated view.</summary>
    public HierarchyReport Hierarchy(HierarchyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Depth is < 1)
        {
            throw new UserInputException("--depth must be at least 1.");
        }

        var query = request.Access.Restrict(request.Query).ToQuery(environment.UtcNow);
        using var opened = stores.Open(request.Store, StoreAccess.Read, "the hierarchy reads imported costs from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var conversion = Conversion(opened.Store, request.Currency, request.Rates);
        IEnumerable<DimensionedAmount> amounts;
        if (request.Allocated)
        {
            var result = setup.Allocate(opened.Store, query, conversion).Result;
            amounts = result.Lines.Where(l => setup.Matches(l, query.Where)).Select(l => l.ToDimensionedAmount());
        }
        else
        {
            var rows = setup.Billed(opened.Store, query, conversion);
            amounts = rows.Where(r => Matches(setup, r, query.Where)).Select(r => r.ToDimensionedAmount());
        }

        var trees = HierarchyRollup.Build(amounts, setup.Levels, request.Depth, setup.Policy.UntaggedLabel);
        return HierarchyReport.Of(trees, setup.Levels, request.Allocated);
    }

    /// <summary>
    /// <c>--currency EUR</c>: converts with <c>--rates FILE</c> when given, else with the rates stored by
    /// <c>modelmeter import rates</c>.
    /// </summary>
    private CurrencyConversion? Conversion(ICostStore store, string? currency, string? rates)
    {
        if (currency is null && rates is null)
        {
            return null;
        }

        if (currency is null)
        {
            throw new UserInputException("--rates goes with --currency: --currency EUR --rates rates.csv (a CSV of date,from,to,rate).");
        }

        var code = currency.Trim().ToUpperInvariant();
        if (!Currency.IsKnown(code))
        {
            throw new UserInputException($"--currency '{currency}' is not an ISO 4217 code such as USD or EUR.");
        }

        if (rates is null)
        {
            var stored = store.ExchangeRates();
            if (stored.Count == 0)
            {
                throw new UserInputException($"--currency {code}: the store holds no exchange rates; import a table with `modelmeter import rates rates.csv` or pass --rates rates.csv.");
            }

            return new CurrencyConversion(code, new ExchangeRateTable(stored));
        }

        var path = environment.ResolvePath(rates);
        if (!File.Exists(path))
        {
            throw new UserInputException($"Rates file '{rates}' does not exist.");
        }

        return new CurrencyConversion(code, ExchangeRateTable.Parse(ConfigLocator.ReadText(path, rates), rates));
    }

    private static bool Matches(AttributionSetup setup, CostPoolRow row, IEnumerable<Filter> filters) =>
        setup.Matches(new AllocatedLine(row.Period, row.Currency, row.Amount, AllocationKind.Direct, row.Dimensions, null, null, null), filters);
}
