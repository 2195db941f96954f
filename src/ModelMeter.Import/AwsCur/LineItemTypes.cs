namespace ModelMeter.Import.AwsCur;

/// <summary>The CUR's <c>line_item_line_item_type</c> values the mapping treats apart.</summary>
internal enum LineItemType
{
    Other,
    Usage,
    DiscountedUsage,
    SavingsPlanCoveredUsage,
    SavingsPlanNegation,
    SavingsPlanRecurringFee,
    SavingsPlanUpfrontFee,
    RIFee,
    Fee,
    Tax,
    Credit,
    Refund,
    Discount,
}

/// <summary>What each line item type becomes in FOCUS: its ChargeCategory and ChargeFrequency.</summary>
internal static class LineItemTypes
{
    public static LineItemType Parse(string? text) => text switch
    {
        "Usage" => LineItemType.Usage,
        "DiscountedUsage" => LineItemType.DiscountedUsage,
        "SavingsPlanCoveredUsage" => LineItemType.SavingsPlanCoveredUsage,
        "SavingsPlanNegation" => LineItemType.SavingsPlanNegation,
        "SavingsPlanRecurringFee" => LineItemType.SavingsPlanRecurringFee,
        "SavingsPlanUpfrontFee" => LineItemType.SavingsPlanUpfrontFee,
        "RIFee" => LineItemType.RIFee,
        "Fee" => LineItemType.Fee,
        "Tax" => LineItemType.Tax,
        "Credit" => LineItemType.Credit,
        "Refund" => LineItemType.Refund,
        // Negotiated and bundled discounts are rows of their own when the report has them as line items.
        "EdpDiscount" or "PrivateRateDiscount" or "BundledDiscount" or "Discount" or "RiVolumeDiscount" or "DistributorDiscount" or "SppDiscount" => LineItemType.Discount,
        _ => LineItemType.Other,
    };

    /// <summary>
    /// Usage and its commitment rows are Usage; fees (reservation and savings plan fees included) are Purchase; tax is Tax;
    /// credits, refunds and discounts reduce the bill and are Credit. A type this version does not know is stored as
    /// written, so the conformance report names it rather than the row being put in a wrong category.
    /// </summary>
    public static string? ChargeCategory(LineItemType type, string? text) => type switch
    {
        LineItemType.Usage or LineItemType.DiscountedUsage or LineItemType.SavingsPlanCoveredUsage or LineItemType.SavingsPlanNegation => "Usage",
        LineItemType.Fee or LineItemType.RIFee or LineItemType.SavingsPlanRecurringFee or LineItemType.SavingsPlanUpfrontFee => "Purchase",
        LineItemType.Tax => "Tax",
        LineItemType.Credit or LineItemType.Refund or LineItemType.Discount => "Credit",
        _ => text,
    };

    public static string? Frequency(LineItemType type) => type switch
    {
        LineItemType.Usage or LineItemType.DiscountedUsage or LineItemType.SavingsPlanCoveredUsage or LineItemType.SavingsPlanNegation or LineItemType.Discount => "Usage-Based",
        LineItemType.RIFee or LineItemType.SavingsPlanRecurringFee or LineItemType.Tax => "Recurring",
        LineItemType.Fee or LineItemType.SavingsPlanUpfrontFee or LineItemType.Credit or LineItemType.Refund => "One-Time",
        _ => null,
    };
}
