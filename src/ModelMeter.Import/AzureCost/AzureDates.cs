using ModelMeter.Import.Focus;

namespace ModelMeter.Import.AzureCost;

/// <summary>
/// The dates of Azure cost exports: US month/day/year (<c>9/2/2023</c>, <c>09/04/2023</c> is 4 September), optionally
/// with a time (<c>9/2/2023 12:00:00 AM</c>); ISO 8601 dates and date-times (<c>2023-09-02</c>,
/// <c>2023-09-02T00:00:00.0000000Z</c>); and <c>2023-09-02 00:00:00</c>. Each is a day in UTC. A day/month/year date
/// (<c>25/09/2023</c>) is refused by name rather than read as the wrong day.
/// </summary>
internal static class AzureDates
{
    public static string? TryParse(ReadOnlySpan<char> text, out DateTime day)
    {
        day = default;
        var s = text.Trim();
        if (s.Length >= 10 && s[4] == '-')
        {
            if (ValueParsers.TryParseTimestamp(s, out var instant) is { } error)
            {
                return error.Replace("an ISO 8601 date-time such as 2026-10-01T00:00:00Z", "a date such as 9/2/2023 or 2023-09-02", StringComparison.Ordinal);
            }

            day = instant.Date;
            return null;
        }

        const string expected = "is not a date such as 9/2/2023 (month/day/year) or 2023-09-02";
        var first = s.IndexOf('/');
        var second = first < 0 ? -1 : s[(first + 1)..].IndexOf('/');
        if (first < 1 || second < 1)
        {
            return expected;
        }

        second += first + 1;
        var rest = s[(second + 1)..];
        var space = rest.IndexOf(' ');
        var yearText = space < 0 ? rest : rest[..space];
        if (!TryNumber(s[..first], 2, out var month) || !TryNumber(s[(first + 1)..second], 2, out var dayOfMonth) || yearText.Length != 4 || !TryNumber(yearText, 4, out var year))
        {
            return expected;
        }

        if (space >= 0 && !IsMidnight(rest[(space + 1)..]))
        {
            return "has a time of day; Azure cost exports give one row per day, so the time must be midnight (12:00:00 AM)";
        }

        if (month > 12 && dayOfMonth <= 12)
        {
            return "is a day/month/year date; Azure cost exports write month/day/year (9/2/2023 is 2 September): export with the English (United States) format or ISO dates";
        }

        if (month is < 1 or > 12 || dayOfMonth < 1 || year < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
        {
            return "is not a valid date (month/day/year)";
        }

        day = new DateTime(year, month, dayOfMonth, 0, 0, 0, DateTimeKind.Utc);
        return null;
    }

    private static bool IsMidnight(ReadOnlySpan<char> time)
    {
        var t = time.Trim();
        return t.SequenceEqual("12:00:00 AM") || t.SequenceEqual("00:00:00") || t.SequenceEqual("0:00:00") || t.SequenceEqual("00:00");
    }

    private static bool TryNumber(ReadOnlySpan<char> s, int maxDigits, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > maxDigits)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
