using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Ids that any writer computes alike from content, so concurrent importers need no shared counter for them: the first
/// 8 bytes of a SHA-256 over an unambiguous encoding (each part length-prefixed, NULL distinct from every text).
/// Two different contents sharing an id would need a 64-bit collision; a tag set's id is still checked against what is
/// stored under it before an import commits (<see cref="TagSetRegistry"/>).
/// </summary>
internal static class ContentIds
{
    /// <summary>The id of a raw tag set; 0 is the empty set.</summary>
    public static ulong TagSet(IReadOnlyList<string> keys, IReadOnlyList<string?> values)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var parts = new List<string?>(keys.Count * 2);
        for (var i = 0; i < keys.Count; i++)
        {
            parts.Add(keys[i]);
            parts.Add(i < values.Count ? values[i] : null);
        }

        return NonZero(Hash("tags", parts));
    }

    /// <summary>What a re-import replaces: a provider's billing account's billing period.</summary>
    public static ulong Slice(string? provider, string? billingAccount, DateTime billingPeriodStart) =>
        Hash("slice", [provider, billingAccount, billingPeriodStart.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>A slice as one load wrote it: the value on each of its rows that readers match.</summary>
    public static ulong SliceOfLoad(ulong loadId, ulong slice) =>
        Hash("load-slice", [loadId.ToString(System.Globalization.CultureInfo.InvariantCulture), slice.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>A random id for one attempt at an import.</summary>
    public static ulong NewLoad() => NonZero(BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)));

    private static ulong NonZero(ulong id) => id == 0 ? 1 : id;

    private static ulong Hash(string domain, IEnumerable<string?> parts)
    {
        var text = new StringBuilder(domain);
        foreach (var part in parts)
        {
            // "-1:" for NULL, "N:text" otherwise: no two part lists encode alike.
            text.Append('|').Append(part is null ? -1 : part.Length).Append(':').Append(part);
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
