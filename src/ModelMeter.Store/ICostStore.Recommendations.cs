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

    /// <summary>Every resource in the idle policy, by resource id.</summary>
    IReadOnlyList<Core.Recommendations.IdleState> IdleStates();

    /// <summary>
    /// Keeps the idle policy after a run in one transaction: each state in <paramref name="states"/> replaces the stored
    /// one of its resource unless the stored one was updated on a later day (the policy moves only forward), and the
    /// resources in <paramref name="left"/> leave the policy (used again).
    /// </summary>
    void SaveIdleStates(IReadOnlyList<Core.Recommendations.IdleState> states, IReadOnlyCollection<string> left);

    /// <summary>Every finding recorded for <c>recommend --history</c>, by finding id.</summary>
    IReadOnlyList<Core.Recommendations.FindingRecord> FindingRecords();

    /// <summary>
    /// Keeps findings in one transaction: each replaces the stored record with its finding id (the caller merges with
    /// <see cref="Core.Recommendations.FindingRecord.Merge"/> first).
    /// </summary>
    void SaveFindingRecords(IReadOnlyList<Core.Recommendations.FindingRecord> records);

    /// <summary>Appends what <c>recommend --exec</c> ran for one action: command, when, exit code.</summary>
    void RecordActionRun(Core.Recommendations.ActionRun run);

    /// <summary>Every action run, in the order they started (the order they were recorded for the same instant).</summary>
    IReadOnlyList<Core.Recommendations.ActionRun> ActionRuns();
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
