using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Native;

/// <summary>The <see cref="LineItemRow"/> slot of each FOCUS column a mapper fills, looked up once.</summary>
internal static class FocusSlots
{
    // Text-like columns (LineItemRow.Text).
    public static readonly int BillingAccountId = Slot("BillingAccountId");
    public static readonly int BillingAccountName = Slot("BillingAccountName");
    public static readonly int SubAccountId = Slot("SubAccountId");
    public static readonly int SubAccountName = Slot("SubAccountName");
    public static readonly int ProviderName = Slot("ProviderName");
    public static readonly int PublisherName = Slot("PublisherName");
    public static readonly int InvoiceIssuerName = Slot("InvoiceIssuerName");
    public static readonly int InvoiceId = Slot("InvoiceId");
    public static readonly int ServiceName = Slot("ServiceName");
    public static readonly int ServiceCategory = Slot("ServiceCategory");
    public static readonly int ResourceId = Slot("ResourceId");
    public static readonly int ResourceName = Slot("ResourceName");
    public static readonly int ResourceType = Slot("ResourceType");
    public static readonly int RegionId = Slot("RegionId");
    public static readonly int RegionName = Slot("RegionName");
    public static readonly int AvailabilityZone = Slot("AvailabilityZone");
    public static readonly int SkuId = Slot("SkuId");
    public static readonly int SkuPriceId = Slot("SkuPriceId");
    public static readonly int SkuMeter = Slot("SkuMeter");
    public static readonly int ChargeCategory = Slot("ChargeCategory");
    public static readonly int ChargeClass = Slot("ChargeClass");
    public static readonly int ChargeDescription = Slot("ChargeDescription");
    public static readonly int ChargeFrequency = Slot("ChargeFrequency");
    public static readonly int PricingCategory = Slot("PricingCategory");
    public static readonly int BillingCurrency = Slot("BillingCurrency");
    public static readonly int PricingUnit = Slot("PricingUnit");
    public static readonly int ConsumedUnit = Slot("ConsumedUnit");
    public static readonly int CommitmentDiscountId = Slot("CommitmentDiscountId");
    public static readonly int CommitmentDiscountName = Slot("CommitmentDiscountName");
    public static readonly int CommitmentDiscountCategory = Slot("CommitmentDiscountCategory");
    public static readonly int CommitmentDiscountType = Slot("CommitmentDiscountType");
    public static readonly int CommitmentDiscountStatus = Slot("CommitmentDiscountStatus");

    // Numbers (LineItemRow.Decimals).
    public static readonly int BilledCost = Slot("BilledCost");
    public static readonly int EffectiveCost = Slot("EffectiveCost");
    public static readonly int ListCost = Slot("ListCost");
    public static readonly int ContractedCost = Slot("ContractedCost");
    public static readonly int ListUnitPrice = Slot("ListUnitPrice");
    public static readonly int ContractedUnitPrice = Slot("ContractedUnitPrice");
    public static readonly int PricingQuantity = Slot("PricingQuantity");
    public static readonly int ConsumedQuantity = Slot("ConsumedQuantity");

    // Instants (LineItemRow.Timestamps).
    public static readonly int BillingPeriodStart = Slot("BillingPeriodStart");
    public static readonly int BillingPeriodEnd = Slot("BillingPeriodEnd");
    public static readonly int ChargePeriodStart = Slot("ChargePeriodStart");
    public static readonly int ChargePeriodEnd = Slot("ChargePeriodEnd");

    // Maps (LineItemRow.KeyValues).
    public static readonly int Tags = Slot("Tags");

    private static int Slot(string column) => FocusSchema.Get(column).Slot;
}
