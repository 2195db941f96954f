using System.Globalization;
using System.Numerics;

namespace ModelMeter.Core.Monetary;

/// <summary>
/// An exact running total of amounts with at most 18 decimal places (what the store keeps), in units of 10^-18 held in
/// an <see cref="Int128"/>: no rounding at any size .NET's <see cref="decimal"/> would round at, and no allocation per
/// value. It also adds up the absolute values, so a caller can tell whether every partial sum of the same values fits
/// the store's DECIMAL(38,18) (credits can make a total small while some subtotal is not).
/// </summary>
public struct ExactSum
{
    private static readonly Int128 UnitsLimit = Int128.Parse("100000000000000000000000000000000000000", CultureInfo.InvariantCulture); // 10^38 = 10^20 in units

    private static readonly Int128[] PowersOfTen = BuildPowers();

    private Int128 _units;
    private Int128 _absoluteUnits;
    private bool _overflow;

    public readonly bool IsEmpty => _units == Int128.Zero && _absoluteUnits == Int128.Zero && !_overflow;

    /// <summary>False once the sum of absolute values reached 10^20: some total of these values may not fit the store.</summary>
    public readonly bool Fits => !_overflow;

    public void Add(decimal value)
    {
        if (_overflow)
        {
            return;
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        if (scale > ExactDecimal.MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "An exact sum takes values of at most 18 decimal places.");
        }

        // A value of 10^20 or more (which the store cannot hold either) would overflow Int128 once scaled: stop counting.
        if (mantissa >= UnitsLimit / PowersOfTen[ExactDecimal.MaxScale - scale])
        {
            _overflow = true;
            return;
        }

        var units = mantissa * PowersOfTen[ExactDecimal.MaxScale - scale];
        _absoluteUnits += units;
        _units += value < 0 ? -units : units;
        if (_absoluteUnits >= UnitsLimit)
        {
            _overflow = true;
        }
    }

    /// <summary>
    /// Adds a subtotal of values summed elsewhere (by DuckDB, exactly, in DECIMAL(38,18)): their sum and the sum of their
    /// absolute values, each as exact text with at most 18 decimal places (<c>-12.500000000000000000</c>). The result is
    /// the same as adding the values one by one.
    /// </summary>
    /// <returns>False when a text is not such a number (nothing is added).</returns>
    public bool TryAddSubtotal(ReadOnlySpan<char> sum, ReadOnlySpan<char> absoluteSum)
    {
        if (!TryUnits(sum, out var units) || !TryUnits(absoluteSum, out var absolute) || absolute < Int128.Zero)
        {
            return false;
        }

        if (_overflow)
        {
            return true;
        }

        if (absolute >= UnitsLimit || (_absoluteUnits += absolute) >= UnitsLimit)
        {
            _overflow = true;
            return true;
        }

        _units += units;
        return true;
    }

    /// <summary>Exact decimal text (sign, digits, optional point and at most 18 decimals) in units of 10^-18, below 10^20.</summary>
    private static bool TryUnits(ReadOnlySpan<char> text, out Int128 units)
    {
        units = Int128.Zero;
        var negative = text.Length > 0 && text[0] == '-';
        var digits = negative ? text[1..] : text;
        var point = digits.IndexOf('.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? [] : digits[(point + 1)..];
        if (whole.Length is 0 or > ExactDecimal.MaxIntegerDigits || fraction.Length > ExactDecimal.MaxScale
            || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        // In 64 bits up to 19 digits, and only then in 128: a digit at a time in Int128, the 1,355 groups of a 1M-row
        // Parquet file's subtotals (16 texts each) took 24 ms to add up.
        const int LongDigits = 19;
        const ulong TenToTheLongDigits = 10_000_000_000_000_000_000UL;
        var wholeUnits = whole.Length > LongDigits
            ? ((Int128)Digits(whole[..^LongDigits]) * TenToTheLongDigits) + Digits(whole[^LongDigits..])
            : Digits(whole);
        units = (wholeUnits * PowersOfTen[ExactDecimal.MaxScale]) + (Digits(fraction) * (ulong)PowersOfTen[ExactDecimal.MaxScale - fraction.Length]);
        if (negative)
        {
            units = -units;
        }

        return true;
    }

    /// <summary>The value of at most 19 decimal digits.</summary>
    private static ulong Digits(ReadOnlySpan<char> digits)
    {
        var value = 0UL;
        foreach (var c in digits)
        {
            value = (value * 10) + (uint)(c - '0');
        }

        return value;
    }

    /// <summary>The total as exact text (invariant, no trailing zeros), e.g. <c>54411.05</c>.</summary>
    public readonly override string ToString()
    {
        if (_overflow)
        {
            return "(overflow)";
        }

        var negative = _units < 0;
        var magnitude = Int128.Abs(_units);
        var whole = magnitude / PowersOfTen[ExactDecimal.MaxScale];
        var fraction = magnitude % PowersOfTen[ExactDecimal.MaxScale];
        var text = whole.ToString(CultureInfo.InvariantCulture);
        if (fraction != 0)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(ExactDecimal.MaxScale, '0').TrimEnd('0');
        }

        return negative ? "-" + text : text;
    }

    /// <summary>The total as a <see cref="decimal"/> when it is one exactly (at most 28 or 29 significant digits).</summary>
    public readonly bool TryToDecimal(out decimal value)
    {
        value = 0m;
        if (_overflow)
        {
            return false;
        }

        var magnitude = Int128.Abs(_units);
        var scale = ExactDecimal.MaxScale;
        while (scale > 0 && magnitude % 10 == 0)
        {
            magnitude /= 10;
            scale--;
        }

        if (magnitude >> 96 != Int128.Zero)
        {
            return false;
        }

        var big = (BigInteger)magnitude;
        value = new decimal((int)(uint)(big & uint.MaxValue), (int)(uint)((big >> 32) & uint.MaxValue), (int)(uint)((big >> 64) & uint.MaxValue), _units < 0, (byte)scale);
        return true;
    }

    private static Int128[] BuildPowers()
    {
        var powers = new Int128[ExactDecimal.MaxScale + 1];
        powers[0] = Int128.One;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
