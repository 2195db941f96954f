using System.Globalization;
using System.Text;

namespace ModelMeter.Tests.Support;

/// <summary>
/// <c>focus10-three-providers.csv</c>: 40 FOCUS 1.0 rows shaped like the FinOps Foundation's public sample (AWS in USD,
/// Microsoft in EUR, Oracle in USD), with the sample's three conformance breaks planted: seven Oracle rows with
/// <c>NULL</c> ContractedCost (lines 33-35, 37, 38, 40, 41), five AWS rows with ChargeFrequency <c>Usage-based</c>
/// (lines 3, 5, 7, 9, 11) and four Microsoft Usage rows without PricingCategory (lines 19, 22, 25, 28).
/// Its sums are read here with a reader of its own, so tests compare the importer against an independent figure.
/// </summary>
internal static class FocusSampleFixture
{
    public static string SourcePath => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "focus10-three-providers.csv");

    public const int Rows = 40;

    /// <summary>Copies the fixture into <paramref name="folder"/>, optionally replacing one cell, and returns the copy's path.</summary>
    public static string CopyTo(string folder, string name = "focus10-three-providers.csv", (int Line, string Column, string Value)? replace = null)
    {
        var records = Records();
        if (replace is { } r)
        {
            records[r.Line - 1][Array.IndexOf(records[0], r.Column)] = r.Value;
        }

        var path = System.IO.Path.Combine(folder, name);
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.AppendJoin(',', record.Select(FocusCsv.Quote)).Append('\n');
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The sum of a cost column per BillingCurrency, cells of <c>NULL</c> or empty adding nothing.</summary>
    public static IReadOnlyDictionary<string, decimal> Sum(string column)
    {
        var records = Records();
        var header = records[0];
        var value = Array.IndexOf(header, column);
        var currency = Array.IndexOf(header, "BillingCurrency");
        var sums = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            var cell = record[value];
            sums[record[currency]] = sums.GetValueOrDefault(record[currency])
                + (cell is "" or "NULL" ? 0m : decimal.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return sums;
    }

    /// <summary>Every record of the fixture, header first (RFC 4180: quoted fields, doubled quotes).</summary>
    public static List<string[]> Records()
    {
        var records = new List<string[]>();
        foreach (var line in File.ReadAllLines(SourcePath))
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            records.Add(fields.ToArray());
        }

        return records;
    }
}
