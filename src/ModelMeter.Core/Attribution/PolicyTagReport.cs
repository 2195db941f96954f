using System.Runtime.CompilerServices;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Attribution;

/// <summary>
/// The cost explorer by tag under a tag policy (the configured one, or <see cref="TagPolicy.Default"/>): the store
/// groups costs by raw tag set, and by account and resource when the policy inherits from them; here each group's tags
/// are resolved by the policy (aliases, value normalisation, inheritance) and the groups are summed by the resolved
/// values. <c>report --by tag:team</c> and <c>check --scope tag:team=...</c> then agree with <c>tags</c>,
/// <c>allocate</c> and <c>report --by hierarchy</c>.
/// </summary>
public static class PolicyTagReport
{
    /// <summary>The part of the query the store answers: the period, the column dimensions and their filters.</summary>
    public static CostQuery ColumnPart(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query with
        {
            By = query.By.Where(d => d is not TagDimension).ToList(),
            Where = query.Where.Where(f => f.Dimension is not TagDimension).ToList(),
        };
    }

    /// <summary>Resolves each group's tags and sums the groups into the query's dimensions, tag filters applied.</summary>
    public static IReadOnlyList<CostRow> Resolve(CostQuery query, IReadOnlyList<TaggedCostRow> rows, TagPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(policy);
        var keys = query.By.Select(d => d is TagDimension tag ? policy.CanonicalKey(tag.Key) : null).ToArray();
        var conditions = new TagConditions(policy, query.Where);

        var resolutions = new Dictionary<(IReadOnlyDictionary<string, string?>, string?, string?), TagResolution>(ResourceComparer.Instance);
        var sums = new Dictionary<string, (DateTime? Period, string[] Values, string Currency, decimal Cost)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var id = (row.Tags, row.SubAccountId, row.ResourceId);
            if (!resolutions.TryGetValue(id, out var resolution))
            {
                resolutions[id] = resolution = policy.Resolve(row.Tags, row.SubAccountId, row.ResourceId);
            }

            string ValueOf(string key) => resolution.Tags.TryGetValue(key, out var value) ? value : policy.UntaggedLabel;
            if (!conditions.Matches(resolution.Tags))
            {
                continue;
            }

            var values = new string[keys.Length];
            var column = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                values[i] = keys[i] is { } key ? ValueOf(key) : row.Values[column++];
            }

            var group = $"{row.Period:O}\u0001{row.Currency}\u0001{string.Join('\u0001', values)}";
            sums[group] = sums.TryGetValue(group, out var sum)
                ? sum with { Cost = sum.Cost + row.Cost }
                : (row.Period, values, row.Currency, row.Cost);
        }

        return sums.Values.Select(s => new CostRow(s.Period, s.Values, s.Currency, s.Cost)).ToList();
    }

    /// <summary>The store shares one tag map per tag set, so a resolution is found by reference, account and resource.</summary>
    private sealed class ResourceComparer : IEqualityComparer<(IReadOnlyDictionary<string, string?> Tags, string? Account, string? Resource)>
    {
        public static readonly ResourceComparer Instance = new();

        public bool Equals((IReadOnlyDictionary<string, string?> Tags, string? Account, string? Resource) x, (IReadOnlyDictionary<string, string?> Tags, string? Account, string? Resource) y) =>
            ReferenceEquals(x.Tags, y.Tags) && string.Equals(x.Account, y.Account, StringComparison.Ordinal) && string.Equals(x.Resource, y.Resource, StringComparison.Ordinal);

        public int GetHashCode((IReadOnlyDictionary<string, string?> Tags, string? Account, string? Resource) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Tags), obj.Account is null ? 0 : StringComparer.Ordinal.GetHashCode(obj.Account), obj.Resource is null ? 0 : StringComparer.Ordinal.GetHashCode(obj.Resource));
    }
}
