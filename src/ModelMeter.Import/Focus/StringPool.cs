namespace ModelMeter.Import.Focus;

/// <summary>
/// Hands out one string instance per distinct value of a column, so the millions of repeated service names,
/// regions and resource ids of a bill are allocated once each. Bounded: past <c>capacity</c> distinct values it
/// starts afresh rather than grow without end on a high-cardinality column.
/// </summary>
internal sealed class StringPool(int capacity = 65_536)
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<char> value)
    {
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }

        if (_strings.Count >= capacity)
        {
            _strings.Clear();
        }

        var created = new string(value);
        _strings.Add(created, created);
        return created;
    }
}
