namespace ModelMeter.Application.Stores;

/// <summary>The kinds of store ModelMeter runs on (<c>store.kind</c> in modelmeter.yaml).</summary>
public enum StoreKind
{
    /// <summary>The embedded default: one DuckDB file, no server.</summary>
    DuckDb,

    /// <summary>A ClickHouse cluster: data spread over shards, many writers.</summary>
    ClickHouse,
}

/// <summary>
/// Where a store is: for DuckDB, the absolute path of its file; for ClickHouse, its store URL
/// (<c>clickhouse://HOST:8123/DATABASE?cluster=NAME...</c>, never with a password).
/// </summary>
/// <param name="Kind">The kind of store.</param>
/// <param name="Target">The file or the store URL: what messages, <c>--store</c> and results name the store by.</param>
/// <param name="Folder">The local folder beside the store (the DuckDB file's) where files that go with it are written (the demo's), or null for a server store.</param>
public sealed record StoreLocation(StoreKind Kind, string Target, string? Folder = null)
{
    /// <summary>How messages name the store.</summary>
    public override string ToString() => Target;
}

/// <summary>What a use case needs of the store it opens.</summary>
public enum StoreAccess
{
    /// <summary>Reads only; the store must exist (a missing store is an error naming it, never a silent zero).</summary>
    Read,

    /// <summary>Reads and writes; the store is created when missing.</summary>
    Write,
}
