namespace ModelMeter.Core.Billing;

/// <summary>
/// The tag keys of the cost hierarchy, <c>cost_center &gt; team &gt; product &gt; model &gt; environment &gt; experiment</c>.
/// The store keeps each as its own column (<c>tag_team</c>, ...) so reports never parse tags at query time.
/// </summary>
public static class CostHierarchy
{
    public static readonly IReadOnlyList<string> Keys = ["cost_center", "team", "product", "model", "environment", "experiment"];

    /// <summary>The store column holding a hierarchy key's value.</summary>
    public static string ColumnFor(string key) => "tag_" + key;

    /// <summary>
    /// The default normalisation of a tag key before matching it to the hierarchy: lower case, a provider prefix such as
    /// <c>user:</c> or <c>aws:</c> dropped, separators made underscores. <c>user:Cost-Center</c> becomes <c>cost_center</c>.
    /// A configured tag policy can add aliases on top (<c>env</c> → <c>environment</c>).
    /// </summary>
    public static string NormalizeKey(ReadOnlySpan<char> key)
    {
        var colon = key.LastIndexOf(':');
        if (colon >= 0)
        {
            key = key[(colon + 1)..];
        }

        key = key.Trim();
        Span<char> buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            buffer[i] = c is '-' or ' ' or '.' or '/' ? '_' : char.ToLowerInvariant(c);
        }

        return new string(buffer);
    }

    /// <summary>Index of a hierarchy key in <see cref="Keys"/> for a raw tag key, or -1. Common aliases are understood.</summary>
    public static int IndexOf(ReadOnlySpan<char> rawKey)
    {
        var key = NormalizeKey(rawKey);
        var index = IndexOfNormalized(key);
        if (index >= 0)
        {
            return index;
        }

        return key switch
        {
            "costcenter" or "cost_centre" or "costcentre" => 0,
            "env" or "stage" => 4,
            "model_name" => 3,
            "experiment_name" => 5,
            _ => -1,
        };
    }

    private static int IndexOfNormalized(string key)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            if (string.Equals(Keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
