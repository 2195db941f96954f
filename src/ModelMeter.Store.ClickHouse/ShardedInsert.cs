namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Rows for one table, spread over the shards: a chunk of about a megabyte to each shard in turn, each shard's chunks
/// streamed into one long INSERT (<see cref="StreamingInsert"/>). No query depends on which shard holds a row (every
/// aggregate runs on all of them), so an even spread is all placement needs.
/// </summary>
internal sealed class ShardedInsert(ClickHouseCluster cluster, string table, string columns) : IDisposable
{
    private const int ChunkBytes = 1 << 20;

    private readonly string _insert = $"INSERT INTO {Sql.Identifier(cluster.Database)}.{Sql.Identifier(table)} ({columns}) FORMAT TabSeparated";
    private readonly StreamingInsert?[] _inserts = new StreamingInsert?[cluster.Shards.Count];
    private int _next;

    /// <summary>Where the caller writes the current row's fields (tab-separated, without the line end).</summary>
    public TsvBuffer Row { get; } = new(ChunkBytes + (64 * 1024));

    public void EndRow()
    {
        Row.Append('\n');
        if (Row.Length >= ChunkBytes)
        {
            Send();
        }
    }

    /// <summary>Sends what is buffered and waits until every shard has stored every row it was sent.</summary>
    public void Finish()
    {
        Send();
        foreach (var insert in _inserts)
        {
            insert?.Complete();
        }
    }

    public void Dispose()
    {
        foreach (var insert in _inserts)
        {
            insert?.Dispose();
        }

        Row.Dispose();
    }

    private void Send()
    {
        if (Row.Length == 0)
        {
            return;
        }

        var shard = _next++ % _inserts.Length;
        var insert = _inserts[shard] ??= new StreamingInsert(cluster.Shards[shard], _insert);
        insert.Write(Row);
        Row.Clear();
    }
}
