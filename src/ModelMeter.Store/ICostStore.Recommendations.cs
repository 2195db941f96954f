namespace ModelMeter.Store;

/// <summary>What the recommendation rules read from the bill (stated by CostStoreContract.Recommendations.cs).</summary>
public partial interface ICostStore
{
    /// <summary>
    /// Usage charges (ChargeCategory <c>Usage</c>) of named resources (a ResourceId that is not empty) whose charge
    /// period starts in [first, until), one row per UTC day of ChargePeriodStart × resource × currency: the quantity
    /// (ConsumedQuantity, else PricingQuantity) summed, its smallest and largest value on one line, the distinct charge
    /// periods, and EffectiveCost and ListCost summed. The descriptive columns (name, type, service, SKU, pricing
    /// category, region, zone, account, unit) are each the largest value seen that day, so a resource reads as one row.
    /// </summary>
    IReadOnlyList<ResourceDay> QueryResourceDays(DateTime first, DateTime until);
}

/// <summary>One resource's usage charges on one UTC day, in one currency.</summary>
/// <param name="ChargePeriods">Distinct ChargePeriodStart values: the hours billed, for an hourly bill.</param>
/// <param name="MinQuantity">The smallest quantity of one line (an hour's instance count on an hourly bill).</param>
/// <param name="MaxQuantity">The largest quantity of one line.</param>
public sealed record ResourceDay(
    DateOnly Day,
    string ResourceId,
    string Currency,
    string? ProviderName,
    string? ResourceName,
    string? ResourceType,
    string? ServiceName,
    string? ServiceCategory,
    string? SkuId,
    string? PricingCategory,
    string? RegionId,
    string? AvailabilityZone,
    string? SubAccountId,
    string? SubAccountName,
    string? PricingUnit,
    decimal Quantity,
    decimal MinQuantity,
    decimal MaxQuantity,
    long ChargePeriods,
    decimal EffectiveCost,
    decimal ListCost);
