using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Bulk-writes line items through DuckDB's C appender a data chunk (2,048 rows) at a time, filling the column vectors
/// directly. The managed row-by-row appender spends 50-150 ns on every value; a FOCUS row has about 75 columns, most of
/// them empty, so a million rows took ten seconds there and take about one here. It appends within the connection's
/// open transaction, so a rollback discards everything it wrote.
/// </summary>
internal sealed unsafe class ChunkWriter : IDisposable
{
    private static readonly IReadOnlyList<StoredColumn> Columns = LineItemsTable.Columns;

    // Flat arrays: the per-value loop runs 75 times a row, tens of millions of times an import.
    private static readonly StoredKind[] Kinds = Columns.Select(c => c.Kind).ToArray();
    private static readonly int[] Slots = Columns.Select(c => c.Slot).ToArray();

    private readonly DuckDB.NET.Native.DuckDBAppender _appender;
    private readonly DuckDBLogicalType[] _types;
    private readonly IntPtr[] _vectors;
    private readonly ulong*[] _validity;
    private readonly void*[] _data;
    private readonly ulong[] _listSizes;
    private readonly int _capacity;
    private readonly DuckDBDataChunk _chunk;
    private int _row;
    private byte[] _utf8 = new byte[1024];
    private bool _closed;
    private int _chunksSinceFlush;

    // Flushing at each row group (60 chunks of 2,048 = DuckDB's 122,880 rows) lets DuckDB compress and write while the
    // reader is still parsing; left to the end, that work took 0.9 s of a million-row import after parsing had finished.
    private const int ChunksPerFlush = 60;

    private readonly TagSets _tagSets;

    public ChunkWriter(DuckDBConnection connection, string table, TagSets tagSets)
    {
        _tagSets = tagSets;
        if (NativeMethods.Appender.DuckDBAppenderCreate(connection.NativeConnection, null!, table, out _appender) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"Cannot append to {table}: {ErrorOf(_appender)}");
        }

        var count = (int)NativeMethods.Appender.DuckDBAppenderColumnCount(_appender);
        if (count != Columns.Count)
        {
            throw new InvalidOperationException($"{table} has {count} columns; this ModelMeter writes {Columns.Count}. The store schema is out of date.");
        }

        _types = new DuckDBLogicalType[count];
        for (var i = 0; i < count; i++)
        {
            _types[i] = NativeMethods.Appender.DuckDBAppenderColumnType(_appender, (ulong)i);
        }

