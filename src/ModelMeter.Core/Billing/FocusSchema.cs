using System.Collections.Frozen;

namespace ModelMeter.Core.Billing;

/// <summary>
/// The FOCUS columns ModelMeter understands (versions 1.0 to 1.4), in store order. Column names are the FOCUS
/// column ids; the store uses them verbatim so <c>--by ServiceCategory</c> means what a FinOps practitioner expects.
/// </summary>
public static class FocusSchema
{
    public static readonly FrozenDictionary<string, string> ChargeCategories = Canonical("Usage", "Purchase", "Tax", "Credit", "Adjustment");

    public static readonly FrozenDictionary<string, string> ChargeClasses = Canonical("Correction");

    // FOCUS 1.0 preview exports used On-Demand and Commitment-Based; they mean Standard and Committed.
    public static readonly FrozenDictionary<string, string> PricingCategories = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Standard"] = "Standard",
        ["Dynamic"] = "Dynamic",
        ["Committed"] = "Committed",
        ["Other"] = "Other",
        ["On-Demand"] = "Standard",
        ["Commitment-Based"] = "Committed",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every known column, in the order the store lays them out.</summary>
    public static readonly IReadOnlyList<FocusColumn> Columns = Number(
    [
        new("BillingAccountId", FocusColumnKind.Text, Mandatory: true),
        new("BillingAccountName", FocusColumnKind.Text, Mandatory: true),
        new("BillingAccountType", FocusColumnKind.Text),
        new("SubAccountId", FocusColumnKind.Text),
        new("SubAccountName", FocusColumnKind.Text),
        new("SubAccountType", FocusColumnKind.Text),
        new("BillingPeriodStart", FocusColumnKind.Timestamp, Mandatory: true),
        new("BillingPeriodEnd", FocusColumnKind.Timestamp, Mandatory: true),
        new("ChargePeriodStart", FocusColumnKind.Timestamp, Mandatory: true),
        new("ChargePeriodEnd", FocusColumnKind.Timestamp, Mandatory: true),
        new("ProviderName", FocusColumnKind.Text),
        new("PublisherName", FocusColumnKind.Text),
        new("ServiceProviderName", FocusColumnKind.Text),
        new("HostProviderName", FocusColumnKind.Text),
        new("InvoiceIssuerName", FocusColumnKind.Text, Mandatory: true),
        new("InvoiceId", FocusColumnKind.Text),
        new("ServiceName", FocusColumnKind.Text, Mandatory: true),
        new("ServiceCategory", FocusColumnKind.Text, Mandatory: true),
        new("ServiceSubcategory", FocusColumnKind.Text),
        new("ResourceId", FocusColumnKind.Text),
        new("ResourceName", FocusColumnKind.Text),
        new("ResourceType", FocusColumnKind.Text),
        new("RegionId", FocusColumnKind.Text),
        new("RegionName", FocusColumnKind.Text),
        new("AvailabilityZone", FocusColumnKind.Text),
        new("SkuId", FocusColumnKind.Text),
        new("SkuPriceId", FocusColumnKind.Text),
        new("SkuMeter", FocusColumnKind.Text),
        new("SkuPriceDetails", FocusColumnKind.Json),
        new("ChargeCategory", FocusColumnKind.Enumeration, Mandatory: true, AllowedValues: ChargeCategories),
        new("ChargeClass", FocusColumnKind.Enumeration, Mandatory: true, AllowedValues: ChargeClasses),
        new("ChargeDescription", FocusColumnKind.Text, Mandatory: true),
        new("ChargeFrequency", FocusColumnKind.Text),
        new("PricingCategory", FocusColumnKind.Enumeration, AllowedValues: PricingCategories),
        new("BilledCost", FocusColumnKind.Number, Mandatory: true),
        new("EffectiveCost", FocusColumnKind.Number, Mandatory: true),
        new("ListCost", FocusColumnKind.Number, Mandatory: true),
        new("ContractedCost", FocusColumnKind.Number, Mandatory: true),
        new("BillingCurrency", FocusColumnKind.Currency, Mandatory: true),
        new("ListUnitPrice", FocusColumnKind.Number),
        new("ContractedUnitPrice", FocusColumnKind.Number),
        new("PricingQuantity", FocusColumnKind.Number, Mandatory: true),
        new("PricingUnit", FocusColumnKind.Text, Mandatory: true),
        new("ConsumedQuantity", FocusColumnKind.Number),
        new("ConsumedUnit", FocusColumnKind.Text),
        new("PricingCurrency", FocusColumnKind.Currency),
        new("PricingCurrencyContractedUnitPrice", FocusColumnKind.Number),
        new("PricingCurrencyEffectiveCost", FocusColumnKind.Number),
        new("PricingCurrencyListUnitPrice", FocusColumnKind.Number),
        new("CommitmentDiscountId", FocusColumnKind.Text),
        new("CommitmentDiscountName", FocusColumnKind.Text),
        new("CommitmentDiscountCategory", FocusColumnKind.Text),
        new("CommitmentDiscountType", FocusColumnKind.Text),
        new("CommitmentDiscountStatus", FocusColumnKind.Text),
        new("CommitmentDiscountQuantity", FocusColumnKind.Number),
        new("CommitmentDiscountUnit", FocusColumnKind.Text),
        new("CapacityReservationId", FocusColumnKind.Text),
        new("CapacityReservationStatus", FocusColumnKind.Text),
        new("AllocatedMethodId", FocusColumnKind.Text),
        new("AllocatedMethodDetails", FocusColumnKind.Json),
        new("AllocatedResourceId", FocusColumnKind.Text),
        new("AllocatedResourceName", FocusColumnKind.Text),
        new("AllocatedTags", FocusColumnKind.KeyValue),
        new("ContractApplied", FocusColumnKind.Json),
        new("Tags", FocusColumnKind.KeyValue),
    ]);

