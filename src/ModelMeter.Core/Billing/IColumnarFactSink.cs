namespace ModelMeter.Core.Billing;

/// <summary>
/// A sink that can load a file's per-row values (the charge period and the amounts, <see cref="FocusColumn.VariesPerRow"/>)
/// itself, straight from the file with a DuckDB query, instead of row by row: the store's DuckDB reads a Parquet file's
/// columns into its tables at column speed. The reader validates the file first and composes the query; the sink only
/// runs it. A sink that cannot (another store, a dry run) simply does not implement this, and rows come one by one.
/// </summary>
public interface IColumnarFactSink : ILineItemSink
{
    /// <summary>Appends every row of <paramref name="facts"/> (no row of it has been given to <see cref="ILineItemSink.Append"/>).</summary>
    /// <returns>The rows appended, which equals <see cref="ColumnarFacts.Rows"/> (otherwise it throws).</returns>
    long AppendFacts(ColumnarFacts facts);
}

/// <summary>
/// A file's rows as a DuckDB query and the descriptions they refer to.
/// </summary>
/// <param name="Path">The file, bound to the query's <c>$path</c> parameter.</param>
/// <param name="Select">
/// A DuckDB SELECT over <c>read_parquet($path)</c> with one row per line item: a UBIGINT column
/// <see cref="HashColumn"/>, the hash of the row's description, then one column per per-row FOCUS column the file has,
/// named as in FOCUS and already typed as the store keeps it (DECIMAL(38,18) amounts, TIMESTAMP instants in UTC). A
/// per-row column the file lacks is not in it (null).
/// </param>
/// <param name="Descriptions">Each description's hash and its row, parsed and validated (its per-row values ignored).</param>
/// <param name="Rows">How many rows the query yields.</param>
public sealed record ColumnarFacts(string Path, string Select, IReadOnlyList<ColumnarDescription> Descriptions, long Rows)
{
    public const string HashColumn = "description_hash";

    /// <summary>The per-row FOCUS columns <see cref="Select"/> yields after the hash, in its order.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
}

/// <summary>One description of a <see cref="ColumnarFacts"/>: the hash its rows carry and the row that describes them.</summary>
public sealed record ColumnarDescription(ulong Hash, LineItemRow Row);
