using ModelMeter.Core.Allocation;

namespace ModelMeter.Core.Attribution;

/// <summary>
/// A billing aggregate as the store's SQL returns it, before the tag policy: grouped by day, currency, service,
/// resource, account, the provider's allocation columns and the raw tag map, with the cost summed.
/// </summary>
/// <param name="Period">UTC day of <c>ChargePeriodStart</c>.</param>
/// <param name="Currency">FOCUS <c>BillingCurrency</c>.</param>
/// <param name="Amount">Summed <c>EffectiveCost</c> (or the cost column asked for).</param>
/// <param name="Tags">FOCUS <c>Tags</c>, raw.</param>
/// <param name="AllocatedMethodId">FOCUS 1.3 <c>AllocatedMethodId</c>; non-empty when the provider split the row.</param>
/// <param name="AllocatedResourceId">FOCUS 1.3 <c>AllocatedResourceId</c>.</param>
/// <param name="AllocatedTags">FOCUS 1.3 <c>AllocatedTags</c>, raw.</param>
/// <param name="Workload">The other columns the workload category rules read, when the query asked for them (null otherwise).</param>
public sealed record BilledCostRow(
    DateOnly Period,
    string Currency,
    decimal Amount,
    string? ServiceName,
    string? ResourceId,
    string? SubAccountId,
    IReadOnlyDictionary<string, string?> Tags,
    string? AllocatedMethodId = null,
    string? AllocatedResourceId = null,
    IReadOnlyDictionary<string, string?>? AllocatedTags = null,
    BilledWorkloadFields? Workload = null)
{
    /// <summary>True when the provider already split this row.</summary>
    public bool IsProviderAllocated => !string.IsNullOrWhiteSpace(AllocatedMethodId);

    /// <summary>
    /// The tags the row is attributed by: its own, overlaid by the provider's allocated tags when the provider split it
    /// (the allocated workload's tags are the more specific ones).
    /// </summary>
    public IReadOnlyDictionary<string, string?> EffectiveTags()
    {
        if (!IsProviderAllocated || AllocatedTags is null || AllocatedTags.Count == 0)
        {
            return Tags;
        }

        var merged = new Dictionary<string, string?>(Tags, StringComparer.Ordinal);
        foreach (var (key, value) in AllocatedTags)
        {
            // A raw key can be spelled differently in the two maps; the policy resolves spellings, the allocated spelling wins here.
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>The resource the row is attributed to: the allocated resource for provider splits, else its own.</summary>
    public string? EffectiveResourceId => IsProviderAllocated && !string.IsNullOrWhiteSpace(AllocatedResourceId) ? AllocatedResourceId : ResourceId;
}

/// <summary>
/// The columns of <see cref="Reporting.WorkloadCategories.Columns"/> a billed group carries besides its
/// <c>ServiceName</c>, so the allocated view and the hierarchy classify by the same rules as <c>report --by category</c>.
/// </summary>
public sealed record BilledWorkloadFields(
    string? ProviderName,
    string? ServiceCategory,
    string? ResourceType,
    string? SkuId,
    string? UsageType,
    string? ChargeDescription);

/// <summary>From billing aggregates to the rows allocation and compliance work on, through the tag policy.</summary>
public static class CostAttribution
{
    /// <summary>
    /// Resolves each row's tags (aliases, normalisation, inheritance) into its dimensions. Provider-split rows are
    /// attributed by their allocated tags and allocated resource.
    /// </summary>
    public static IReadOnlyList<CostPoolRow> Attribute(TagPolicy policy, IEnumerable<BilledCostRow> rows)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Select(r => new CostPoolRow(
                r.Period,
                r.Currency,
                r.Amount,
                r.ServiceName,
                r.ResourceId,
                r.SubAccountId,
                r.IsProviderAllocated ? r.AllocatedMethodId!.Trim() : null,
                policy.Resolve(r.EffectiveTags(), r.SubAccountId, r.EffectiveResourceId).AsDimensions()))
            .ToList();
    }

    /// <summary>The rows as <see cref="TagCompliance"/> input, one per row (the compliance groups untagged cost by resource itself).</summary>
    public static IEnumerable<TaggableCost> ForCompliance(IEnumerable<BilledCostRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Select(r => new TaggableCost(r.EffectiveResourceId, r.SubAccountId, r.EffectiveTags(), r.Amount, r.Currency));
    }
}
