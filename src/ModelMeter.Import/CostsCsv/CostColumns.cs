using System.Globalization;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.CostsCsv;

/// <summary>
/// The columns of a costs CSV that are not dimensions, found by name in any case, and the reading of a line's days
/// (shared by the amortising source and the mapper, so both read the same days).
/// </summary>
internal sealed class CostColumns
{
    /// <summary>Column names with a meaning; every other column is a dimension (a tag).</summary>
    public static readonly IReadOnlyList<string> Reserved = ["date", "period", "start", "end", "amount", "currency", "category", "description", "charge_category"];

    public CostColumns(IReadOnlyList<string> header)
    {
        int Find(string name)
        {
            for (var i = 0; i < header.Count; i++)
            {
                if (string.Equals(header[i].Trim().Trim('\uFEFF'), name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        Date = Find("date");
        Month = Find("period");
        Start = Find("start");
        End = Find("end");
        Amount = Find("amount");
        Currency = Find("currency");
        Category = Find("category");
        Description = Find("description");
        Charge = Find("charge_category");
    }

    public int Date { get; }

    public int Month { get; }

    public int Start { get; }

    public int End { get; }

    public int Amount { get; }

    public int Currency { get; }

    public int Category { get; }

    public int Description { get; }

    public int Charge { get; }

    public static bool IsReserved(string name) => Reserved.Contains(name.Trim().Trim('\uFEFF'), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The days of the line, [start, end) in UTC: a <c>date</c> (one day), a <c>period</c> (a calendar month) or
    /// <c>start</c> and <c>end</c> (first and last day, inclusive). Exactly one of the three is given per line.
    /// </summary>
    /// <returns>Null, or what is wrong, with the field it is in (-1: the line).</returns>
    public string? Period(IFocusRecordSource source, out DateTime start, out DateTime end, out int field)
    {
        start = end = default;
        field = -1;
        var hasDate = Given(source, Date);
        var hasMonth = Given(source, Month);
        var hasRange = Given(source, Start) || Given(source, End);
        var given = (hasDate ? 1 : 0) + (hasMonth ? 1 : 0) + (hasRange ? 1 : 0);
        if (given == 0)
        {
            return "gives no day: fill date (a day, 2026-10-14), period (a month, 2026-10) or start and end (first and last day)";
        }

        if (given > 1)
        {
            field = hasDate ? Date : Month;
            return "gives more than one of date, period and start/end; fill one of them";
        }

        if (hasDate)
        {
            field = Date;
            if (!TryDay(source[Date], out start))
            {
                return "is not a day such as 2026-10-14 (yyyy-MM-dd)";
            }

            end = start.AddDays(1);
            return null;
        }

        if (hasMonth)
        {
            field = Month;
            if (!DateOnly.TryParseExact(source[Month].Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            {
                return "is not a month such as 2026-10 (yyyy-MM)";
            }

            start = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            end = start.AddMonths(1);
            return null;
        }

        if (!Given(source, Start) || !Given(source, End))
        {
            field = Given(source, Start) ? End : Start;
            return "is empty; a cost over days gives both start and end (its first and last day)";
        }

        field = Start;
        if (!TryDay(source[Start], out start))
        {
            return "is not a day such as 2026-10-01 (yyyy-MM-dd)";
        }

        field = End;
        if (!TryDay(source[End], out var last))
        {
            return "is not a day such as 2026-10-31 (yyyy-MM-dd)";
        }

        if (last < start)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is before start ({start:yyyy-MM-dd}); end is the last day of the cost, on or after start");
        }

        end = last.AddDays(1);
        return null;
    }

    private static bool Given(IFocusRecordSource source, int field) => field >= 0 && field < source.FieldCount && !ValueParsers.IsNull(source[field].Trim());

    private static bool TryDay(ReadOnlySpan<char> text, out DateTime day)
    {
        day = default;
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        day = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return true;
    }
}
