namespace ModelMeter.Core.Unit;

/// <summary>What a scope (one value of the <c>--by</c> dimension) cost in one period, in one currency.</summary>
public sealed record ScopeCost(string Scope, DateOnly Period, string Currency, decimal Cost);

/// <summary>Units a scope consumed or produced in one period: what a cost is divided by.</summary>
/// <param name="Metric"><see cref="UnitMetrics"/>: predictions, tokens, active_users, revenue.</param>
public sealed record ScopeUnits(string Scope, DateOnly Period, string Metric, decimal Value);

/// <summary>The unit metrics ModelMeter divides cost by.</summary>
public static class UnitMetrics
{
    public const string Predictions = "predictions";
    public const string Tokens = "tokens";
    public const string ActiveUsers = "active_users";
    public const string Revenue = "revenue";
}

/// <summary>One scope in one period: its cost and each unit cost (null where there were no units: never a division by zero).</summary>
/// <param name="CostPerPredictionChange">Cost per prediction against the scope's previous period, as a fraction (-0.1 = 10 % cheaper); null without both.</param>
/// <param name="MarginPerCall">With a price per call: the price less the cost per prediction.</param>
/// <param name="Flags"><c>no_traffic</c> (cost but no predictions or tokens), <c>no_cost</c> (units but nothing billed).</param>
public sealed record UnitRow(
    string Scope,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Currency,
    decimal Cost,
    decimal? Predictions,
    decimal? CostPerPrediction,
    decimal? CostPerThousandPredictions,
    decimal? Tokens,
    decimal? CostPerMillionTokens,
    decimal? ActiveUsers,
    decimal? CostPerActiveUser,
    decimal? Revenue,
    decimal? GrossMargin,
    decimal? CostPerPredictionChange,
    decimal? MarginPerCall,
    IReadOnlyList<string> Flags);

/// <summary>
/// <c>unit --reconcile</c> for one currency: unit cost × units summed over the scopes with traffic, plus the cost of
/// scopes without any, gives back the cost of the scopes, which is the bill of the resources asked about.
/// </summary>
public sealed record UnitReconciliation(
    string Currency,
    decimal Billed,
    decimal ScopesCost,
    decimal UnitCostTimesUnits,
    decimal CostWithoutTraffic,
    decimal Difference,
    bool Reconciles);

/// <summary>Unit economics: cost divided by what it bought, per scope and period (pure arithmetic, no I/O).</summary>
public static class UnitEconomics
{
    /// <summary>Below this a reconciliation difference is decimal rounding of the divisions, not a missing cost.</summary>
    public const decimal Tolerance = 0.000001m;

    /// <summary>
    /// A row per scope, period and currency that has a cost or units. Units are in the scope's currency-free terms, so a
    /// scope billed in two currencies gets a row per currency with the same units.
    /// </summary>
    /// <param name="periods">Each period's start and (exclusive) end, in order.</param>
    /// <param name="pricePerCall">What a call is sold for, for the margin per call; null when not asked.</param>
    public static IReadOnlyList<UnitRow> Compute(
        IReadOnlyList<(DateOnly Start, DateOnly End)> periods,
        IReadOnlyList<ScopeCost> costs,
        IReadOnlyList<ScopeUnits> units,
        decimal? pricePerCall)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(units);
        var costBy = costs.GroupBy(c => (c.Scope, c.Period, c.Currency)).ToDictionary(g => g.Key, g => g.Sum(c => c.Cost));
        var unitBy = units.GroupBy(u => (u.Scope, u.Period, u.Metric)).ToDictionary(g => g.Key, g => g.Sum(u => u.Value));
        var currencies = costs.Select(c => c.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (currencies.Count == 0)
        {
            currencies.Add("USD");
        }

        var scopes = costs.Select(c => c.Scope).Concat(units.Select(u => u.Scope)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = new List<UnitRow>();
        foreach (var scope in scopes)
        {
            foreach (var currency in currencies)
            {
                decimal? previousCostPerPrediction = null;
                foreach (var (start, end) in periods)
                {
                    var hasCost = costBy.TryGetValue((scope, start, currency), out var cost);
                    decimal? Units(string metric) => unitBy.TryGetValue((scope, start, metric), out var v) ? v : null;
                    var predictions = Units(UnitMetrics.Predictions);
                    var tokens = Units(UnitMetrics.Tokens);
                    var users = Units(UnitMetrics.ActiveUsers);
                    var revenue = Units(UnitMetrics.Revenue);
                    if (!hasCost && predictions is null && tokens is null && users is null && revenue is null)
                    {
                        previousCostPerPrediction = null;
                        continue;
                    }

                    var perPrediction = Per(cost, predictions);
                    var flags = new List<string>();
                    if (hasCost && cost != 0 && (predictions ?? 0) == 0 && (tokens ?? 0) == 0)
                    {
                        flags.Add("no_traffic");
                    }

                    if (!hasCost && ((predictions ?? 0) > 0 || (tokens ?? 0) > 0))
                    {
                        flags.Add("no_cost");
                    }

                    rows.Add(new UnitRow(
                        scope, start, end, currency, cost,
                        predictions, perPrediction, perPrediction * 1000m,
                        tokens, Per(cost, tokens) * 1_000_000m,
                        users, Per(cost, users),
                        revenue, revenue is { } r ? r - cost : null,
                        previousCostPerPrediction is { } before && before != 0 && perPrediction is { } now ? (now - before) / before : null,
                        pricePerCall is { } price && perPrediction is { } unitCost ? price - unitCost : null,
                        flags));
                    previousCostPerPrediction = perPrediction;
                }
            }
        }

        return rows;
    }

    /// <summary>Unit cost × units over the scopes with traffic, plus the cost of those without, against the bill.</summary>
    public static IReadOnlyList<UnitReconciliation> Reconcile(IReadOnlyList<UnitRow> rows, IReadOnlyDictionary<string, decimal> billed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(billed);
        return billed.Keys.Concat(rows.Select(r => r.Currency)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(currency =>
        {
            var of = rows.Where(r => r.Currency == currency).ToList();
            var withTraffic = of.Where(r => r.CostPerPrediction is not null).Sum(r => r.CostPerPrediction!.Value * r.Predictions!.Value);
            var without = of.Where(r => r.CostPerPrediction is null).Sum(r => r.Cost);
            var bill = billed.GetValueOrDefault(currency);
            var difference = withTraffic + without - bill;
            return new UnitReconciliation(currency, bill, of.Sum(r => r.Cost), withTraffic, without, difference, Math.Abs(difference) < Tolerance);
        }).ToList();
    }

    private static decimal? Per(decimal cost, decimal? units) => units is { } u && u != 0 ? cost / u : null;
}
