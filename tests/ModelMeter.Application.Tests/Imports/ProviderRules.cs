using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMeter.Import.Csv;

namespace ModelMeter.Application.Tests.Imports;

/// <summary>
/// Each provider's documented rule for what a file of its export bills, computed here straight from the file (not
/// through the importer), to compare with what the store reports after the import.
/// </summary>
internal static class ProviderRules
{
    private const NumberStyles Number = NumberStyles.Float;

    /// <summary>AWS: the invoice is the sum of <c>line_item_unblended_cost</c> over every row (usage, fees, credits, refunds and tax).</summary>
    public static decimal AwsInvoice(string csv) => Rows(csv).Sum(r => Parse(r["line_item_unblended_cost"]));

    /// <summary>Google Cloud: the invoice is the sum of <c>cost</c> plus the amounts of each row's <c>credits</c>.</summary>
    public static decimal GcpInvoice(string csv) => Rows(csv).Sum(r =>
    {
        var credits = 0m;
        if (r["credits"].Length > 0)
        {
            using var document = JsonDocument.Parse(r["credits"]);
            credits = document.RootElement.EnumerateArray().Sum(c => Parse(c.GetProperty("amount").GetRawText()));
        }

        return Parse(r["cost"]) + credits;
    });

    /// <summary>Azure: the sum of the cost in billing currency (<c>CostInBillingCurrency</c>, MCA <c>costInBillingCurrency</c>), exactly as written.</summary>
    public static decimal AzureCost(string csv) =>
        Rows(csv).Sum(r => Parse(r.TryGetValue("CostInBillingCurrency", out var cost) ? cost : r["costInBillingCurrency"]));

    private static decimal Parse(string text) => decimal.Parse(text, Number, CultureInfo.InvariantCulture);

    private static List<Dictionary<string, string>> Rows(string csv)
    {
        using var reader = new CsvReader(new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true));
        reader.Read().ShouldBeTrue();
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.Select((h, i) => (h, reader.GetString(i))).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal));
        }

        return rows;
    }
}
