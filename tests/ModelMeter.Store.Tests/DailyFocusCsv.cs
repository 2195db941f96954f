using System.Globalization;
using System.Text;

namespace ModelMeter.Store.Tests;

/// <summary>Writes small FOCUS exports for tests: the mandatory columns plus Tags, one line item per row.</summary>
public sealed class DailyFocusCsv
{
    private const string Header =
        "BillingAccountId,BillingAccountName,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ProviderName,PublisherName," +
        "InvoiceIssuerName,ServiceName,ServiceCategory,ChargeCategory,ChargeClass,ChargeDescription,BilledCost,EffectiveCost,ListCost," +
        "ContractedCost,BillingCurrency,PricingQuantity,PricingUnit,Tags";

    private readonly StringBuilder _text = new StringBuilder(Header).Append('\n');

    /// <summary>One day-long usage charge starting at <paramref name="chargeStart"/>; BilledCost is EffectiveCost + 10 so tests see which is summed.</summary>
    public DailyFocusCsv Row(string chargeStart, decimal effectiveCost, string team, string category = "Compute", string currency = "USD", string account = "acct-1", string tagKey = "team")
    {
        var start = DateTime.Parse(chargeStart, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        string Time(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string Money(decimal d) => d.ToString(CultureInfo.InvariantCulture);
        _text.AppendJoin(',',
            account, "Research", Time(month), Time(month.AddMonths(1)), Time(start), Time(start.AddDays(1)), "AWS", "AWS",
            "AWS", "Amazon EC2", category, "Usage", string.Empty, "GPU hours", Money(effectiveCost + 10m), Money(effectiveCost), Money(effectiveCost + 20m),
            Money(effectiveCost), currency, "1", "Hours", $"\"{{\"\"{tagKey}\"\":\"\"{team}\"\"}}\"").Append('\n');
        return this;
    }

    public string Write(string path)
    {
        File.WriteAllText(path, _text.ToString());
        return path;
    }
}
