namespace ModelMeter.Import.GcpBilling;

/// <summary>
/// Google Cloud invoices by calendar month in US Pacific time: <c>invoice.month</c> 202310 is October from midnight
/// in Los Angeles. Google's own FOCUS view sets BillingPeriodStart the same way. The UTC instant is computed here rather
/// than from the machine's time zone database, so an import gives the same periods on every machine: a month starts
/// on its first day, before 02:00, so it starts in daylight time (UTC-7) from April to November and in standard time
/// (UTC-8) from December to March, under the US rules in force since 2007 (daylight time from the second Sunday of
/// March to the first Sunday of November; billing exports began in 2017).
/// </summary>
internal static class InvoiceMonths
{
    /// <summary>The first instant of an invoice month, in UTC.</summary>
    public static DateTime Start(int year, int month)
    {
        var offsetHours = month is >= 4 and <= 11 ? 7 : 8;
        return new DateTime(year, month, 1, offsetHours, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>The exclusive end of an invoice month: the next month's start.</summary>
    public static DateTime End(int year, int month) => month == 12 ? Start(year + 1, 1) : Start(year, month + 1);

    /// <summary>Reads <c>YYYYMM</c>; false when the text is not a month.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int year, out int month)
    {
        year = month = 0;
        var s = text.Trim();
        if (s.Length != 6)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        year = ((s[0] - '0') * 1000) + ((s[1] - '0') * 100) + ((s[2] - '0') * 10) + (s[3] - '0');
        month = ((s[4] - '0') * 10) + (s[5] - '0');
        return year >= 2007 && month is >= 1 and <= 12;
    }
}
