using System.Text.Json;

namespace ModelMeter.Store.ClickHouse;

/// <summary>A stored record: its collection's key, the version that wrote it, and the record as JSON.</summary>
internal sealed record StoredRecord(string Key, ulong Version, long ImportId, string Body);

/// <summary>
/// The small state the store keeps beside the bill (alert deliveries, budget periods, estimates, usage batch receipts,
/// MLflow runs, business metric values, supersessions), versioned rows in one <c>records</c> table on the coordinator
/// shard. A change appends a row with a higher version; a reader takes each key's highest version. A row written by an
/// import (<c>import_id</c> &gt; 0) counts only once that import's commit marker landed, so it appears with the import, all
/// or nothing. Writers change records under a <see cref="ClusterLock"/>, which makes read-then-write steps atomic.
/// </summary>
/// <remarks>
/// The records are few and read whole by the store, which filters and orders them in C# exactly as the DuckDB store's
/// SQL does; nothing a report aggregates over millions of rows lives here. Their bodies are JSON the store wrote itself
/// (System.Text.Json round-trips decimals and instants exactly).
/// </remarks>
internal sealed class RecordTable(ClickHouseCluster cluster)
{
    // MLflow metrics may be NaN or infinite (a diverged loss): kept as they were logged.
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private string Db => Sql.Identifier(cluster.Database);

    /// <summary>Each key's current record in a collection (rows of uncommitted imports left out).</summary>
    public List<StoredRecord> Current(string collection, string? key = null)
    {
        var where = $"collection = {Sql.Literal(collection)}" + (key is null ? "" : $" AND key = {Sql.Literal(key)}");
        return cluster.Entry.Query(
                $"SELECT key, max(version) AS v, argMax(import_id, version) AS i, argMax(body, version) AS b FROM {Db}.records_all " +
                $"WHERE {where} AND (import_id = 0 OR {Visibility.Committed(cluster.Database)}) GROUP BY key")
            .Select(r => new StoredRecord(r.String("key"), r.UInt64("v"), r.Int64("i"), r.String("b")))
            .ToList();
    }

    public List<(string Key, T Value)> Current<T>(string collection) =>
        Current(collection).Select(r => (r.Key, JsonSerializer.Deserialize<T>(r.Body, Json)!)).ToList();

    public T? Find<T>(string collection, string key)
        where T : class =>
        Current(collection, key).Select(r => JsonSerializer.Deserialize<T>(r.Body, Json)).FirstOrDefault();

    /// <summary>Appends new versions of records (call under the collection's lock).</summary>
    public void Write<T>(string collection, IEnumerable<(string Key, T Value)> records, long importId = 0, ulong loadId = 0)
    {
        var rows = records.ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var version = cluster.Coordinator.Query($"SELECT max(version) AS v FROM {Db}.records").Single().UInt64("v");
        foreach (var batch in rows.Chunk(2_000))
        {
            cluster.Coordinator.Execute(
                $"INSERT INTO {Db}.records (collection, key, version, import_id, load_id, body) VALUES " +
                string.Join(", ", batch.Select(r => $"({Sql.Literal(collection)}, {Sql.Literal(r.Key)}, {Sql.Literal(++version)}, {Sql.Literal(importId)}, {Sql.Literal(loadId)}, {Sql.Literal(JsonSerializer.Serialize(r.Value, Json))})")));
        }
    }
}
