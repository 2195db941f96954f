using System.Globalization;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.CostsCsv;

/// <summary>
/// The lines of a costs CSV, each with two more fields the mapper reads: the day and the share of the amount of one
/// day of an amortised cost. Without amortisation (or for a one-day cost) they are empty and a line is one record;
/// amortised, a line over N days is N records (same line number, so problems still point at the line), the amount split
/// by <see cref="InternalCosts.SplitEvenly"/>. A line whose dates or amount cannot be read is passed through once, for
/// the mapper to report.
/// </summary>
internal sealed class CostLineSource : IFocusRecordSource, IPositioned
{
    /// <summary>The names of the two added fields; no CSV header can hold them (they start with a control character).</summary>
    public const string DayField = "\u0001day";

    public const string ShareField = "\u0001share";

    private readonly CsvRecordSource _inner;
    private readonly bool _amortised;
    private readonly CostColumns _columns;
    private readonly Queue<(string Day, string Share)> _pending = new();
    private (string Day, string Share) _current = (string.Empty, string.Empty);

    public CostLineSource(CsvRecordSource inner, bool amortised)
    {
        _inner = inner;
        _amortised = amortised;
        Header = [.. inner.Header, DayField, ShareField];
        _columns = new CostColumns(inner.Header);
    }

    public IReadOnlyList<string> Header { get; }

    public string LineWord => _inner.LineWord;

    public long Line => _inner.Line;

    public int FieldCount => _inner.FieldCount + 2;

    public string? RecordError => _inner.RecordError;

    public int RecordErrorField => _inner.RecordErrorField;

    public double Fraction => _inner.Fraction;

    public ReadOnlySpan<char> this[int index] =>
        index < _inner.FieldCount ? _inner[index]
        : index == _inner.FieldCount ? _current.Day.AsSpan()
        : index == _inner.FieldCount + 1 ? _current.Share.AsSpan()
        : default;

    public bool Read()
    {
        if (_pending.TryDequeue(out var next))
        {
            _current = next;
            return true;
        }

        if (!_inner.Read())
        {
            return false;
        }

        _current = (string.Empty, string.Empty);
        if (!_amortised || _inner.RecordError is not null || _inner.FieldCount != _inner.Header.Count)
        {
            return true;
        }

        if (_columns.Period(_inner, out var start, out var end, out _) is not null || _columns.Amount < 0
            || ValueParsers.TryParseAmount(_inner[_columns.Amount], out var amount, out _, out _) is not null)
        {
            return true;
        }

        var days = (int)(end - start).TotalDays;
        if (days <= 1)
        {
            return true;
        }

        var shares = InternalCosts.SplitEvenly(amount, days);
        for (var i = 0; i < days; i++)
        {
            _pending.Enqueue((start.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), shares[i].ToString(CultureInfo.InvariantCulture)));
        }

        _current = _pending.Dequeue();
        return true;
    }

    public void Dispose() => _inner.Dispose();
}
