namespace ModelMeter.Store;

/// <summary>
/// Small named documents that a store shared by many processes keeps for them, so that every <c>serve</c> behind a load
/// balancer reads the same ones: on a ClickHouse cluster, the API keys and their secret. The embedded DuckDB store does
/// not implement it: one process writes a DuckDB file, so what must change while a server holds it (the keys) lives in
/// files beside it.
/// </summary>
public interface IStoreDocuments
{
    /// <summary>The document's text and a version that grows with every change (null and 0 when there is none).</summary>
    (string? Text, ulong Version) ReadDocument(string name);

    /// <summary>
    /// Replaces the document with what <paramref name="change"/> makes of its current text (null: none yet), as one step
    /// for every process using the store; a change that returns the text unchanged writes nothing.
    /// </summary>
    /// <returns>The document's text after the change.</returns>
    string UpdateDocument(string name, Func<string?, string> change);
}
