namespace ModelMeter.Import.AzureCost;

/// <summary>
/// Azure Cost Management has written its cost exports under four generations of column names: EA's
/// <c>CostInBillingCurrency</c>/<c>BillingCurrencyCode</c>, newer EA's <c>Cost</c>/<c>BillingCurrency</c>, MCA's camelCase
/// <c>costInBillingCurrency</c>/<c>billingCurrency</c>, and the legacy <c>PreTaxCost</c>/<c>Currency</c>; portals in other
/// languages write localised names with the English one in parentheses (<c>Kosten (Cost)</c>). Names are matched in
/// any case; a localised name stands for the English name in its parentheses.
/// </summary>
internal static class AzureHeaders
{
    /// <summary>The English column name a header field stands for.</summary>
    public static string Normalize(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var name = header.Trim().Trim('\uFEFF').Trim();
        if (name.Length > 2 && name[^1] == ')')
        {
            var open = name.LastIndexOf('(');
            if (open > 0)
            {
                var inner = name[(open + 1)..^1].Trim();
                if (inner.Length > 0 && inner.All(char.IsAsciiLetterOrDigit))
                {
                    return inner;
                }
            }
        }

        return name;
    }

    /// <summary>Whether a header looks localised without the English names (letters outside ASCII, no known column).</summary>
    public static bool LooksLocalised(IEnumerable<string> names) => names.Any(n => n.Any(c => c > 127 && char.IsLetter(c)));
}
