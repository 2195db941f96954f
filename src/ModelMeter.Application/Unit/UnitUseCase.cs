using System.Globalization;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;
using ModelMeter.Core.Unit;
using ModelMeter.Store;

namespace ModelMeter.Application.Unit;

/// <summary><c>modelmeter unit</c>: the scope dimension, the period and grain, a price per call, whether to reconcile.</summary>
public sealed record UnitRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Whose costs the caller may read: a team-scoped API key's team is one more condition (<c>tag:team=nlp</c>).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary><c>--by</c> (one tag, default <c>tag:model</c>), <c>--where</c>, the period options and <c>--grain</c> (default month).</summary>
    public CostQueryText Query { get; init; } = CostQueryText.Everything;

    /// <summary><c>--price 0.01</c>: what one call is sold for, in the bill's currency.</summary>
    public string? Price { get; init; }

    public bool Reconcile { get; init; }
}

/// <summary>The answer of <c>modelmeter unit</c>.</summary>
/// <param name="Dimension">The scope dimension (<c>tag:model</c>).</param>
/// <param name="Grain">day, week or month.</param>
/// <param name="Rows">Per scope, currency and period, in that order.</param>
/// <param name="Latest">Each scope's row of the last period, for the one-line answer "what does a prediction cost, is it trending down".</param>
/// <param name="Reconciliation">With <c>--reconcile</c>: per currency, unit cost × units against the bill.</param>
public sealed record UnitReport(
    string Dimension,
    string Grain,
    DateOnly From,
    DateOnly To,
    decimal? PricePerCall,
    IReadOnlyList<UnitRow> Rows,
    IReadOnlyList<UnitRow> Latest,
    IReadOnlyList<UnitReconciliation>? Reconciliation)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Unit economics that reconcile to the invoice: each scope's cost (billed EffectiveCost, split by the allocation rules
