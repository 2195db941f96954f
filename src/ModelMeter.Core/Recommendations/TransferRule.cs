using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Data transfer: cross-zone or cross-region transfer billed on most days of the window (a recurring sync) → co-locate
/// both sides in one zone, where the catalogue's same-zone transfer is priced (free on AWS). Saving = GB × (price now −
/// same-zone price), at the window's rate a month.
/// </summary>
public sealed class TransferRule : IRecommendationRule
{
    public const string RuleName = "cross-zone-transfer";

    public string Name => RuleName;

    public bool Claims => false;

    /// <summary>The bill's transfer SKUs and GB.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        foreach (var pool in input.Pools)
        {
            var path = s.CrossZoneSkus.Any(k => pool.SkuId?.Contains(k, StringComparison.OrdinalIgnoreCase) == true) ? "cross-zone"
                : s.CrossRegionSkus.Any(k => pool.SkuId?.Contains(k, StringComparison.OrdinalIgnoreCase) == true) ? "cross-region" : null;
            if (path is null || pool.Days.Count < s.RecurringShare * input.WindowDays || pool.Quantity <= 0m)
            {
                continue;
            }

            var sameZone = input.Catalog.TransferPrices.FirstOrDefault(t => string.Equals(t.Provider, pool.Provider, StringComparison.OrdinalIgnoreCase) && t.Path == "same-zone" && t.Currency == pool.Currency);
            var colocated = sameZone?.PerGb ?? 0m;
            var price = pool.UnitPrice;
            var saving = (pool.Cost - (pool.Quantity * colocated)) / input.WindowHours * s.MonthlyHours;
            if (saving <= 0m)
            {
                continue;
            }

            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team,
                [
                    new Evidence("transfer_gb", $"{N(pool.Quantity)} GB on {pool.Days.Count} of {input.WindowDays} days ({N(Math.Round(pool.Quantity / pool.Days.Count, 0))} GB a day), {path}", input.From, input.To),
                    new Evidence("price_per_gb", $"{N(price)} {pool.Currency} now; same zone {N(colocated)}{(sameZone is null ? "" : " (" + sameZone.Key + ")")}", input.From, input.To),
                ],
                Money(saving), Money(MonthlyRate(pool, input)), pool.Currency,
                $"({M(pool.Cost, pool.Currency)} − {N(pool.Quantity)} GB × {N(colocated)}) ÷ {N(input.WindowHours)} h × {N(s.MonthlyHours)} h = {M(saving, pool.Currency)}",
                "high", "medium", $"co-locate both sides of {pool.Name ?? pool.ResourceId} in one {(path == "cross-zone" ? "zone" : "region")} (or read from a replica there) so the recurring sync stays inside it");
        }
    }
}
