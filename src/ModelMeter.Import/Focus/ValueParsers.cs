using System.Globalization;

namespace ModelMeter.Import.Focus;

/// <summary>Strict, allocation-free parsers for the value kinds of a FOCUS export. Each returns an error text or null.</summary>
public static class ValueParsers
{
    /// <summary>The store keeps 18 decimal places (DECIMAL(38,18)); more would be silently rounded, so they are refused.</summary>
    public const int MaxScale = Core.Monetary.ExactDecimal.MaxScale;

    /// <summary>DECIMAL(38,18) leaves 20 digits before the point; a larger value would overflow the store's appender.</summary>
    public const int MaxIntegerDigits = Core.Monetary.ExactDecimal.MaxIntegerDigits;

    // A provider's amounts as mapped imports read them: sign, point and exponent (1.81E-8), no thousands separators.
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>True for the empty string and the literal <c>null</c>, both of which mean "no value" in FOCUS files.</summary>
    public static bool IsNull(ReadOnlySpan<char> text) =>
        text.IsEmpty || text.SequenceEqual("null") || text.SequenceEqual("NULL");

    /// <summary>An amount, price or quantity, by the one exact-decimal rule (<see cref="Core.Monetary.ExactDecimal"/>).</summary>
    public static string? TryParseDecimal(ReadOnlySpan<char> text, out decimal value) => Core.Monetary.ExactDecimal.TryParse(text, out value);

    /// <summary>
    /// Parses a provider's amount for a mapped import, where the store's scale may force rounding: the value as written
    /// (as exactly as a decimal holds it: 28 significant digits) and the value the store keeps, rounded half to even to
    /// <see cref="MaxScale"/> places when the text has more (Azure's amortized costs carry up to 28). Scientific notation
    /// (<c>1.81E-8</c>) is read exactly. <paramref name="rounded"/> says whether the text had more places than the store keeps.
    /// </summary>
    public static string? TryParseAmount(ReadOnlySpan<char> text, out decimal exact, out decimal stored, out bool rounded)
    {
        var trimmed = text.Trim();
        stored = 0;
        rounded = false;
        if (!decimal.TryParse(trimmed, DecimalStyle, CultureInfo.InvariantCulture, out exact))
        {
            return trimmed.Contains(',')
                ? "is not a number: use a dot as the decimal separator and no thousands separators"
                : "is not a number";
        }

        if (exact <= -Core.Monetary.ExactDecimal.Limit || exact >= Core.Monetary.ExactDecimal.Limit)
        {
            return $"has more than {MaxIntegerDigits} digits before the decimal point and cannot be kept exactly";
        }

        rounded = DecimalPlaces(trimmed) > MaxScale;
        stored = rounded ? Math.Round(exact, MaxScale, MidpointRounding.ToEven) : exact;
        return null;
    }

    /// <summary>Places after the point the text asks for, trailing zeros aside and the exponent applied: <c>1.81E-8</c> has 10.</summary>
    private static int DecimalPlaces(ReadOnlySpan<char> s)
    {
        var e = s.IndexOfAny('e', 'E');
        var mantissa = e < 0 ? s : s[..e];
        var exponent = 0;
        if (e >= 0 && !int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            exponent = 0;
        }

        var point = mantissa.IndexOf('.');
        var places = point < 0 ? 0 : mantissa[(point + 1)..].TrimEnd('0').Length;
        return Math.Max(0, places - exponent);
    }

    /// <summary>
    /// Parses an ISO 8601 date-time (<c>2026-10-01T00:00:00Z</c>, fractions, <c>+02:00</c> offsets, a space instead of
    /// <c>T</c>, or a bare date) to a UTC instant. A value without an offset is taken as UTC, as FOCUS requires UTC.
    /// </summary>
    public static string? TryParseTimestamp(ReadOnlySpan<char> text, out DateTime utc)
    {
        utc = default;
        var s = text.Trim();
        const string expected = "is not an ISO 8601 date-time such as 2026-10-01T00:00:00Z";
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day))
        {
            return expected;
        }

        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        var i = 10;
        if (s.Length > 10)
        {
            if ((s[10] != 'T' && s[10] != ' ') || s.Length < 16 || s[13] != ':'
                || !TryDigits(s.Slice(11, 2), out hour) || !TryDigits(s.Slice(14, 2), out minute))
            {
                return expected;
            }

            i = 16;
            if (i < s.Length && s[i] == ':')
            {
                if (s.Length < 19 || !TryDigits(s.Slice(17, 2), out second))
                {
                    return expected;
                }

                i = 19;
                if (i < s.Length && (s[i] == '.' || s[i] == ','))
                {
                    i++;
                    var digits = 0;
                    long fraction = 0;
                    var lost = false;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        if (digits < 6)
                        {
                            fraction = (fraction * 10) + (s[i] - '0');
                        }
                        else
                        {
                            lost |= s[i] != '0';
                        }

                        digits++;
                        i++;
                    }

                    if (digits == 0)
                    {
                        return expected;
                    }

                    if (lost)
                    {
                        // The store keeps microseconds (TIMESTAMP): a finer fraction would be cut without a word.
                        return "has more than 6 fractional digits (finer than a microsecond), which the store cannot keep";
                    }

                    digits = Math.Min(digits, 6);

                    for (var d = digits; d < 7; d++)
                    {
                        fraction *= 10;
                    }

                    ticks = fraction;
                }
            }
        }

        var offsetMinutes = 0;
        if (i < s.Length)
        {
            var zone = s[i..];
            if (zone is "Z" or "z" || zone.SequenceEqual("UTC") || zone.SequenceEqual(" UTC"))
            {
                offsetMinutes = 0;
            }
            else if ((zone[0] == '+' || zone[0] == '-') && TryParseOffset(zone[1..], out var magnitude))
            {
                offsetMinutes = zone[0] == '-' ? -magnitude : magnitude;
            }
            else
            {
                return expected;
            }
        }

        if (month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return "is not a valid date or time";
        }

        // The offset can carry a valid local time out of the calendar (0001-01-01T00:00:00+14:00): checked, never thrown.
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + ticks;
        if (Core.Time.SupportedRange.FromLocalTicks(local, offsetMinutes) is not { } instant)
        {
            return $"is outside the instants ModelMeter stores ({Core.Time.SupportedRange.Text}) once its offset is applied";
        }

        utc = instant;
        return null;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> s, out int minutes)
    {
        minutes = 0;
        int hours, mins = 0;
        switch (s.Length)
        {
            case 2:
                if (!TryDigits(s, out hours))
                {
                    return false;
                }

                break;
            case 4:
                if (!TryDigits(s[..2], out hours) || !TryDigits(s[2..], out mins))
                {
                    return false;
                }

                break;
            case 5:
                if (s[2] != ':' || !TryDigits(s[..2], out hours) || !TryDigits(s[3..], out mins))
                {
                    return false;
                }

                break;
            default:
                return false;
        }

        minutes = (hours * 60) + mins;
        return hours <= 14 && mins <= 59;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
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
