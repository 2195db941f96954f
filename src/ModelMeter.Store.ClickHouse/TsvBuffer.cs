using System.Buffers;
using System.Globalization;
using System.Text;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Rows of ClickHouse's TabSeparated input, as UTF-8 bytes in a pooled buffer. Values reach it only through
/// <see cref="Sql.TsvField(TsvBuffer, string?)"/> (text) or the typed appenders here (numbers and instants, which need
/// no escaping).
/// </summary>
internal sealed class TsvBuffer : IDisposable
{
    private byte[] _bytes;

    public TsvBuffer(int capacity) => _bytes = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Ensure(text.Length * 3);
        Length += Ascii.IsValid(text)
            ? Ascii.FromUtf16(text, _bytes.AsSpan(Length), out var written) == OperationStatus.Done ? written : throw new InvalidOperationException()
            : Encoding.UTF8.GetBytes(text, _bytes.AsSpan(Length));
    }

    public void Append(string text) => Append(text.AsSpan());

    /// <summary>An ASCII character of the format itself (tab, newline).</summary>
    public void Append(char ascii)
    {
        Ensure(1);
        _bytes[Length++] = (byte)ascii;
    }

    public void Append(ulong value)
    {
        Ensure(20);
        value.TryFormat(_bytes.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    public void Append(long value)
    {
        Ensure(20);
        value.TryFormat(_bytes.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    /// <summary>An exact decimal in plain notation (never an exponent), as a Decimal column reads it.</summary>
    public void Append(decimal value)
    {
        Ensure(40);
        value.TryFormat(_bytes.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    /// <summary>A UTC instant as <c>yyyy-MM-dd HH:mm:ss</c>, digit by digit (a FOCUS row has four of them).</summary>
    public void AppendInstant(DateTime utc)
    {
        Ensure(19);
        var span = _bytes.AsSpan(Length, 19);
        Digits(span[..4], utc.Year);
        span[4] = (byte)'-';
        Digits(span.Slice(5, 2), utc.Month);
        span[7] = (byte)'-';
        Digits(span.Slice(8, 2), utc.Day);
        span[10] = (byte)' ';
        Digits(span.Slice(11, 2), utc.Hour);
        span[13] = (byte)':';
        Digits(span.Slice(14, 2), utc.Minute);
        span[16] = (byte)':';
        Digits(span.Slice(17, 2), utc.Second);
        Length += 19;
    }

    /// <summary>A day as <c>yyyy-MM-dd</c>.</summary>
    public void AppendDay(DateOnly day)
    {
        Ensure(10);
        var span = _bytes.AsSpan(Length, 10);
        Digits(span[..4], day.Year);
        span[4] = (byte)'-';
        Digits(span.Slice(5, 2), day.Month);
        span[7] = (byte)'-';
        Digits(span.Slice(8, 2), day.Day);
        Length += 10;
    }

    public override string ToString() => Encoding.UTF8.GetString(_bytes, 0, Length);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private void Ensure(int more)
    {
        if (Length + more <= _bytes.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, Length + more));
        _bytes.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = bigger;
    }
}
