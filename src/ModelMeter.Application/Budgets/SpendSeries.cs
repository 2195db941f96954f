using ModelMeter.Application.Attribution;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Forecasting;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Budgets;

/// <summary>One scope's daily cost: the values of the grouping dimensions, the currency and its contiguous days.</summary>
public sealed record ScopeSeries(IReadOnlyList<string> Values, string Currency, IReadOnlyList<DailyCost> Days);

/// <summary>
/// Daily cost per scope, in the local days of a time zone, from one query: the bill read through the tag policy
/// exactly as <c>report</c> reads it (<see cref="CostStoreQueries.QueryCosts"/>), or the allocated view. Each day is
/// split into run rate and one-off charges by ChargeCategory (<see cref="OneOffCharges"/>). In UTC the store groups
/// by day; in another zone it groups by UTC hour and each hour goes to the local day it starts in (exact for zones
/// whole hours from UTC). The period's bounds are always exact instants, so a period's total is exact.
/// </summary>
public sealed class SpendSeriesReader(ICostStore store, AttributionSetup setup)
{
    private static readonly ColumnDimension ChargeCategory = new("ChargeCategory");

    /// <param name="where">Scope conditions (<c>--where</c> language).</param>
    /// <param name="by">Grouping dimensions; each group is a scope.</param>
    /// <param name="basis">The bill or the allocated view.</param>
    /// <param name="zone">Whose local days.</param>
    /// <param name="firstDay">First local day, inclusive.</param>
    /// <param name="lastDay">Last local day, inclusive.</param>
    /// <param name="cost">Which cost column.</param>
    public IReadOnlyList<ScopeSeries> Read(
        IReadOnlyList<Filter> where, IReadOnlyList<Dimension> by, BudgetBasis basis, TimeZoneInfo zone, DateOnly firstDay, DateOnly lastDay, CostMetric cost = CostMetric.Effective)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(zone);
        if (lastDay < firstDay)
        {
            return [];
        }

        var groups = new Dictionary<string, (string[] Values, string Currency, List<DailyCost> Days)>(StringComparer.Ordinal);
        void Add(IReadOnlyList<string> values, string currency, DateOnly day, decimal amount, bool oneOff)
        {
            if (day < firstDay || day > lastDay)
            {
                return;
            }

            var key = string.Join('\u0001', values) + '\u0002' + currency;
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = ([.. values], currency, []);
            }

            group.Days.Add(oneOff ? new DailyCost(day, 0m, amount) : new DailyCost(day, amount, 0m));
        }

        var utc = zone == TimeZoneInfo.Utc;
        if (basis == BudgetBasis.Direct)
        {
            var query = new CostQuery
            {
                By = [.. by, ChargeCategory],
                Where = where,
                From = BudgetWindow.ToUtc(firstDay, zone),
                To = BudgetWindow.ToUtc(lastDay.AddDays(1), zone),
                Grain = utc ? TimeGrain.Day : TimeGrain.Hour,
                Cost = cost,
            };
            foreach (var row in store.QueryCosts(query, setup.Policy))
            {
                var day = utc ? DateOnly.FromDateTime(row.Period!.Value) : BudgetWindow.LocalDay(row.Period!.Value, zone);
                Add(row.Values.Take(by.Count).ToList(), row.Currency, day, row.Cost, OneOffCharges.IsOneOff(row.Values[by.Count]));
            }
        }
        else
        {
            // Allocation runs on UTC days and its lines carry no charge category: each UTC day's allocated cost goes to the
            // local day its noon falls on, and all of it is run rate.
            var keys = by.Select(d => d is TagDimension t
                    ? setup.Policy.CanonicalKey(t.Key)
                    : throw new UserInputException($"Allocated cost is grouped by tags (tag:team ...), not by '{d.Label}'."))
                .ToList();
            var query = new CostQuery
            {
                Where = where.Where(f => f.Dimension is not TagDimension).ToList(),
                From = firstDay.AddDays(-1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                To = lastDay.AddDays(2).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                Cost = cost,
            };
            var tagFilters = where.Where(f => f.Dimension is TagDimension).ToList();
            foreach (var line in setup.Allocate(store, query).Result.Lines.Where(l => setup.Matches(l, tagFilters)))
            {
                var noon = line.Period.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
                Add(keys.Select(k => setup.ValueOf(line, k)).ToList(), line.Currency, BudgetWindow.LocalDay(noon, zone), line.Amount, oneOff: false);
            }
        }

        return groups.Values
            .OrderBy(g => string.Join('\u0001', g.Values), StringComparer.Ordinal)
            .ThenBy(g => g.Currency, StringComparer.Ordinal)
            .Select(g => new ScopeSeries(g.Values, g.Currency, DailySeries.Contiguous(g.Days, firstDay, lastDay)))
            .ToList();
    }

    /// <summary>
    /// The last local day with imported charges, at most <paramref name="today"/>'s eve: billing exports lag, and a
    /// day still running is not yet a day of spend. Null for an empty store.
    /// </summary>
    public static DateOnly? LastDay(ICostStore store, TimeZoneInfo zone, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.ChargeRange() is not { } range)
        {
            return null;
        }

        var last = BudgetWindow.LocalDay(range.Last.AddTicks(-1), zone);
        return last < today ? last : today.AddDays(-1);
    }

    /// <summary>The first local day with imported charges; null for an empty store.</summary>
    public static DateOnly? FirstDay(ICostStore store, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.ChargeRange() is { } range ? BudgetWindow.LocalDay(range.First, zone) : null;
    }
}
