using System.Collections.Frozen;

namespace ModelMeter.Core.Monetary;

/// <summary>
/// ISO 4217 currency codes and their minor units (decimal places of the smallest coin), from the list shipped as
/// <c>data/currencies/iso4217.csv</c> (its source and date are in the file).
/// </summary>
public static class Currency
{
    /// <summary>Where the list comes from, for messages.</summary>
    public const string ListName = "data/currencies/iso4217.csv";

    private static readonly FrozenDictionary<string, int> MinorUnitsByCode = Load();

    /// <summary>How many codes the shipped list holds.</summary>
    public static int KnownCount => MinorUnitsByCode.Count;

    /// <summary>True when the text is three upper-case ASCII letters, the shape of every ISO 4217 code.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> code) =>
        code.Length == 3 && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) && char.IsAsciiLetterUpper(code[2]);

    /// <summary>True when the code is on the ISO 4217 list (upper case, as the list writes it): ZZZ is well formed but no currency.</summary>
    public static bool IsKnown(ReadOnlySpan<char> code) =>
        IsWellFormed(code) && MinorUnitsByCode.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(code);

    /// <summary>The message part that says what a valid code is.</summary>
    public static string Expected => $"an ISO 4217 currency code such as USD or EUR (the {KnownCount} codes of {ListName})";

    /// <summary>Decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3); 2 for a code the list gives none.</summary>
    public static int MinorUnits(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return MinorUnitsByCode.TryGetValue(code, out var units) ? units : 2;
    }

    private static FrozenDictionary<string, int> Load()
    {
        using var stream = typeof(Currency).Assembly.GetManifestResourceStream("ModelMeter.Currencies.iso4217.csv")
            ?? throw new InvalidOperationException($"{ListName} is not embedded in {typeof(Currency).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (header)
            {
                header = false;
                continue;
            }

            var fields = line.Split(',');
            // "N.A." (gold, SDR, test codes): no minor unit; amounts in them are shown with two places.
            codes[fields[0]] = int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var units) ? units : 2;
        }

        return codes.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
