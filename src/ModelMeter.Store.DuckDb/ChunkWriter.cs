using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Bulk-writes line items through <see cref="DataChunkAppender"/>, a data chunk (2,048 rows) at a time: each row's
/// facts (charge period, amounts) into <see cref="LineItemsTable.FactsTable"/>, and its description into
/// <see cref="LineItemsTable.DescriptorsTable"/> and <see cref="LineItemsTable.ContextsTable"/> only when that
/// combination is new (<see cref="Descriptors"/>). It
/// appends within the connection's open transaction, so a rollback discards everything it wrote.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    private static readonly ColumnPlan Facts = new(LineItemsTable.FactColumns);

    private readonly DataChunkAppender _chunks;
    private readonly Descriptors _descriptors;
    private readonly DuckDbCostStore _store;
    private long _loaded;

    public ChunkWriter(DuckDbCostStore store, TagSets tagSets, long importId)
    {
        _store = store;
        ImportId = importId;
        _descriptors = Descriptors.Start(store, tagSets, importId);
        _chunks = new DataChunkAppender(store.Connection, LineItemsTable.FactsTable, Facts.Lists, "line items");
    }

    public long ImportId { get; }

    /// <summary>The rows written, one by one and by <see cref="AppendFacts"/>.</summary>
    public long Rows => _chunks.Rows + _loaded;

    /// <summary>The distinct descriptions written so far.</summary>
    public long DescriptorsAdded => _descriptors.Added;

    public void Append(LineItemRow row)
    {
        var descriptor = _descriptors.IdOf(row);
        Facts.Fill(_chunks, row, ImportId, descriptor, tagSetId: 0, contextId: 0);
        _chunks.EndRow();
    }

    /// <summary>
    /// Inserts a file's rows with one <c>INSERT ... SELECT</c> from it: each description becomes (or is found as) a
    /// descriptor as a row's would, then every row of the query goes in under its description's descriptor, found by hash.
    /// </summary>
    public long AppendFacts(ColumnarFacts facts)
    {
        const string Map = "mm_import_descriptions";
        var known = new HashSet<string>(LineItemsTable.FactColumns.Select(c => c.Name), StringComparer.Ordinal);
        if (facts.Columns.FirstOrDefault(c => !known.Contains(c)) is { } unknown)
        {
            throw new ArgumentException($"{unknown} is not a per-row column of the store.", nameof(facts));
        }

        // The map is a table of the import's transaction: a failed import's rollback drops it with everything else.
        _store.Execute($"CREATE OR REPLACE TEMP TABLE {Map} (hash UBIGINT PRIMARY KEY, descriptor_id BIGINT NOT NULL)");
        using (var appender = _store.Connection.CreateAppender(Map))
        {
            foreach (var description in facts.Descriptions)
            {
                var row = appender.CreateRow();
                row.AppendValue(description.Hash).AppendValue(_descriptors.IdOf(description.Row)).EndRow();
            }
        }

        // In file order DuckDB inserts on one thread, compressing each row group as it comes; in any order, both threads
        // do (the 1M rows of a facts table copied by hand: 0.64-0.67 s -> 0.32-0.35 s). No query of the store reads rows
        // in the order they were written: every report groups or sorts. If this fails, the session restores the setting.
        var columns = string.Join(", ", facts.Columns.Select(c => $"q.{c}"));
        _store.Execute("SET preserve_insertion_order = false");
        var inserted = _store.Execute(
            $"""
            INSERT INTO {LineItemsTable.FactsTable} (import_id, {LineItemsTable.DescriptorIdColumn}, {string.Join(", ", facts.Columns)})
            SELECT $id, m.descriptor_id, {columns} FROM ({facts.Select}) AS q JOIN {Map} AS m ON m.hash = q.{ColumnarFacts.HashColumn}
            """,
            ("id", ImportId), ("path", facts.Path));
        _store.Execute("RESET preserve_insertion_order");
        if (inserted != facts.Rows)
        {
            throw new InvalidOperationException(
                $"{facts.Path}: {inserted} rows were loaded where {facts.Rows} were read and checked; the file changed while it was being imported. Nothing was written; import it again.");
        }

        _store.Execute($"DROP TABLE {Map}");
        _loaded += inserted;
        return inserted;
    }

    /// <summary>Writes the last partial chunks and closes the appenders, surfacing any constraint error.</summary>
    public void Close()
    {
        _chunks.Close();
        _descriptors.Close();
    }

    public void Dispose()
    {
        try
        {
            _chunks.Dispose();
        }
        finally
        {
            _descriptors.Dispose();
        }
    }
}

/// <summary>How the columns of one of the line-item tables take their values from a <see cref="LineItemRow"/>.</summary>
internal sealed class ColumnPlan
{
    public ColumnPlan(IReadOnlyList<StoredColumn> columns)
    {
        Columns = columns;
        Kinds = columns.Select(c => c.Kind).ToArray();
        Slots = columns.Select(c => c.Slot).ToArray();
        Lists = columns.Select(c => c.Kind is StoredKind.ListKeys or StoredKind.ListValues or StoredKind.CustomKeys or StoredKind.CustomValues).ToArray();
    }

    public IReadOnlyList<StoredColumn> Columns { get; }

    // Flat arrays: the per-value loop runs for every column of every row, tens of millions of times an import.
    public StoredKind[] Kinds { get; }

    public int[] Slots { get; }

    public bool[] Lists { get; }

    /// <summary>Sets every column of the appender's current row (the caller ends the row).</summary>
    public void Fill(DataChunkAppender chunks, LineItemRow row, long importId, long descriptorId, long tagSetId, long contextId)
    {
        var kinds = Kinds;
        var slots = Slots;
        for (var c = 0; c < kinds.Length; c++)
        {
            var slot = slots[c];
            switch (kinds[c])
            {
                case StoredKind.ImportId:
                    chunks.SetLong(c, importId);
                    break;
                case StoredKind.DescriptorId:
                    chunks.SetLong(c, descriptorId);
                    break;
                case StoredKind.ContextId:
                    chunks.SetLong(c, contextId);
                    break;
                case StoredKind.Text:
                    chunks.SetString(c, row.Text[slot]);
                    break;
                case StoredKind.Hierarchy:
                    chunks.SetString(c, row.Hierarchy[slot]);
                    break;
                case StoredKind.Money:
                    if (row.Decimals[slot] is { } amount)
                    {
                        chunks.SetDecimal18(c, amount);
                    }
                    else
                    {
                        chunks.SetNull(c);
                    }

                    break;
                case StoredKind.Timestamp:
                    if (row.Timestamps[slot] is { } instant)
                    {
                        chunks.SetTimestamp(c, instant);
                    }
                    else
                    {
                        chunks.SetNull(c);
                    }

                    break;
                case StoredKind.ListKeys:
                    chunks.SetList(c, row.KeyValues[slot].Keys!);
                    break;
                case StoredKind.ListValues:
                    chunks.SetList(c, row.KeyValues[slot].Values);
                    break;
                case StoredKind.TagSetId:
                    chunks.SetLong(c, tagSetId);
                    break;
                case StoredKind.CustomKeys:
                    chunks.SetList(c, row.Custom.Keys!);
                    break;
                case StoredKind.CustomValues:
                    chunks.SetList(c, row.Custom.Values);
                    break;
            }
        }
    }
}
