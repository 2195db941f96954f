using System.Globalization;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Cli.Output;

/// <summary>How amounts, shares and periods look in tables. Machine formats keep full precision instead.</summary>
internal static class Formatting
{
    public static string Money(decimal amount, string currency) => MoneyText.Amount(amount, currency);

    public static string Percent(decimal share) => (share * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Period(DateTime period, TimeGrain? grain) => grain switch
    {
        TimeGrain.Month => period.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        TimeGrain.Hour => period.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture),
        _ => period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string CostName(CostMetric cost) => cost switch
    {
        CostMetric.Billed => "BilledCost",
        CostMetric.List => "ListCost",
        CostMetric.Contracted => "ContractedCost",
        _ => "EffectiveCost",
    };
}
