using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Untagged spend: the largest resources without the owner key after the tag policy, each with the team the account
/// suggests (the team with most of the account's tagged cost). It saves nothing by itself (saving 0): it makes the
/// cost allocatable, so it is listed by its monthly cost. A resource an earlier rule claimed (an unattached volume to
/// delete) is not asked to be tagged.
/// </summary>
public sealed class UntaggedRule : IRecommendationRule
{
    public const string RuleName = "untagged";

    public string Name => RuleName;

    public bool Claims => false;

    /// <summary>Tags after the tag policy.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        var untagged = input.Pools.Where(p => p.Cost > 0m && !p.Tags.ContainsKey(s.OwnerKey) && !claimed.Contains(p.ResourceId)).OrderByDescending(p => p.Cost).ThenBy(p => p.ResourceId, StringComparer.Ordinal).Take(s.UntaggedTop);
        foreach (var pool in untagged)
        {
            var suggested = input.Pools.Where(p => p.Account == pool.Account && p.Tags.ContainsKey(s.OwnerKey))
                .GroupBy(p => p.Tags[s.OwnerKey], StringComparer.Ordinal)
                .Select(g => (Owner: g.Key, Cost: g.Sum(p => p.Cost)))
                .OrderByDescending(g => g.Cost).ThenBy(g => g.Owner, StringComparer.Ordinal).ToList();
            var monthly = MonthlyRate(pool, input);
            var account = pool.AccountName is { Length: > 0 } name ? $"{pool.Account} ({name})" : pool.Account ?? "(none)";
            var what = string.IsNullOrEmpty(pool.Name) ? pool.ResourceId : pool.Name;
            var volume = string.Equals(pool.ResourceType, "Volume", StringComparison.OrdinalIgnoreCase) ? "; a volume nobody claims is often unattached: snapshot and delete it if so" : "";
            string action;
            string? team = null;
            if (suggested.Count > 0)
            {
                team = suggested[0].Owner;
                var share = suggested[0].Cost / suggested.Sum(g => g.Cost) * 100m;
                action = $"tag {what} with {s.OwnerKey}={team} (suggested: {team} has {P(share)}% of account {account}'s tagged cost), or map it in tags.resources{volume}";
            }
            else
            {
                action = $"find the owner of {what}: account {account} has no resource tagged {s.OwnerKey}; tag it, map the account in tags.accounts, or stop it{volume}";
            }

            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, team,
                [new Evidence("tags", $"no {s.OwnerKey} tag; {M(pool.Cost, pool.Currency)} billed in the window", input.From, input.To)],
                0m, Money(monthly), pool.Currency,
                $"saves nothing by itself: {M(monthly, pool.Currency)} a month ({M(pool.Cost, pool.Currency)} in the window) becomes allocatable",
                "low", "low", action);
        }
    }
}
