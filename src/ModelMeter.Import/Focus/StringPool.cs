using ModelMeter.Core.Text;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Hands out one string instance per distinct value of a column, so the millions of repeated service names,
/// regions and resource ids of a bill are allocated once each. Bounded: past <c>capacity</c> distinct values, or about
/// 2 MB of their text, it starts afresh rather than grow without end on a high-cardinality column (a unique
/// 200-character description on every row filled 65,536 entries with 26 MB that never matched again); and on a
/// column where it rarely finds a value, it stops looking for a while (<see cref="CacheWorth"/>).
/// </summary>
internal sealed class StringPool(int capacity = 65_536, long maxChars = 1_000_000)
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private long _chars;
    private CacheWorth _worth;

    public string Get(ReadOnlySpan<char> value)
    {
        if (!_worth.InUse())
        {
            return new string(value);
        }

        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        var found = lookup.TryGetValue(value, out var existing);
        if (_worth.Record(found))
        {
            Clear();
        }

        if (found)
        {
            return existing!;
        }

        if (_strings.Count >= capacity || _chars + value.Length > maxChars)
        {
            Clear();
        }

        var created = new string(value);
        if (_worth.InUseNow)
        {
            _chars += value.Length;
            _strings.Add(created, created);
        }

        return created;
    }

    private void Clear()
    {
        _strings.Clear();
        _chars = 0;
    }
}
