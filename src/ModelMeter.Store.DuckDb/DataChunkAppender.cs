using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using NativeAppender = DuckDB.NET.Native.DuckDBAppender;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Bulk-writes rows into one table through DuckDB's C appender a data chunk (2,048 rows) at a time, filling the column
/// vectors directly: the managed row-by-row appender spends 50-150 ns on every value, which a bulk import pays tens of
/// millions of times. The caller sets each column of the current row (<see cref="SetLong"/>, <see cref="SetString"/>
/// ...) and ends it with <see cref="EndRow"/>; every chunk goes to DuckDB when it is full. It appends within the
/// connection's open transaction, so a rollback discards everything it wrote. The line items (<see cref="ChunkWriter"/>)
/// and the usage samples (<see cref="DuckDbUsageImportSession"/>) are written through it.
/// </summary>
internal sealed unsafe class DataChunkAppender : IDisposable
{
    private readonly NativeAppender _appender;
    private readonly DuckDBLogicalType[] _types;
    private readonly bool[] _isList;
    private readonly IntPtr[] _vectors;
    private readonly ulong*[] _validity;
    private readonly void*[] _data;
    private readonly ulong[] _listSizes;
    private readonly int _capacity;
    private readonly DuckDBDataChunk _chunk;
    private readonly string _what;
    private int _row;
    private byte[] _utf8 = new byte[1024];
    private bool _closed;
    private int _chunksSinceFlush;

    // Flushing as the rows come lets DuckDB compress and write each row group while the reader is still parsing; left to
    // the end, that work took 0.9 s of a million-row import after parsing had finished. DuckDB's appender copies the
    // chunks into a collection of its own, outside its buffer limit, until each flush: at a row group (60 chunks) that
    // was 75 MB of descriptors and more of tag sets on the wide bench file, 16,384 rows at a time much less.
    private const int ChunksPerFlush = 8;

    /// <param name="connection">The open connection, inside its transaction.</param>
    /// <param name="table">The table, whose columns the caller fills in their order.</param>
    /// <param name="listColumns">Which of the table's columns are <c>VARCHAR[]</c> lists (filled with <see cref="SetList"/>).</param>
    /// <param name="what">What the rows are, for errors ("line items").</param>
    public DataChunkAppender(DuckDBConnection connection, string table, IReadOnlyList<bool> listColumns, string what)
    {
        _what = what;
        if (NativeMethods.Appender.DuckDBAppenderCreate(connection.NativeConnection, null!, table, out _appender) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"Cannot append to {table}: {ErrorOf(_appender)}");
        }

        var count = (int)NativeMethods.Appender.DuckDBAppenderColumnCount(_appender);
        if (count != listColumns.Count)
        {
            _appender.Dispose();
            throw new InvalidOperationException($"{table} has {count} columns; this ModelMeter writes {listColumns.Count}. The store schema is out of date.");
        }

        _isList = listColumns.ToArray();
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

    /// <summary>The rows ended so far.</summary>
    public long Rows { get; private set; }

    /// <summary>A BIGINT (or TIMESTAMP in microseconds) value of the current row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetLong(int column, long value) => ((long*)_data[column])[_row] = value;

    /// <summary>A DATE value of the current row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetDate(int column, DateOnly date) => ((int*)_data[column])[_row] = date.DayNumber - UnixEpochDay;

    /// <summary>A TIMESTAMP value of the current row, its ticks read as UTC.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetTimestamp(int column, DateTime instant) =>
        ((long*)_data[column])[_row] = (instant.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>A DECIMAL(38,18) value of the current row (see <see cref="ScaledMoney"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetDecimal18(int column, decimal value) => ((Int128*)_data[column])[_row] = ScaledMoney(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetNull(int column) => _validity[column][_row >> 6] &= ~(1UL << (_row & 63));

    /// <summary>A VARCHAR value of the current row; null writes NULL.</summary>
    public void SetString(int column, string? value)
    {
        if (value is null)
        {
            SetNull(column);
            return;
        }

        AssignString(_vectors[column], (ulong)_row, value);
    }

    /// <summary>A VARCHAR[] value of the current row; a null item is a NULL element.</summary>
    public void SetList(int column, List<string?> items)
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

    /// <summary>Ends the current row; a full chunk goes to DuckDB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndRow()
    {
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
            throw new InvalidOperationException($"Appending {_what} failed: {ErrorOf(_appender)}");
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

    /// <summary>The amount as DECIMAL(38,18)'s 128-bit integer: amount × 10^18. Callers keep scale ≤ 18 and |amount| &lt; 10^20.</summary>
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

    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

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
            throw new InvalidOperationException($"Appending {_what} failed: {ErrorOf(_appender)}");
        }

        NativeMethods.DataChunks.DuckDBDataChunkReset(_chunk);
        _row = 0;
        if (++_chunksSinceFlush == ChunksPerFlush)
        {
            _chunksSinceFlush = 0;
            if (NativeMethods.Appender.DuckDBAppenderFlush(_appender) != DuckDBState.Success)
            {
                throw new InvalidOperationException($"Appending {_what} failed: {ErrorOf(_appender)}");
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
            if (_isList[c])
            {
                NativeMethods.Vectors.DuckDBListVectorSetSize(vector, 0);
            }
        }
    }

    private void AssignString(IntPtr vector, ulong row, string value)
    {
        if (value.Length * 3 > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(value.Length * 3, _utf8.Length * 2)];
        }

        // Most values are ASCII: narrowing them is much cheaper than a general UTF-8 encoder.
        int length;
        if (Ascii.IsValid(value))
        {
            Ascii.FromUtf16(value, _utf8, out length);
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

    private static string ErrorOf(NativeAppender appender)
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
