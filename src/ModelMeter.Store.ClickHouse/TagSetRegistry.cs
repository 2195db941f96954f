using ModelMeter.Core.Billing;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// The tag sets an import uses, stored once each in <c>tag_sets</c> under their content id (<see cref="ContentIds.TagSet"/>),
/// as the DuckDB store keeps them: a month of hourly billing repeats each resource's tags hundreds of times, so
/// reports aggregate by the integer id and read the few thousand sets after. Content ids let concurrent importers
/// add sets without a shared counter; an orphaned set (of an import that never committed) changes no figure.
/// </summary>
internal sealed class TagSetRegistry
{
    private const int IdentityCacheLimit = 200_000;

    private readonly Dictionary<object, ulong> _bySource = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ulong, (List<string> Keys, List<string?> Values)> _used = [];

    public ulong IdOf(KeyValueList tags)
    {
        if (tags.Count == 0)
        {
            return 0;
        }

        if (tags.Source is { } source && _bySource.TryGetValue(source, out var known))
        {
            return known;
        }

        var id = ContentIds.TagSet(tags.Keys, tags.Values);
        if (!_used.ContainsKey(id))
        {
            _used[id] = ([.. tags.Keys], [.. tags.Values]);
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

    /// <summary>Writes the sets not yet stored, after checking that every stored one under the same id has the same content.</summary>
    public void Save(ClickHouseCluster cluster)
    {
        var db = Sql.Identifier(cluster.Database);
        var stored = new HashSet<ulong>();
        foreach (var batch in _used.Keys.Chunk(10_000))
        {
            foreach (var row in Read(cluster, batch))
            {
                var (keys, values) = _used[row.Id];
                if (!row.Keys.SequenceEqual(keys, StringComparer.Ordinal) || !row.Values.SequenceEqual(values, StringComparer.Ordinal))
                {
                    throw new InvalidOperationException($"Two different tag sets have the content id {row.Id}; nothing was written. Report this: it is a 64-bit hash collision.");
                }

                stored.Add(row.Id);
            }
        }

        var missing = _used.Where(u => !stored.Contains(u.Key)).ToList();
        foreach (var group in missing.GroupBy(m => cluster.Shards[(int)(m.Key % (ulong)cluster.Shards.Count)]))
        {
            foreach (var batch in group.Chunk(5_000))
            {
                group.Key.Execute(
                    $"INSERT INTO {db}.tag_sets (tag_set_id, tag_keys, tag_values) VALUES " +
                    string.Join(", ", batch.Select(s => $"({Sql.Literal(s.Key)}, {Sql.Array(s.Value.Keys)}, {NullableArray(s.Value.Values)})")));
            }
        }
    }

    /// <summary>The stored tag sets of these ids (the empty set, id 0, is not stored).</summary>
    public static List<(ulong Id, List<string> Keys, List<string?> Values)> Read(ClickHouseCluster cluster, IEnumerable<ulong> ids)
    {
        var wanted = ids.Where(i => i != 0).Distinct().ToList();
        var sets = new List<(ulong, List<string>, List<string?>)>();
        foreach (var batch in wanted.Chunk(10_000))
        {
            sets.AddRange(cluster.Entry.Query(
                    $"SELECT tag_set_id, any(tag_keys) AS k, any(tag_values) AS v FROM {Sql.Identifier(cluster.Database)}.tag_sets_all " +
                    $"WHERE tag_set_id IN ({string.Join(", ", batch.Select(Sql.Literal))}) GROUP BY tag_set_id")
                .Select(r => (r.UInt64("tag_set_id"), r.Strings("k").Select(k => k!).ToList(), r.Strings("v"))));
        }

        return sets;
    }

    private static string NullableArray(List<string?> values) =>
        values.Count == 0 ? "CAST([] AS Array(Nullable(String)))" : "[" + string.Join(", ", values.Select(Sql.Literal)) + "]";
}
