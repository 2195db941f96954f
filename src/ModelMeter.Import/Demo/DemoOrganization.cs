namespace ModelMeter.Import.Demo;

/// <summary>How often a demo resource emits a line item.</summary>
internal enum DemoGrain
{
    Hour,
    Day,
    Month,
}

/// <summary>
/// One billable thing of the demo organisation. <see cref="Quantity"/> gives the usage in its pricing unit for the
/// charge period starting at the given hour index of the month (0-based), or 0 when nothing is billed.
/// </summary>
internal sealed record DemoResource
{
    public required string ResourceId { get; init; }

    public required string ResourceName { get; init; }

    public required string ResourceType { get; init; }

    public required string ServiceName { get; init; }

    public required string ServiceCategory { get; init; }

    public required DemoAccount Account { get; init; }

    public string RegionId { get; init; } = "us-east-1";

    public string? AvailabilityZone { get; init; }

    public required string SkuId { get; init; }

    public required string PricingUnit { get; init; }

    /// <summary>List (on-demand) price per pricing unit.</summary>
    public required decimal ListUnitPrice { get; init; }

    /// <summary>What is billed per unit: the list price, or less for spot; zero where a commitment covers it.</summary>
    public decimal? BilledUnitPrice { get; init; }

    /// <summary>The cost per unit after discounts and amortised commitments; defaults to the billed price.</summary>
    public decimal? EffectiveUnitPrice { get; init; }

    public string PricingCategory { get; init; } = "Standard";

    public string ChargeCategory { get; init; } = "Usage";

    public string? CommitmentDiscountId { get; init; }

    public required string ChargeDescription { get; init; }

    /// <summary>The tags as a FOCUS JSON object, or null for an untagged resource.</summary>
    public string? Tags { get; init; }

    public DemoGrain Grain { get; init; } = DemoGrain.Hour;

    public required Func<int, decimal> Quantity { get; init; }

    public string? Waste { get; init; }

    /// <summary>
    /// The recommendation rule that should find the planted waste, and the monthly saving it should yield from the
    /// planted numbers: a function of the month's billed cost of the resource and the month's hours (730-hour months).
    /// </summary>
    public (string Rule, Func<decimal, int, decimal> Saving)? Planted { get; init; }
}

internal sealed record DemoAccount(string Id, string Name);
