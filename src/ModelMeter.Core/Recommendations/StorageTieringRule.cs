using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Storage: an object-storage bucket (checkpoints, artifacts) that only grows → a lifecycle rule moving data older than
/// <see cref="RecommendationSettings.ColdAfterDays"/> to the colder catalogue tier (and retention: keep the last
/// checkpoints and the best). Older data = GB now − the daily growth × those days. Saving = older GB × (price now −
/// colder tier price), per GB-month from the catalogue.
/// </summary>
public sealed class StorageTieringRule : IRecommendationRule
{
    public const string RuleName = "storage-tiering";

    public string Name => RuleName;

    public bool Claims => false;

    /// <summary>Growth is the bill's stored GB day by day.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        foreach (var pool in input.Pools.Where(p => p.PricingUnit?.Contains("GB-Mo", StringComparison.OrdinalIgnoreCase) == true
                                                    && !string.Equals(p.ResourceType, "Volume", StringComparison.OrdinalIgnoreCase) && p.Days.Count >= 7))
        {
            // A GB-month charged day by day: the day's quantity × the days of its month is the GB stored that day.
            var stored = pool.Days.Select(d => (d.Day, Gb: Math.Round(d.Quantity * DateTime.DaysInMonth(d.Day.Year, d.Day.Month), 2))).ToList();
            var first = stored[0];
            var last = stored[^1];
            var shrank = stored.Zip(stored.Skip(1)).Any(p => p.Second.Gb < p.First.Gb);
            if (shrank || first.Gb <= 0m || (last.Gb - first.Gb) / first.Gb * 100m < s.StorageGrowthPercent)
            {
                continue;
            }

            var cold = input.Catalog.StoragePrices
                .Where(p => string.Equals(p.Provider, pool.Provider, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Tier, s.ColdTier, StringComparison.OrdinalIgnoreCase) && p.Currency == pool.Currency)
                .OrderBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault();
            if (cold is null)
            {
                continue;
            }

            var perDay = (last.Gb - first.Gb) / (last.Day.DayNumber - first.Day.DayNumber);
            var older = Math.Max(0m, last.Gb - (perDay * s.ColdAfterDays));
            var price = pool.UnitPrice;
            var saving = older * (price - cold.PerGbMonth);
            if (saving <= 0m)
            {
                continue;
            }

            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team,
                [
                    new Evidence("stored_gb", $"{N(first.Gb)} → {N(last.Gb)} GB, never less than the day before (+{N(Math.Round(perDay, 2))} GB a day)", first.Day, last.Day),
                    new Evidence("price_per_gb_month", $"{N(price)} {pool.Currency} now; {cold.Key} ({cold.Tier}) {N(cold.PerGbMonth)}", input.From, input.To),
                ],
                Money(saving), Money(MonthlyRate(pool, input)), pool.Currency,
                $"({N(last.Gb)} GB − {N(Math.Round(perDay, 2))} GB/day × {s.ColdAfterDays} days) = {N(Math.Round(older, 2))} GB older than {s.ColdAfterDays} days × ({N(price)} − {N(cold.PerGbMonth)}) {pool.Currency}/GB-month = {M(saving, pool.Currency)}",
                "low", "low",
                $"add a lifecycle rule to {pool.Name ?? pool.ResourceId}: keep the last checkpoints and the best of each run, move objects older than {s.ColdAfterDays} days to {cold.Tier} ({cold.Key}){(cold.Note is null ? "" : "; " + cold.Note)}");
        }
    }
}
