namespace ModelMeter.Application.Stores;

/// <summary>The kinds of store ModelMeter runs on (<c>store.kind</c> in modelmeter.yaml).</summary>
public enum StoreKind
{
    /// <summary>The embedded default: one DuckDB file, no server.</summary>
    DuckDb,
}

/// <summary>Where a store is: for DuckDB, the absolute path of its file.</summary>
public sealed record StoreLocation(StoreKind Kind, string Target)
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
