namespace ModelMeter.Core.Billing;

/// <summary>
/// Costs outside the cloud bill (<c>modelmeter import costs</c>): personnel, data labelling and acquisition, licences,
/// on-premises hardware, monitoring. They are line items of their own provider, <see cref="ProviderName"/>, so every
/// report, allocation rule and budget counts them with the bill, and <c>report --by ProviderName</c> tells them apart.
/// </summary>
public static class InternalCosts
{
    /// <summary>The <c>ProviderName</c> (and billing account) of every imported internal cost.</summary>
    public const string ProviderName = "internal";

    /// <summary>The categories the template documents; any other word is accepted as its own category.</summary>
    public static readonly IReadOnlyList<string> KnownCategories =
        ["personnel", "data_labelling", "data_acquisition", "licences", "on_prem", "monitoring"];

    /// <summary>The file <c>modelmeter init</c> writes beside the config.</summary>
    public const string TemplateFileName = "costs.template.csv";

    /// <summary>
    /// A costs CSV with every documented category and each way of giving the days (a <c>date</c>, a <c>period</c>, a
    /// <c>start</c> and <c>end</c>, both inclusive); the README shows the same file.
    /// </summary>
    public const string Template = """
        date,period,start,end,amount,currency,category,description,charge_category,team,product
        ,2026-10,,,42000.00,USD,personnel,"ML engineers, 3 FTE",Usage,search,ranker
        2026-10-06,,,,3150.00,USD,data_labelling,Relevance judgements batch 12,Purchase,search,ranker
        ,,2026-10-01,2026-10-31,1800.00,USD,data_acquisition,Clickstream panel,Purchase,search,ranker
        ,2026-10,,,2400.00,USD,licences,Experiment tracking seats,Usage,platform,shared
        ,2026-10,,,5200.00,USD,on_prem,On-prem GPU server depreciation,Usage,platform,shared
        ,2026-10,,,900.00,USD,monitoring,Model monitoring service,Usage,platform,shared

        """;

    /// <summary>
    /// Splits an amount into <paramref name="parts"/> equal parts (one per day of an amortised period) that add up to it
    /// exactly: the amount is taken in units of its own last decimal place (at least cents), each part gets the same
    /// whole number of units, and the units left over go one each to the first parts. A negative amount splits the same way.
    /// </summary>
    public static IReadOnlyList<decimal> SplitEvenly(decimal amount, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var scale = Math.Max(2, (int)amount.Scale);
        var unit = 1m / Pow10(scale);
        var units = amount / unit;
        var each = decimal.Truncate(units / parts);
        var left = units - (each * parts);
        var step = Math.Sign(left);
        var result = new decimal[parts];
        for (var i = 0; i < parts; i++)
        {
            var share = each + (i < Math.Abs(left) ? step : 0);
            result[i] = decimal.Round(share * unit, scale);
        }

        return result;
    }

    private static decimal Pow10(int scale)
    {
        var value = 1m;
        for (var i = 0; i < scale; i++)
        {
            value *= 10m;
        }

        return value;
    }
}
