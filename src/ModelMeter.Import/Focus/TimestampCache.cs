namespace ModelMeter.Import.Focus;

/// <summary>Remembers the last timestamp text of a column: hourly bills repeat it on thousands of consecutive rows.</summary>
internal sealed class TimestampCache
{
    private readonly char[] _last = new char[40];
    private int _lastLength = -1;
    private DateTime _lastValue;

    public string? Parse(ReadOnlySpan<char> text, out DateTime value)
    {
        if (_lastLength == text.Length && text.SequenceEqual(_last.AsSpan(0, _lastLength)))
        {
            value = _lastValue;
            return null;
        }

        var error = ValueParsers.TryParseTimestamp(text, out value);
        if (error is null && text.Length <= _last.Length)
        {
            text.CopyTo(_last);
            _lastLength = text.Length;
            _lastValue = value;
        }

        return error;
    }
}