/// where there are any, never list prices) divided by what it served: predictions (usage metric <c>predictions</c>,
/// or for a scope without them the business metric <c>predictions_served</c>), tokens (LLM calls, and usage metrics <c>input_tokens</c>,
/// <c>output_tokens</c>, <c>cached_input_tokens</c>), active users and revenue (business metrics). Units are matched to
/// a scope by the scope's key among their dimensions (an LLM call's model is its <c>model</c>), through the tag policy.
/// </summary>
public sealed class UnitUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    private static readonly string[] TokenMetrics = ["input_tokens", "output_tokens", "cached_input_tokens"];

    public UnitReport Run(UnitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Access.Restrict(request.Query with { By = request.Query.By ?? "tag:model", Grain = request.Query.Grain ?? "month" });
        var query = text.ToQuery(environment.UtcNow);
        if (query.By is not [TagDimension tag])
        {
            throw new UserInputException($"--by '{text.By}': unit costs are per one tag (tag:model, tag:team, tag:product), the key units are logged under.");
        }

        var grain = query.Grain!.Value;
        decimal? price = null;
        if (request.Price is { } priceText)
        {
            price = decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p >= 0
                ? p
                : throw new UserInputException($"--price '{priceText}': give what one call is sold for, as a non-negative number such as 0.01.");
        }

        using var opened = stores.Open(request.Store, StoreAccess.Read, "unit reads imported costs and usage from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var key = setup.Policy.CanonicalKey(tag.Key);
        var (allocation, billed) = setup.Allocate(opened.Store, query with { By = [] });
        var lines = allocation.Lines.Where(l => setup.Matches(l, query.Where)).ToList();
        if (lines.Count == 0)
        {
            throw new UserInputException("No costs in the period asked; import a bill first (modelmeter import focus) or widen --from/--to.");
        }

        var costs = lines.Select(l => new ScopeCost(setup.ValueOf(l, key), TimeBuckets.Start(l.Period, grain), l.Currency, l.Amount)).ToList();
        var first = lines.Min(l => l.Period);
        var last = lines.Max(l => l.Period);
        var from = query.From is { } f ? DateOnly.FromDateTime(f) : TimeBuckets.Start(first, grain);
        var until = query.To is { } t ? DateOnly.FromDateTime(t.AddTicks(-1)).AddDays(1) : BucketEnd(TimeBuckets.Start(last, grain), grain);
        var periods = Periods(from, until, grain);

        // Serving metrics name the model, not the team: a model's traffic belongs to the scope its billed cost carries.
        var modelKey = setup.Policy.CanonicalKey("model");
        var ownership = key == modelKey ? null
            : ModelOwners.Of(allocation.Lines.Where(l => l.Label is null).Select(l => (l.Dimension(modelKey), l.Dimension(key))));
        var units = Units(opened.Store, setup.Policy, key, from, until, grain, ownership is null ? null : (modelKey, ownership));
        if (query.Where.Any(w => w.Dimension is TagDimension))
        {
            // Tag conditions chose the scopes through the bill: units of scopes they left out are not asked about.
            var kept = costs.Select(c => c.Scope).ToHashSet(StringComparer.Ordinal);
            units = units.Where(u => kept.Contains(u.Scope)).ToList();
        }

        var rows = UnitEconomics.Compute(periods, costs, units, price);
        var warnings = new List<string>(allocation.Warnings);
        if (ownership is { Ambiguous.Count: > 0 })
        {
            warnings.Add($"Traffic that names only its model is not counted for models billed under several {key} values: {string.Join(", ", ownership.Ambiguous)}; tag the traffic with {key}.");
        }

        if (units.Count == 0)
        {
            warnings.Add($"No predictions, tokens, active users or revenue carry '{key}' in the period: unit costs are n/a. Import them with import prometheus, import usage, import llm-usage or import metrics.");
        }

        var noTraffic = rows.Where(r => r.Flags.Contains("no_traffic")).Select(r => r.Scope).Distinct(StringComparer.Ordinal).ToList();
        if (noTraffic.Count > 0)
        {
            warnings.Add($"Cost without traffic (n/a unit cost): {string.Join(", ", noTraffic)}.");
        }

        // The bill of the resources asked about: before tag conditions it is what allocation started from; with them, the scopes kept.
        var bill = query.Where.Any(w => w.Dimension is TagDimension)
            ? lines.GroupBy(l => l.Currency, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount), StringComparer.Ordinal)
            : billed;
        var latest = rows.GroupBy(r => (r.Scope, r.Currency)).Select(g => g.MaxBy(r => r.PeriodStart)!).ToList();
        return new UnitReport(
            $"tag:{key}", grain.ToString().ToLowerInvariant(), from, until, price, rows, latest,
            request.Reconcile ? UnitEconomics.Reconcile(rows, bill) : null)
        {
            Warnings = warnings,
        };
    }

    /// <summary>Units per scope and bucket from usage series, LLM calls and business metrics.</summary>
    /// <param name="models">For a scope other than model: the model key and whose each model's traffic is (<see cref="ModelOwners"/>),
    /// for units that carry a model and not the scope key.</param>
    private static List<ScopeUnits> Units(ICostStore store, TagPolicy policy, string key, DateOnly from, DateOnly until, TimeGrain grain, (string Key, ModelOwnership Ownership)? models)
    {
        string? ValueOf(IReadOnlyDictionary<string, string?> dimensions, string wanted)
        {
            foreach (var (k, v) in dimensions)
            {
                if (policy.CanonicalKey(k) == wanted && policy.NormalizeValue(wanted, v) is { } value)
                {
                    return value;
                }
            }

            return null;
        }

        string? OwnerOf(string? model) =>
            models is { } m && model is not null ? m.Ownership.Owners.GetValueOrDefault(model) : null;

        string? Scope(IReadOnlyDictionary<string, string?> dimensions) =>
            ValueOf(dimensions, key) ?? (models is { } m ? OwnerOf(ValueOf(dimensions, m.Key)) : null);

        var units = new List<ScopeUnits>();
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = until.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var series = store.QueryUsageStatistics(new UsageStatisticsQuery { From = start, To = end, Metrics = [UnitMetrics.Predictions, .. TokenMetrics], Grain = UsageGrain.Day });
        foreach (var s in series)
        {
            if (Scope(s.Dimensions) is { } scope)
            {
                var metric = s.Metric == UnitMetrics.Predictions ? UnitMetrics.Predictions : UnitMetrics.Tokens;
                units.Add(new ScopeUnits(scope, TimeBuckets.Start(DateOnly.FromDateTime(s.Bucket), grain), metric, s.Sum));
            }
        }

        foreach (var call in store.QueryLlmUsage(start, end, [key]))
        {
            // A call tagged with the scope key belongs to that scope; an untagged call's model is its model scope.
            var scope = Scope(call.Tags) ?? (models is { } m ? OwnerOf(policy.NormalizeValue(m.Key, call.Model)) : policy.NormalizeValue(key, call.Model));
            if (scope is not null)
            {
                units.Add(new ScopeUnits(scope, TimeBuckets.Start(call.Day, grain), UnitMetrics.Tokens, call.TotalTokens));
            }
        }

        // A scope whose predictions the serving metrics measured takes them, not the business metric's count.
        var measured = units.Where(u => u.Metric == UnitMetrics.Predictions).Select(u => u.Scope).ToHashSet(StringComparer.Ordinal);
        foreach (var value in store.QueryBusinessMetrics(from, until))
        {
            if (Scope(value.Dimensions) is not { } scope)
            {
                continue;
            }

            var metric = value.Metric switch
            {
                "predictions_served" => UnitMetrics.Predictions,
                UnitMetrics.ActiveUsers => UnitMetrics.ActiveUsers,
                UnitMetrics.Revenue => UnitMetrics.Revenue,
                _ => null,
            };
            if (metric is null)
            {
                continue;
            }

            // Additive metrics are pro-rated by the days a period shares with each bucket; active users are not
            // additive: a bucket the period meets takes its count.
            var days = value.PeriodEnd.DayNumber - value.PeriodStart.DayNumber;
            foreach (var (bucket, overlap) in Overlaps(value.PeriodStart, value.PeriodEnd, from, until, grain))
            {
                if (metric == UnitMetrics.Predictions && measured.Contains(scope))
                {
                    continue;
                }

                var share = metric == UnitMetrics.ActiveUsers ? value.Value : value.Value * overlap / days;
                units.Add(new ScopeUnits(scope, bucket, metric, share));
            }
        }

        return units;
    }

    private static IEnumerable<(DateOnly Bucket, int Days)> Overlaps(DateOnly start, DateOnly end, DateOnly from, DateOnly until, TimeGrain grain)
    {
        var counts = new Dictionary<DateOnly, int>();
        for (var day = start < from ? from : start; day < end && day < until; day = day.AddDays(1))
        {
            var bucket = TimeBuckets.Start(day, grain);
            counts[bucket] = counts.GetValueOrDefault(bucket) + 1;
        }

        return counts.Select(c => (c.Key, c.Value));
    }

    private static DateOnly BucketEnd(DateOnly start, TimeGrain grain)
    {
        var end = start.AddDays(1);
        while (TimeBuckets.Start(end, grain) == start)
        {
            end = end.AddDays(1);
        }

        return end;
    }

    private static List<(DateOnly Start, DateOnly End)> Periods(DateOnly from, DateOnly until, TimeGrain grain)
    {
        var periods = new List<(DateOnly, DateOnly)>();
        for (var start = TimeBuckets.Start(from, grain); start < until; start = BucketEnd(start, grain))
        {
            periods.Add((start, BucketEnd(start, grain)));
        }

        return periods;
    }
}
