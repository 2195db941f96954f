using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Bulk-writes line items through <see cref="DataChunkAppender"/>, a data chunk (2,048 rows) at a time. The managed
/// row-by-row appender spends 50-150 ns on every value; a FOCUS row has about 75 columns, most of them empty, so a
/// million rows took ten seconds there and take about one here. It appends within the connection's open transaction,
/// so a rollback discards everything it wrote.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    private static readonly IReadOnlyList<StoredColumn> Columns = LineItemsTable.Columns;

    // Flat arrays: the per-value loop runs 75 times a row, tens of millions of times an import.
    private static readonly StoredKind[] Kinds = Columns.Select(c => c.Kind).ToArray();
    private static readonly int[] Slots = Columns.Select(c => c.Slot).ToArray();
    private static readonly bool[] ListColumns = Columns
        .Select(c => c.Kind is StoredKind.ListKeys or StoredKind.ListValues or StoredKind.CustomKeys or StoredKind.CustomValues)
        .ToArray();

    private readonly DataChunkAppender _chunks;
    private readonly TagSets _tagSets;

    public ChunkWriter(DuckDBConnection connection, string table, TagSets tagSets)
    {
        _tagSets = tagSets;
        _chunks = new DataChunkAppender(connection, table, ListColumns, "line items");
    }

    public long Rows => _chunks.Rows;

    public void Append(long importId, LineItemRow row)
    {
        var kinds = Kinds;
        var slots = Slots;
        var chunks = _chunks;
        for (var c = 0; c < kinds.Length; c++)
        {
            var slot = slots[c];
            switch (kinds[c])
            {
                case StoredKind.ImportId:
                    chunks.SetLong(c, importId);
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
                    chunks.SetLong(c, _tagSets.IdOf(row.KeyValues[slot]));
                    break;
                case StoredKind.CustomKeys:
                    chunks.SetList(c, row.Custom.Keys!);
                    break;
                case StoredKind.CustomValues:
                    chunks.SetList(c, row.Custom.Values);
                    break;
            }
        }

        chunks.EndRow();
    }

    /// <summary>Writes the last partial chunk and closes the appender, surfacing any constraint error.</summary>
    public void Close() => _chunks.Close();

    public void Dispose() => _chunks.Dispose();
}
