using System.Collections.Frozen;

namespace ModelMeter.Core.Monetary;

/// <summary>ISO 4217 currency codes and their minor units (decimal places of the smallest coin).</summary>
public static class Currency
{
    // Codes whose minor unit is not 2. Every other well-formed code is taken as 2, which is what ISO 4217 gives for almost all.
    private static readonly FrozenDictionary<string, int> OddMinorUnits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when the text is three upper-case ASCII letters, the shape of every ISO 4217 code.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> code) =>
        code.Length == 3 && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) && char.IsAsciiLetterUpper(code[2]);

    /// <summary>Decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3).</summary>
    public static int MinorUnits(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return OddMinorUnits.TryGetValue(code, out var units) ? units : 2;
    }
}
