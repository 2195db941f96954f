using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Billing;

/// <summary>
/// The tag keys of the cost hierarchy, <c>cost_center &gt; team &gt; product &gt; model &gt; environment &gt; experiment</c>.
/// The store keeps each as its own column (<c>tag_team</c>, ...): a copy of what <see cref="TagPolicy.Default"/> reads
/// from the line item's tags, for SQL readers of the store file. ModelMeter's own reports read tags through the
/// configured policy instead, which can differ from the default (aliases such as <c>squad</c>, inheritance).
/// </summary>
public static class CostHierarchy
{
    public static readonly IReadOnlyList<string> Keys = TagPolicy.BuiltInKeys.Select(k => k.Key).ToList();

    /// <summary>The store column holding a hierarchy key's value.</summary>
    public static string ColumnFor(string key) => "tag_" + key;

    /// <summary>
    /// The hierarchy's values of a raw tag set, in <see cref="Keys"/> order (null where absent), as the default tag
    /// policy normalises them: <c>{"user:Team": " Search "}</c> gives <c>team = search</c>.
    /// </summary>
    public static string?[] ValuesOf(IEnumerable<(string Key, string? Value)> rawTags)
    {
        var tags = TagPolicy.Default.NormalizeTags(rawTags);
        var values = new string?[Keys.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = tags.GetValueOrDefault(Keys[i]);
        }

        return values;
    }
}
