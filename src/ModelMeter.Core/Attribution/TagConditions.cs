using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Attribution;

/// <summary>
/// The tag conditions of <c>--where</c> or <c>--scope</c> (<c>tag:Team=Search</c>) read through a tag policy: keys
/// canonical, values normalised, a missing tag compared as the untagged label. Conditions on FOCUS columns are not
/// tags and are left out (the store applies them). Every command that filters by tag matches through this class, so
/// a budget check, a report, compliance and allocation select the same cost.
/// </summary>
public sealed class TagConditions
{
    private readonly List<(string Key, FilterOperator Operator, HashSet<string> Values)> _conditions;
    private readonly string _untagged;

    public TagConditions(TagPolicy policy, IEnumerable<Filter> filters)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(filters);
        _untagged = policy.UntaggedLabel;
        _conditions = filters
            .Where(f => f.Dimension is TagDimension)
            .Select(f =>
            {
                var key = policy.CanonicalKey(((TagDimension)f.Dimension).Key);
                var values = f.Values
                    .Select(v => IsUntagged(v, policy) ? policy.UntaggedLabel : policy.NormalizeValue(key, v) ?? policy.UntaggedLabel)
                    .ToHashSet(StringComparer.Ordinal);
                return (key, f.Operator, values);
            })
            .ToList();
    }

    /// <summary>The canonical keys the conditions read.</summary>
    public IEnumerable<string> Keys => _conditions.Select(c => c.Key);

    /// <summary>Whether every condition holds for a resource whose resolved value of a key is <paramref name="valueOf"/> (null: untagged).</summary>
    public bool Matches(Func<string, string?> valueOf)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        foreach (var (key, op, values) in _conditions)
        {
            var contained = values.Contains(valueOf(key) ?? _untagged);
            var holds = op switch
            {
                FilterOperator.Equal or FilterOperator.In => contained,
                FilterOperator.NotEqual or FilterOperator.NotIn => !contained,
                _ => throw new ArgumentOutOfRangeException(nameof(valueOf), op, "unknown operator"),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every condition holds for these resolved tags.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> resolvedTags)
    {
        ArgumentNullException.ThrowIfNull(resolvedTags);
        return Matches(key => resolvedTags.GetValueOrDefault(key));
    }

    /// <summary><c>(untagged)</c> selects untagged cost whatever the configured label is called, and so does the label.</summary>
    private static bool IsUntagged(string value, TagPolicy policy) =>
        string.Equals(value.Trim(), policy.UntaggedLabel, StringComparison.Ordinal) || string.Equals(value.Trim(), MissingValue.Untagged, StringComparison.Ordinal);
}
