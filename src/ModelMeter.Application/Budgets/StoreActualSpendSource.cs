using ModelMeter.Application.Reporting;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Budgets;

/// <summary>
/// Spend to date of a budget scope from the line items in the store: the cost query <c>report</c> runs, filtered by
/// the scope (tag conditions read through the tag policy, as <c>report --where</c> reads them) and the period, summing
/// EffectiveCost (after discounts and amortised commitments, what the budget is charged) per currency.
/// </summary>
public sealed class StoreActualSpendSource(ICostStore store, TagPolicy policy) : IActualSpendSource
{
    public Task<ActualSpend> SpendToDateAsync(BudgetScope scope, DateOnly periodStart, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(policy);
        if (asOf < periodStart)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, "The day spend is counted to must not be before the period starts.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var query = new CostQuery
        {
            Where = scope.Filters,
            From = periodStart.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            To = asOf.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            Cost = CostMetric.Effective,
        };
        var spend = store.QueryCosts(query, policy)
            .GroupBy(r => r.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Money(g.Sum(r => r.Cost), g.Key))
            .ToList();
        return Task.FromResult(new ActualSpend(spend, store.ChargeRange()?.Last));
    }
}
