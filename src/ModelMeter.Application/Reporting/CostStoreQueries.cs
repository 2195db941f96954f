using ModelMeter.Core.Attribution;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Reporting;

/// <summary>
/// The cost explorer's question answered with tags read through a tag policy: the one way <c>report</c>, the budget
/// check's spend to date and the demo read costs by tag, so they always agree with each other and with <c>tags</c>,
/// <c>allocate</c> and the hierarchy. Without a configuration the policy is <see cref="TagPolicy.Default"/>.
/// </summary>
public static class CostStoreQueries
{
    /// <summary>
    /// Costs grouped and filtered as <paramref name="query"/> asks, tag dimensions and tag conditions resolved by
    /// <paramref name="policy"/> over the store's tag sets (grouped by account and resource only when the policy
    /// inherits tags from them). A query without tags is one store query. The workload category (<c>--by category</c>)
    /// is classified from the fields its rules read, as <see cref="WorkloadReport"/> describes.
    /// </summary>
    public static IReadOnlyList<CostRow> QueryCosts(this ICostStore store, CostQuery query, TagPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(policy);
        if (WorkloadReport.Involves(query))
        {
            // Grouped by the fields the category rules read, then classified in C# (a config change needs no re-import).
            return WorkloadReport.Collapse(query, store.QueryCosts(WorkloadReport.Expand(query, policy.Categories), policy), policy);
        }

        var byTag = query.By.Any(d => d is TagDimension) || query.Where.Any(f => f.Dimension is TagDimension);
        if (!byTag)
        {
            return store.QueryCosts(query);
        }

        var tagged = store.QueryTaggedCosts(PolicyTagReport.ColumnPart(query), policy.InheritsFromAccounts, policy.InheritsFromResources);
        return PolicyTagReport.Resolve(query, tagged, policy);
    }
}
