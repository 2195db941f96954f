namespace ModelMeter.Core.Attribution;

/// <summary>
/// A cost row as the store returns it for <c>modelmeter tags</c>: grouped by resource, account and raw tag set,
/// summed over the period asked for. Tags are raw (as billed); the policy resolves them.
/// </summary>
public sealed record TaggableCost(string? ResourceId, string? SubAccountId, IReadOnlyDictionary<string, string?> RawTags, decimal Cost, string Currency);

/// <summary>Coverage of one required key: over the cost for which it is required, how much carries it with an allowed value.</summary>
public sealed record KeyCompliance(string Key, decimal RequiredCost, decimal TaggedCost)
{
    /// <summary>Tagged share in [0, 1]; null when no cost requires the key.</summary>
    public decimal? Share => RequiredCost == 0m ? null : TaggedCost / RequiredCost;
}

/// <summary>A resource (or, without a resource id, an account's unnamed cost) missing required tags.</summary>
public sealed record UntaggedResource(string? ResourceId, string? SubAccountId, decimal Cost, IReadOnlyList<string> MissingKeys);

/// <summary>A value outside a key's allowed list, with the cost that carries it.</summary>
public sealed record DisallowedValue(string Key, string Value, decimal Cost, int Rows, IReadOnlyList<string> Allowed);

/// <summary>Tag compliance in one currency.</summary>
/// <param name="TotalCost">Sum of the positive costs: the base of every share.</param>
/// <param name="FullyTaggedCost">Positive cost whose every required key is present with an allowed value.</param>
/// <param name="Credits">Sum of negative costs (credits, refunds), left out of the shares: an untagged credit must not raise compliance.</param>
public sealed record TagComplianceReport(
    string Currency,
    int Rows,
    decimal TotalCost,
    decimal FullyTaggedCost,
    decimal Credits,
    IReadOnlyList<KeyCompliance> Keys,
    IReadOnlyList<UntaggedResource> LargestUntagged,
    IReadOnlyList<DisallowedValue> DisallowedValues,
    IReadOnlyList<string> Conflicts)
{
    /// <summary>Fully tagged share in [0, 1]; 1 when there is no positive cost (nothing to tag).</summary>
    public decimal FullyTaggedShare => TotalCost == 0m ? 1m : FullyTaggedCost / TotalCost;

    /// <summary>Fully tagged share in percent, for <c>--fail-under 95</c>.</summary>
    public decimal FullyTaggedPercent => FullyTaggedShare * 100m;
}

/// <summary>Computes tag compliance for <c>modelmeter tags</c>, per currency (shares of different currencies are never summed).</summary>
public static class TagCompliance
{
    /// <summary>
    /// For <c>modelmeter tags --fail-under 95</c>: true when every currency's fully tagged share is at least
    /// <paramref name="percent"/>. Currencies are judged apart, never averaged.
    /// </summary>
    public static bool MeetsThreshold(IEnumerable<TagComplianceReport> reports, decimal percent)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100m);
        return reports.All(r => r.FullyTaggedPercent >= percent);
    }

    public static IReadOnlyList<TagComplianceReport> Compute(TagPolicy policy, IEnumerable<TaggableCost> rows, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var resolved = rows.Select(r => (Row: r, Tags: policy.Resolve(r.RawTags, r.SubAccountId, r.ResourceId))).ToList();
        var reports = new List<TagComplianceReport>();
        foreach (var currency in resolved.GroupBy(r => r.Row.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var positive = currency.Where(r => r.Row.Cost > 0m).ToList();
            var keys = policy.Required.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(key =>
                {
                    var requiring = positive.Where(r => r.Tags.RequiredKeys.Contains(key, StringComparer.Ordinal)).ToList();
                    return new KeyCompliance(key, requiring.Sum(r => r.Row.Cost), requiring.Where(r => r.Tags.IsSatisfied(key)).Sum(r => r.Row.Cost));
                })
                .ToList();

            var untagged = positive
                .Where(r => !r.Tags.IsFullyTagged)
                .GroupBy(r => (r.Row.ResourceId, r.Row.SubAccountId))
                .Select(g => new UntaggedResource(
                    g.Key.ResourceId,
                    g.Key.SubAccountId,
                    g.Sum(r => r.Row.Cost),
                    g.SelectMany(r => r.Tags.RequiredKeys.Where(k => !r.Tags.IsSatisfied(k))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
                .OrderByDescending(u => u.Cost)
                .ThenBy(u => u.ResourceId ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(u => u.SubAccountId ?? string.Empty, StringComparer.Ordinal)
                .Take(top)
                .ToList();

            var allowedByKey = policy.Keys.Where(k => k.AllowedValues is not null).ToDictionary(k => k.Key, k => k.AllowedValues!, StringComparer.Ordinal);
            var disallowed = currency
                .SelectMany(r => r.Tags.Violations.Where(v => v.Kind == TagViolationKind.NotAllowed).Select(v => (v.Key, Value: v.Value!, r.Row.Cost)))
                .GroupBy(v => (v.Key, v.Value))
                .Select(g => new DisallowedValue(g.Key.Key, g.Key.Value, g.Sum(v => v.Cost), g.Count(), allowedByKey[g.Key.Key]))
                .OrderByDescending(d => d.Cost)
                .ThenBy(d => d.Key, StringComparer.Ordinal)
                .ThenBy(d => d.Value, StringComparer.Ordinal)
                .ToList();

            var conflicts = currency
                .SelectMany(r => r.Tags.Violations.Where(v => v.Kind == TagViolationKind.Conflict).Select(v => $"{r.Row.ResourceId ?? "(no resource id)"}: {v.Message}"))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();

            reports.Add(new TagComplianceReport(
                currency.Key,
                currency.Count(),
                positive.Sum(r => r.Row.Cost),
                positive.Where(r => r.Tags.IsFullyTagged).Sum(r => r.Row.Cost),
                currency.Where(r => r.Row.Cost < 0m).Sum(r => r.Row.Cost),
                keys,
                untagged,
                disallowed,
                conflicts));
        }

        return reports;
    }
}
