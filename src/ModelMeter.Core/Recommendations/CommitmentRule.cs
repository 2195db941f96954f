using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Commitments: on-demand GPU instances (not endpoints or notebooks, whose commitments are the ML service's own plans)
/// of one type, region and currency that run a steady baseline → a 1-year commitment for that baseline only. The
/// baseline is the <see cref="RecommendationSettings.CommitmentPercentile"/> percentile, over the window's days, of each
/// day's fewest instances running in every hour (a resource counts its smallest hourly quantity on a day billed all 24
/// hours, else 0; a day not billed is 0), in whole instances: a low percentile, not the mean, so the commitment is
/// used every hour. The rate is the catalogue's 1-year commitment price at the bill's ratio to the catalogue's
/// on-demand price. Saving = baseline × (price − commitment rate) × hours a month; the break-even utilisation is
/// commitment rate ÷ price (below it the commitment costs more than on-demand).
/// </summary>
public sealed class CommitmentRule : IRecommendationRule
{
    public const string RuleName = "commitment";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>The baseline is the bill's own hourly instance counts.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        var catalogue = input.Catalog.Instances.ToDictionary(i => i.Key, StringComparer.OrdinalIgnoreCase);
        var candidates = input.Pools.Where(p => p.IsHourly && p.IsOnDemand && !p.IsSpot && !p.IsEndpoint && !p.IsNotebook && !claimed.Contains(p.ResourceId)
                                               && p.SkuId?.Contains(":ml.", StringComparison.Ordinal) != true && p.InstanceType is { } type
                                               && catalogue.TryGetValue(type, out var entry) && entry.GpuCount > 0 && entry.Commitment1y is not null);
        foreach (var group in candidates.GroupBy(p => (Type: p.InstanceType!, p.Region, p.Currency)).OrderBy(g => g.Key.Type, StringComparer.Ordinal).ThenBy(g => g.Key.Region, StringComparer.Ordinal))
        {
            var pools = group.OrderBy(p => p.ResourceId, StringComparer.Ordinal).ToList();
            var floors = Enumerable.Range(0, input.WindowDays).Select(d => input.From.AddDays(d))
                .Select(day => pools.Sum(p => p.Days.FirstOrDefault(x => x.Day == day) is { ChargePeriods: >= 24 } billed ? billed.MinQuantity : 0m))
                .ToList();
            var baseline = Math.Floor(Percentile(floors, s.CommitmentPercentile));
            if (baseline < 1m)
            {
                continue;
            }

            var entry = catalogue[group.Key.Type];
            var quantity = pools.Sum(p => p.Quantity);
            var price = pools.Sum(p => p.Cost) / quantity;
            var rate = price * entry.Commitment1y!.PerHour / entry.OnDemandPerHour;
            var saving = baseline * (price - rate) * s.MonthlyHours;
            var breakEven = rate / price * 100m;
            var resources = pools.Select(p => p.ResourceId).ToList();
            var owners = pools.Select(p => p.Team).Distinct(StringComparer.Ordinal).ToList();
            yield return new Finding(
                Finding.StableId(RuleName, string.Join("\n", resources)), RuleName, resources, pools[0].Owner, owners.Count == 1 ? owners[0] : null,
                [
                    new Evidence("baseline_instances", $"p{N(s.CommitmentPercentile)} of the {floors.Count} days' fewest instances running all day = {N(baseline)} (mean instances {N(Math.Round(quantity / input.WindowHours, 2))})", input.From, input.To),
                    new Evidence("on_demand_hours", $"{N(quantity)} instance-hours of {group.Key.Type} at {N(price)} {group.Key.Currency}", input.From, input.To),
                    new Evidence("commitment_rate", $"catalogue 1-year {N(entry.Commitment1y.PerHour)} vs on-demand {N(entry.OnDemandPerHour)} {entry.Currency}/h ({entry.Commitment1y.Basis}; as of {entry.Provenance.AsOf:yyyy-MM-dd})", entry.Provenance.AsOf, entry.Provenance.AsOf),
                ],
                Money(saving), Money(quantity * price / input.WindowHours * s.MonthlyHours), group.Key.Currency,
                $"{N(baseline)} instances × ({N(price)} − {N(Math.Round(rate, 6))}) {group.Key.Currency}/h × {N(s.MonthlyHours)} h = {M(saving, group.Key.Currency)}; rate {N(Math.Round(rate, 6))} = {N(price)} × {N(entry.Commitment1y.PerHour)} ÷ {N(entry.OnDemandPerHour)}; break-even utilisation {P(breakEven)}%",
                "low", "medium",
                $"buy a 1-year commitment for {N(baseline)} {group.Key.Type} in {group.Key.Region ?? "its region"} (the stable baseline; it pays while they run more than {P(breakEven)}% of the hours), keep the rest on demand");
        }
    }
}