    /// <summary>Columns by name, case-insensitively, as the specification's readers match them.</summary>
    public static readonly FrozenDictionary<string, FocusColumn> ByName =
        Columns.ToFrozenDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Column pairs where either satisfies a mandatory requirement: FOCUS 1.3 renamed ProviderName to ServiceProviderName
    /// and PublisherName to HostProviderName, and 1.4 dropped the old names.
    /// </summary>
    public static readonly IReadOnlyList<(string Old, string New)> RenamedMandatory =
    [
        ("ProviderName", "ServiceProviderName"),
        ("PublisherName", "HostProviderName"),
    ];

    /// <summary>Prefix of custom columns the specification reserves for providers; other unknown columns are dropped.</summary>
    public const string CustomColumnPrefix = "x_";

    public static int CountOf(FocusColumnKind kind) => Columns.Count(c => c.Kind == kind);

    public static FocusColumn Get(string name) => ByName[name];

    /// <summary>The FOCUS versions whose column set matches the header: for the conformance report.</summary>
    public static string DescribeVersion(IReadOnlyCollection<string> headerNames)
    {
        ArgumentNullException.ThrowIfNull(headerNames);
        var names = new HashSet<string>(headerNames, StringComparer.OrdinalIgnoreCase);
        var hasOld = names.Contains("ProviderName");
        var hasNew = names.Contains("ServiceProviderName");
        return (hasOld, hasNew) switch
        {
            (true, true) => "1.3",
            (false, true) => "1.4 or later",
            _ when names.Contains("PricingCurrency") || names.Contains("BillingAccountType") => "1.2",
            _ when names.Contains("ServiceSubcategory") || names.Contains("SkuPriceDetails") || names.Contains("CapacityReservationId") => "1.1",
            _ => "1.0",
        };
    }

    private static FrozenDictionary<string, string> Canonical(params string[] values) =>
        values.ToFrozenDictionary(v => v, v => v, StringComparer.OrdinalIgnoreCase);

    private static FocusColumn[] Number(FocusColumn[] columns)
    {
        foreach (var group in columns.GroupBy(c => c.Kind switch
                 {
                     FocusColumnKind.Currency or FocusColumnKind.Enumeration or FocusColumnKind.Json => FocusColumnKind.Text,
                     var k => k,
                 }))
        {
            var slot = 0;
            foreach (var column in group)
            {
                column.Slot = slot++;
            }
        }

        return columns;
    }
}