        _chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk(_types.Select(t => t.DangerousGetHandle()).ToArray(), (ulong)count);
        _capacity = (int)NativeMethods.Helpers.DuckDBVectorSize();
        _vectors = new IntPtr[count];
        _validity = new ulong*[count];
        _data = new void*[count];
        _listSizes = new ulong[count];
        BindVectors();
    }

    public long Rows { get; private set; }

    public void Append(long importId, LineItemRow row)
    {
        var kinds = Kinds;
        var slots = Slots;
        for (var c = 0; c < kinds.Length; c++)
        {
            var slot = slots[c];
            switch (kinds[c])
            {
                case StoredKind.ImportId:
                    ((long*)_data[c])[_row] = importId;
                    break;
                case StoredKind.Text:
                    WriteString(c, _vectors[c], (ulong)_row, row.Text[slot]);
                    break;
                case StoredKind.Hierarchy:
                    WriteString(c, _vectors[c], (ulong)_row, row.Hierarchy[slot]);
                    break;
                case StoredKind.Money:
                    if (row.Decimals[slot] is { } amount)
                    {
                        ((Int128*)_data[c])[_row] = ScaledMoney(amount);
                    }
                    else
                    {
                        SetNull(c, _row);
                    }

                    break;
                case StoredKind.Timestamp:
                    if (row.Timestamps[slot] is { } instant)
                    {
                        ((long*)_data[c])[_row] = (instant.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
                    }
                    else
                    {
                        SetNull(c, _row);
                    }

                    break;
                case StoredKind.ListKeys:
                    WriteList(c, row.KeyValues[slot].Keys!);
                    break;
                case StoredKind.ListValues:
                    WriteList(c, row.KeyValues[slot].Values);
                    break;
                case StoredKind.TagSetId:
                    ((long*)_data[c])[_row] = _tagSets.IdOf(row.KeyValues[slot]);
                    break;
                case StoredKind.CustomKeys:
                    WriteList(c, row.Custom.Keys!);
                    break;
                case StoredKind.CustomValues:
                    WriteList(c, row.Custom.Values);
                    break;
            }
        }

        _row++;
        Rows++;
        if (_row == _capacity)
        {
            Flush();
        }
    }

    /// <summary>Writes the last partial chunk and closes the appender, surfacing any constraint error.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        Flush();
        _closed = true;
        if (NativeMethods.Appender.DuckDBAppenderClose(_appender) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"Appending line items failed: {ErrorOf(_appender)}");
        }
    }

    public void Dispose()
    {
        _chunk.Dispose();
        foreach (var type in _types)
        {
            type.Dispose();
        }

        _appender.Dispose();
    }

    /// <summary>The amount as DECIMAL(38,18)'s 128-bit integer: amount × 10^18. Import validation keeps scale ≤ 18 and |amount| &lt; 10^20.</summary>
    internal static Int128 ScaledMoney(decimal amount)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(amount, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var scaled = mantissa * Pow10[18 - scale];
        return negative ? -scaled : scaled;
    }

    private static readonly Int128[] Pow10 = Enumerable.Range(0, 19).Select(i =>
    {
        Int128 value = 1;
        for (var k = 0; k < i; k++)
        {
            value *= 10;
        }

        return value;
    }).ToArray();

    private void Flush()
    {
        if (_row == 0)
        {
            return;
        }

        NativeMethods.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_row);
        if (NativeMethods.Appender.DuckDBAppendDataChunk(_appender, _chunk) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"Appending line items failed: {ErrorOf(_appender)}");
        }

        NativeMethods.DataChunks.DuckDBDataChunkReset(_chunk);
        _row = 0;
        if (++_chunksSinceFlush == ChunksPerFlush)
        {
            _chunksSinceFlush = 0;
            if (NativeMethods.Appender.DuckDBAppenderFlush(_appender) != DuckDBState.Success)
            {
                throw new InvalidOperationException($"Appending line items failed: {ErrorOf(_appender)}");
            }
        }
        BindVectors();
    }

    private void BindVectors()
    {
        for (var c = 0; c < _vectors.Length; c++)
        {
            var vector = NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, c);
            _vectors[c] = vector;
            NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(vector);
            _validity[c] = NativeMethods.Vectors.DuckDBVectorGetValidity(vector);
            _data[c] = NativeMethods.Vectors.DuckDBVectorGetData(vector);
            _listSizes[c] = 0;
            if (Columns[c].Kind is StoredKind.ListKeys or StoredKind.ListValues or StoredKind.CustomKeys or StoredKind.CustomValues)
            {
                NativeMethods.Vectors.DuckDBListVectorSetSize(vector, 0);
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void SetNull(int column, int row) => _validity[column][row >> 6] &= ~(1UL << (row & 63));

    private void WriteString(int column, IntPtr vector, ulong row, string? value)
    {
        if (value is null)
        {
            SetNull(column, (int)row);
            return;
        }

        AssignString(vector, row, value);
    }

    private void AssignString(IntPtr vector, ulong row, string value)
    {
        if (value.Length * 3 > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(value.Length * 3, _utf8.Length * 2)];
        }

        // Most values are ASCII: narrowing them is much cheaper than a general UTF-8 encoder.
        int length;
        if (System.Text.Ascii.IsValid(value))
        {
            System.Text.Ascii.FromUtf16(value, _utf8, out length);
        }
        else
        {
            length = Encoding.UTF8.GetBytes(value, _utf8);
        }

        fixed (byte* bytes = _utf8)
        {
            NativeMethods.Vectors.DuckDBUnsafeVectorAssignStringElementLength(vector, row, bytes, length);
        }
    }

    private void WriteList(int column, List<string?> items)
    {
        var vector = _vectors[column];
        var entry = (ListEntry*)_data[column] + _row;
        var offset = _listSizes[column];
        entry->Offset = offset;
        entry->Length = (ulong)items.Count;
        if (items.Count == 0)
        {
            return;
        }

        var size = offset + (ulong)items.Count;
        NativeMethods.Vectors.DuckDBListVectorReserve(vector, size);
        var child = NativeMethods.Vectors.DuckDBListVectorGetChild(vector);
        ulong* childValidity = null;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item)
            {
                AssignString(child, offset + (ulong)i, item);
            }
            else
            {
                if (childValidity is null)
                {
                    NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(child);
                    childValidity = NativeMethods.Vectors.DuckDBVectorGetValidity(child);
                }

                var index = offset + (ulong)i;
                childValidity[index >> 6] &= ~(1UL << (int)(index & 63));
            }
        }

        NativeMethods.Vectors.DuckDBListVectorSetSize(vector, size);
        _listSizes[column] = size;
    }

    private static string ErrorOf(DuckDB.NET.Native.DuckDBAppender appender)
    {
        using var error = NativeMethods.Appender.DuckDBAppenderErrorData(appender);
        return NativeMethods.ErrorData.DuckDBErrorDataMessage(error);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ListEntry
    {
        public ulong Offset;
        public ulong Length;
    }
}
