using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Bulk-writes line items through <see cref="DataChunkAppender"/>, a data chunk (2,048 rows) at a time: each row's
/// facts (charge period, amounts) into <see cref="LineItemsTable.FactsTable"/>, and its description into
/// <see cref="LineItemsTable.DescriptorsTable"/> only when that combination is new (<see cref="Descriptors"/>). It
/// appends within the connection's open transaction, so a rollback discards everything it wrote.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    private static readonly ColumnPlan Facts = new(LineItemsTable.FactColumns);

    private readonly DataChunkAppender _chunks;
    private readonly Descriptors _descriptors;

    public ChunkWriter(DuckDbCostStore store, TagSets tagSets, long importId)
    {
        ImportId = importId;
        _descriptors = Descriptors.Start(store, tagSets, importId);
        _chunks = new DataChunkAppender(store.Connection, LineItemsTable.FactsTable, Facts.Lists, "line items");
    }

    public long ImportId { get; }

    public long Rows => _chunks.Rows;

    /// <summary>The distinct descriptions written so far.</summary>
    public long DescriptorsAdded => _descriptors.Added;

    public void Append(LineItemRow row)
    {
        var descriptor = _descriptors.IdOf(row);
        Facts.Fill(_chunks, row, ImportId, descriptor, tagSetId: 0);
        _chunks.EndRow();
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
    public void Fill(DataChunkAppender chunks, LineItemRow row, long importId, long descriptorId, long tagSetId)
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
