using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Distinct tag sets, stored once in <c>tag_sets</c> and referred to from each line item by <c>tag_set_id</c>.
/// A month of hourly billing repeats each resource's tags hundreds of times, so a report by any tag key aggregates
/// the line items by id first (an integer group-by over millions of rows) and reads the few thousand tag sets after.
/// The empty tag set has id 0.
/// </summary>
internal sealed class TagSets
{
    public const string Table = "tag_sets";

    private const int IdentityCacheLimit = 200_000;

    private readonly Dictionary<string, long> _byContent = new(StringComparer.Ordinal);
    private readonly Dictionary<object, long> _bySource = new(ReferenceEqualityComparer.Instance);
    private readonly List<(long Id, List<string> Keys, List<string?> Values)> _added = [];
    private long _next;

    private TagSets()
    {
    }

    /// <summary>Loads the known tag sets (within the import's transaction).</summary>
    public static TagSets Load(DuckDbCostStore store)
    {
        var sets = new TagSets();
        using var command = store.Command($"SELECT tag_set_id, tag_keys, tag_values FROM {Table}");
        using var reader = command.ExecuteReader();
        long max = 0;
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var keys = reader.GetFieldValue<List<string>>(1);
            var values = reader.GetFieldValue<List<string?>>(2);
            sets._byContent[ContentKey(keys, values)] = id;
            max = Math.Max(max, id);
        }

        sets._next = max + 1;
        return sets;
    }

    public long IdOf(KeyValueList tags)
    {
        if (tags.Count == 0)
        {
            return 0;
        }

        if (tags.Source is { } source && _bySource.TryGetValue(source, out var known))
        {
            return known;
        }

        var content = ContentKey(tags.Keys, tags.Values);
        if (!_byContent.TryGetValue(content, out var id))
        {
            id = _next++;
            _byContent[content] = id;
            _added.Add((id, [.. tags.Keys], [.. tags.Values]));
        }

        if (tags.Source is not null)
        {
            if (_bySource.Count >= IdentityCacheLimit)
            {
                _bySource.Clear();
            }

            _bySource[tags.Source] = id;
        }

        return id;
    }

    /// <summary>Writes the tag sets first seen in this import.</summary>
    public void SaveNew(DuckDBConnection connection)
    {
        if (_added.Count == 0)
        {
            return;
        }

        using var appender = connection.CreateAppender(Table);
        foreach (var (id, keys, values) in _added)
        {
            appender.CreateRow().AppendValue(id).AppendValue(keys).AppendValue(values).EndRow();
        }

        _added.Clear();
    }

    private static string ContentKey(List<string> keys, List<string?> values)
    {
        var parts = new string?[keys.Count * 2];
        for (var i = 0; i < keys.Count; i++)
        {
            parts[2 * i] = keys[i];
            parts[(2 * i) + 1] = values[i] is null ? "\u0000" : values[i];
        }

        return string.Join('\u001f', parts);
    }
}
