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

    private static readonly HashSet<string> KeySet = new(Keys, StringComparer.Ordinal);

    /// <summary>The store column holding a hierarchy key's value.</summary>
    public static string ColumnFor(string key) => "tag_" + key;

    /// <summary>
    /// The hierarchy's values of a raw tag set, in <see cref="Keys"/> order (null where absent), as the default tag
    /// policy normalises them: <c>{"user:Team": " Search "}</c> gives <c>team = search</c>.
    /// </summary>
    public static string?[] ValuesOf(IEnumerable<(string Key, string? Value)> rawTags)
    {
        ArgumentNullException.ThrowIfNull(rawTags);

        // The policy settles each key from that key's own pairs (its spellings), so only the hierarchy's pairs need
        // normalising: the others (a job id, a ticket number on every row) cost a cached key lookup, not a normalisation
        // (a tenth of the parsing thread on the wide bench file, issue 9).
        var policy = TagPolicy.Default;
        List<(string Key, string? Value)>? ofHierarchy = null;
        foreach (var tag in rawTags)
        {
            if (!string.IsNullOrWhiteSpace(tag.Key) && KeySet.Contains(policy.CanonicalKey(tag.Key)))
            {
                (ofHierarchy ??= []).Add(tag);
            }
        }

        var tags = policy.NormalizeTags(ofHierarchy ?? []);
        var values = new string?[Keys.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = tags.GetValueOrDefault(Keys[i]);
        }

        return values;
    }
}
