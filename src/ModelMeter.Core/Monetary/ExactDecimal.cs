using System.Buffers;
using System.Globalization;

namespace ModelMeter.Core.Monetary;

/// <summary>
/// The one rule for reading an amount, price, quantity, usage value or exchange rate from a file: it must be kept
/// exactly by the store (DECIMAL(38,18)) and by .NET's <see cref="decimal"/>, or it is refused. Nothing is rounded.
/// </summary>
public static class ExactDecimal
{
    /// <summary>The store keeps 18 decimal places (DECIMAL(38,18)); more would be silently rounded, so they are refused.</summary>
    public const int MaxScale = 18;

    /// <summary>DECIMAL(38,18) leaves 20 digits before the point; a larger value would overflow the store.</summary>
    public const int MaxIntegerDigits = 20;

    /// <summary>.NET's decimal keeps 28 significant digits exactly; more would be rounded.</summary>
    public const int MaxSignificantDigits = 28;

    /// <summary>The first value too large to store: 10^20.</summary>
    public static readonly decimal Limit = 100_000_000_000_000_000_000m;

    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // decimal.TryParse ignores trailing NUL characters ("0.7364\0\0\0" reads as 0.7364) and accepts currency and
    // group symbols under some styles: only these characters may appear at all.
    private static readonly SearchValues<char> NumberChars = SearchValues.Create("0123456789+-.eE");

    /// <summary>Parses <paramref name="text"/> (surrounding spaces allowed) exactly; returns what is wrong, or null.</summary>
    public static string? TryParse(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        var trimmed = text.Trim();
        if (TryParsePlain(trimmed, out value))
        {
            return null;
        }

        if (trimmed.IsEmpty || trimmed.IndexOfAnyExcept(NumberChars) >= 0
            || !decimal.TryParse(trimmed, Style, CultureInfo.InvariantCulture, out value))
        {
            value = 0m;
            return trimmed.Contains(',')
                ? "is not a number: use a dot as the decimal separator and no thousands separators"
                : "is not a number";
        }

        if (SignificantDigits(trimmed) > MaxSignificantDigits)
        {
            return $"has more than {MaxSignificantDigits} significant digits and cannot be kept exactly";
        }

        // Trailing zeros (1.50000000000000000000) lose nothing when dropped; other digits would be rounded away. The text is
        // looked at, not the parsed value, as decimal parsing itself rounds past 28 places (1e-30 parses as 0).
        if (value.Scale > MaxScale || (value == 0m && HasNonZeroDigit(trimmed)))
        {
            if (trimmed.IndexOfAny('e', 'E') >= 0 || !trimmed.Contains('.')
                || !decimal.TryParse(trimmed.TrimEnd('0'), Style, CultureInfo.InvariantCulture, out value) || value.Scale > MaxScale
                || (value == 0m && HasNonZeroDigit(trimmed)))
            {
                return $"has more than {MaxScale} decimal places and cannot be kept exactly";
            }
        }

        if (value <= -Limit || value >= Limit)
        {
            return $"has more than {MaxIntegerDigits} digits before the decimal point and cannot be kept exactly";
        }

        return null;
    }

    /// <summary>
    /// The usual amount (<c>-?digits[.digits]</c>, at most 18 digits in all) read straight into its decimal: digits, scale
    /// and sign, exactly what <see cref="decimal.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out decimal)"/>
    /// gives (trailing zeros kept), and within every limit above. A bill's ten amounts a line made this a sixth of the
    /// parsing thread's time; the general parser takes everything else.
    /// </summary>
    internal static bool TryParsePlain(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        var negative = !text.IsEmpty && text[0] == '-';
        var i = negative ? 1 : 0;
        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                mantissa = (mantissa * 10) + (uint)(c - '0');
                digits++;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (c == '.' && scale < 0 && digits > 0)
            {
                scale = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || digits > 18 || scale == 0)
        {
            return false;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    /// <summary>Parses or throws a <see cref="Errors.UserInputException"/> whose message starts with <paramref name="where"/>.</summary>
    public static decimal Parse(string text, string where, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value) is { } error
            ? throw new Errors.UserInputException($"{where}: {what} '{text}' {error}.")
            : value;
    }

    private static bool HasNonZeroDigit(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is 'e' or 'E')
            {
                return false;
            }

            if (c is >= '1' and <= '9')
            {
                return true;
            }
        }

        return false;
    }

    private static int SignificantDigits(ReadOnlySpan<char> s)
    {
        if (s.Length <= MaxSignificantDigits)
        {
            return s.Length;
        }

        var count = 0;
        var leading = true;
        foreach (var c in s)
        {
            if (c is 'e' or 'E')
            {
                break;
            }

            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            if (leading && c == '0')
            {
                continue;
            }

            leading = false;
            count++;
        }

        return count;
    }
}
