using System.Collections.Frozen;

namespace ModelMeter.Core.Billing;

/// <summary>
/// The FOCUS requirements the importer checks on every row, in one table. A value that cannot be read at all (a cost
/// that is not a number, a date that is not a date, tags that are not a JSON object, a currency that is not three
/// letters) refuses the file; a readable value that breaks one of these rules is imported as written and reported.
/// <para>
/// Source: the FOCUS specification's column requirements (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec,
/// <c>specification/columns/*.md</c>, sections "Content constraints" and the requirement lists) for versions 1.0 to
/// 1.4. Rule ids and texts are those of the FOCUS validator's 1.2 model (finopsfoundation/focus_validator,
/// <c>focus_validator/rules/model-1.2.json</c>); where a version states a requirement the validator does not model
/// (1.0's PricingUnit and ConsumedQuantity wording, 1.3's ServiceProviderName, the period order) the id is ModelMeter's
/// own, <c>Column.Requirement</c>. Rules that need knowledge outside the row ("when the provider supports ...", "when
/// the purchase covers future charges", unit price × quantity = cost) are not checked.
/// </para>
/// </summary>
public static class FocusConformanceRules
{
    /// <summary>
    /// Columns whose null makes a row unusable rather than non-conformant, so the file is refused: without its periods a
    /// cost cannot be placed in time (reports, restated bills) and without its currency it cannot be totalled.
    /// </summary>
    public static readonly IReadOnlyList<string> UnusableWhenNull =
        ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency"];

    /// <summary>How many line numbers a finding keeps, like the validator's sample of failing rows.</summary>
    public const int FirstLinesKept = 5;

    private static readonly FrozenSet<string> ChargeCategoryValues = Set("Usage", "Purchase", "Tax", "Credit", "Adjustment");
    private static readonly FrozenSet<string> ChargeFrequencyValues = Set("One-Time", "Recurring", "Usage-Based");
    private static readonly FrozenSet<string> PricingCategoryValues = Set("Standard", "Dynamic", "Committed", "Other");
    private static readonly FrozenSet<string> UsedOrUnused = Set("Used", "Unused");

    private static readonly FrozenSet<string> ServiceCategoryValues = Set(
        "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud",
        "Identity", "Integration", "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking",
        "Security", "Storage", "Web", "Other");

    /// <summary>ServiceSubcategory's allowed values and the one ServiceCategory each belongs to (FOCUS 1.1 and later).</summary>
    private static readonly FrozenDictionary<string, string> ServiceSubcategoryParents = Parents(
        ("AI and Machine Learning", ["AI Platforms", "Bots", "Generative AI", "Machine Learning", "Natural Language Processing", "Other (AI and Machine Learning)"]),
        ("Analytics", ["Analytics Platforms", "Business Intelligence", "Data Processing", "Search", "Streaming Analytics", "Other (Analytics)"]),
        ("Business Applications", ["Productivity and Collaboration", "Other (Business Applications)"]),
        ("Compute", ["Containers", "End User Computing", "Quantum Compute", "Serverless Compute", "Virtual Machines", "Other (Compute)"]),
        ("Databases", ["Caching", "Data Warehouses", "Ledger Databases", "NoSQL Databases", "Relational Databases", "Time Series Databases", "Other (Databases)"]),
        ("Developer Tools", ["Developer Platforms", "Continuous Integration and Deployment", "Development Environments", "Source Code Management", "Quality Assurance", "Other (Developer Tools)"]),
        ("Identity", ["Identity and Access Management", "Other (Identity)"]),
        ("Integration", ["API Management", "Messaging", "Workflow Orchestration", "Other (Integration)"]),
        ("Internet of Things", ["IoT Analytics", "IoT Platforms", "Other (Internet of Things)"]),
        ("Management and Governance", ["Architecture", "Compliance", "Cost Management", "Data Governance", "Disaster Recovery", "Endpoint Management", "Observability", "Support", "Other (Management and Governance)"]),
        ("Media", ["Content Creation", "Gaming", "Media Streaming", "Mixed Reality", "Other (Media)"]),
        ("Migration", ["Data Migration", "Resource Migration", "Other (Migration)"]),
        ("Mobile", ["Other (Mobile)"]),
        ("Multicloud", ["Multicloud Integration", "Other (Multicloud)"]),
        ("Networking", ["Application Networking", "Content Delivery", "Network Connectivity", "Network Infrastructure", "Network Routing", "Network Security", "Other (Networking)"]),
        ("Security", ["Secret Management", "Security Posture Management", "Threat Detection and Response", "Other (Security)"]),
        ("Storage", ["Backup Storage", "Block Storage", "File Storage", "Object Storage", "Storage Platforms", "Other (Storage)"]),
        ("Web", ["Application Platforms", "Other (Web)"]),
        ("Other", ["Other (Other)"]));

    private const string NotCorrection = "ChargeCategory is \"Usage\" or \"Purchase\" and ChargeClass is not \"Correction\"";

    /// <summary>Every rule, in report order: nulls, allowed values, then conditional requirements.</summary>
    public static readonly IReadOnlyList<FocusConformanceRule> All =
    [
        // Columns that MUST NOT be null on any row.
        NotNull("BilledCost-C-003-M", "BilledCost", FocusVersions.All),
        NotNull("EffectiveCost-C-003-M", "EffectiveCost", FocusVersions.All),
        NotNull("ListCost-C-003-M", "ListCost", FocusVersions.All),
        NotNull("ContractedCost-C-003-M", "ContractedCost", FocusVersions.All),
        NotNull("BillingAccountId-C-001-M", "BillingAccountId", FocusVersions.All),
        NotNull("ChargeCategory-C-002-M", "ChargeCategory", FocusVersions.All),
        NotNull("ChargeFrequency-C-002-M", "ChargeFrequency", FocusVersions.All),
        NotNull("InvoiceIssuerName-C-003-M", "InvoiceIssuerName", FocusVersions.All),
        NotNull("ProviderName-C-003-M", "ProviderName", FocusVersions.UpTo12),
        NotNull("PublisherName-C-003-M", "PublisherName", FocusVersions.UpTo12),
        NotNull("ServiceProviderName.NotNull", "ServiceProviderName", FocusVersions.From13),
        NotNull("ServiceName-C-003-M", "ServiceName", FocusVersions.All),
        NotNull("ServiceCategory-C-002-M", "ServiceCategory", FocusVersions.All),
        NotNull("ServiceSubcategory-C-002-M", "ServiceSubcategory", FocusVersions.From11),
        NotNull("PricingCurrency-C-004-M", "PricingCurrency", FocusVersions.From12),

        // Allowed values, in their exact FOCUS spelling: "usage-based" is not "Usage-Based".
        OneOf("ChargeCategory-C-003-M", "ChargeCategory", FocusVersions.All, ChargeCategoryValues),
        new("ChargeClass-C-005-C", "ChargeClass MUST be \"Correction\" when ChargeClass is not null.", FocusVersions.All,
            "ChargeClass", ConformanceCheck.OneOf, Values: Set("Correction")),
        OneOf("ChargeFrequency-C-003-M", "ChargeFrequency", FocusVersions.All, ChargeFrequencyValues),
        OneOf("PricingCategory-C-007-M", "PricingCategory", FocusVersions.All, PricingCategoryValues),
        OneOf("ServiceCategory-C-003-M", "ServiceCategory", FocusVersions.All, ServiceCategoryValues),
        OneOf("ServiceSubcategory-C-003-M", "ServiceSubcategory", FocusVersions.From11, ServiceSubcategoryParents.Keys.ToFrozenSet(StringComparer.Ordinal)),
        new("ServiceSubcategory-C-004-M", "ServiceSubcategory MUST have one and only one parent ServiceCategory as specified in the allowed values.",
            FocusVersions.From11, "ServiceSubcategory", ConformanceCheck.ParentIsOther, Other: "ServiceCategory", Parents: ServiceSubcategoryParents),
        OneOf("CommitmentDiscountCategory-C-005-M", "CommitmentDiscountCategory", FocusVersions.All, Set("Spend", "Usage")),
        // The validator's 1.2 model lists Active/Expired/Pending here; the specification's allowed values are Used and Unused.
        OneOf("CommitmentDiscountStatus-C-005-M", "CommitmentDiscountStatus", FocusVersions.All, UsedOrUnused),
        OneOf("CapacityReservationStatus-C-006-M", "CapacityReservationStatus", FocusVersions.From11, UsedOrUnused),
        new("BillingCurrency-C-003-M", "BillingCurrency MUST conform to CurrencyFormat requirements (an ISO 4217 code such as USD).",
            FocusVersions.All, "BillingCurrency", ConformanceCheck.CurrencyFormat),
        new("PricingCurrency-C-003-M", "PricingCurrency MUST conform to CurrencyFormat requirements (an ISO 4217 code such as USD).",
            FocusVersions.From12, "PricingCurrency", ConformanceCheck.CurrencyFormat),

        // Charge kinds.
        new("ChargeFrequency-C-004-C", "ChargeFrequency MUST NOT be \"Usage-Based\" when ChargeCategory is \"Purchase\".", FocusVersions.All,
            "ChargeFrequency", ConformanceCheck.NotEqual, ConformanceCondition.ChargeCategoryIsPurchase, Values: Set("Usage-Based")),
        NullWhenTax("PricingCategory-C-003-C", "PricingCategory", FocusVersions.All),
        NotNullForUsageAndPurchase("PricingCategory-C-004-C", "PricingCategory", FocusVersions.All),
        NullWhenTax("PricingQuantity-C-004-C", "PricingQuantity", FocusVersions.All),
        NotNullForUsageAndPurchase("PricingQuantity-C-005-C", "PricingQuantity", FocusVersions.All),
        // 1.0 and 1.1 state PricingUnit's nulls by charge kind; 1.2 ties them to PricingQuantity.
        NullWhenTax("PricingUnit.NullWhenTax", "PricingUnit", FocusVersions.UpTo11),
        NotNullForUsageAndPurchase("PricingUnit.NotNullForUsageAndPurchase", "PricingUnit", FocusVersions.UpTo11),
        NullWhenOtherNull("PricingUnit-C-005-C", "PricingUnit", "PricingQuantity", FocusVersions.From12),
        NotNullWhenOtherNotNull("PricingUnit-C-006-C", "PricingUnit", "PricingQuantity", FocusVersions.From12),
        NullWhenTax("ListUnitPrice-C-004-C", "ListUnitPrice", FocusVersions.All),
        NotNullForUsageAndPurchase("ListUnitPrice-C-005-C", "ListUnitPrice", FocusVersions.All),
        NullWhenTax("ContractedUnitPrice-C-005-C", "ContractedUnitPrice", FocusVersions.All),
        NotNullForUsageAndPurchase("ContractedUnitPrice-C-006-C", "ContractedUnitPrice", FocusVersions.All),
        NullWhenTax("SkuId-C-004-C", "SkuId", FocusVersions.All),
        NotNullForUsageAndPurchase("SkuId-C-005-C", "SkuId", FocusVersions.All),
        NullWhenTax("SkuPriceId-C-004-C", "SkuPriceId", FocusVersions.All),
        NotNullForUsageAndPurchase("SkuPriceId-C-005-C", "SkuPriceId", FocusVersions.All),
        new("ConsumedQuantity.NullUnlessUsage", "ConsumedQuantity MUST be null for ChargeCategory values other than \"Usage\".", FocusVersions.Focus10,
            "ConsumedQuantity", ConformanceCheck.Null, ConformanceCondition.ChargeCategoryIsNotUsage),
        new("ConsumedQuantity.NotNullForUsage", "ConsumedQuantity MUST NOT be null if ChargeCategory is \"Usage\" and ChargeClass is not \"Correction\".",
            FocusVersions.Focus10, "ConsumedQuantity", ConformanceCheck.NotNull, ConformanceCondition.UsageNotCorrection),
        new("ConsumedQuantity-C-004-C", "ConsumedQuantity MUST be null when ChargeCategory is not \"Usage\", or when ChargeCategory is \"Usage\" and CommitmentDiscountStatus is \"Unused\".",
            FocusVersions.From11, "ConsumedQuantity", ConformanceCheck.Null, ConformanceCondition.NotUsageOrUnusedCommitment),
        new("ConsumedQuantity-C-006-C", "ConsumedQuantity MUST NOT be null when ChargeCategory is \"Usage\", CommitmentDiscountStatus is not \"Unused\" and ChargeClass is not \"Correction\".",
            FocusVersions.From11, "ConsumedQuantity", ConformanceCheck.NotNull, ConformanceCondition.UsageNotUnusedNotCorrection),
        NullWhenOtherNull("ConsumedUnit-C-005-C", "ConsumedUnit", "ConsumedQuantity", FocusVersions.From12),
        NotNullWhenOtherNotNull("ConsumedUnit-C-006-C", "ConsumedUnit", "ConsumedQuantity", FocusVersions.From12),

        // Columns that describe another column's value exist exactly when it does.
        NullWhenOtherNull("CommitmentDiscountCategory-C-003-C", "CommitmentDiscountCategory", "CommitmentDiscountId", FocusVersions.All),
        NotNullWhenOtherNotNull("CommitmentDiscountCategory-C-004-C", "CommitmentDiscountCategory", "CommitmentDiscountId", FocusVersions.All),
        NullWhenOtherNull("CommitmentDiscountType-C-004-C", "CommitmentDiscountType", "CommitmentDiscountId", FocusVersions.All),
        NotNullWhenOtherNotNull("CommitmentDiscountType-C-005-C", "CommitmentDiscountType", "CommitmentDiscountId", FocusVersions.All),
        NullWhenOtherNull("CommitmentDiscountName-C-004-C", "CommitmentDiscountName", "CommitmentDiscountId", FocusVersions.All),
        NullWhenOtherNull("CommitmentDiscountStatus-C-003-C", "CommitmentDiscountStatus", "CommitmentDiscountId", FocusVersions.All),
        new("CommitmentDiscountStatus-C-004-C", "CommitmentDiscountStatus MUST NOT be null when CommitmentDiscountId is not null and ChargeCategory is \"Usage\".",
            FocusVersions.All, "CommitmentDiscountStatus", ConformanceCheck.NotNull, ConformanceCondition.OtherIsNotNullAndUsage, Other: "CommitmentDiscountId"),
        NullWhenOtherNull("CommitmentDiscountUnit-C-005-C", "CommitmentDiscountUnit", "CommitmentDiscountQuantity", FocusVersions.From12),
        NotNullWhenOtherNotNull("CommitmentDiscountUnit-C-006-C", "CommitmentDiscountUnit", "CommitmentDiscountQuantity", FocusVersions.From12),
        NullWhenOtherNull("CapacityReservationStatus-C-003-C", "CapacityReservationStatus", "CapacityReservationId", FocusVersions.From11),
        new("CapacityReservationStatus-C-004-C", "CapacityReservationStatus MUST NOT be null when CapacityReservationId is not null and ChargeCategory is \"Usage\".",
            FocusVersions.From11, "CapacityReservationStatus", ConformanceCheck.NotNull, ConformanceCondition.OtherIsNotNullAndUsage, Other: "CapacityReservationId"),
        NullWhenOtherNull("ResourceType-C-004-C", "ResourceType", "ResourceId", FocusVersions.All),
        NotNullWhenOtherNotNull("ResourceType-C-005-C", "ResourceType", "ResourceId", FocusVersions.All),
        NullWhenOtherNull("ResourceName-C-004-C", "ResourceName", "ResourceId", FocusVersions.All),
        NullWhenOtherNull("RegionName-C-004-C", "RegionName", "RegionId", FocusVersions.All),
        NotNullWhenOtherNotNull("RegionName-C-005-C", "RegionName", "RegionId", FocusVersions.All),
        NullWhenOtherNull("SubAccountName-C-004-C", "SubAccountName", "SubAccountId", FocusVersions.All),
        NotNullWhenOtherNotNull("SubAccountName-C-005-C", "SubAccountName", "SubAccountId", FocusVersions.All),
        NullWhenOtherNull("SubAccountType-C-004-C", "SubAccountType", "SubAccountId", FocusVersions.From12),
        NotNullWhenOtherNotNull("SubAccountType-C-005-C", "SubAccountType", "SubAccountId", FocusVersions.From12),
        NullWhenOtherNull("BillingAccountType-C-004-C", "BillingAccountType", "BillingAccountId", FocusVersions.From12),
        NotNullWhenOtherNotNull("BillingAccountType-C-005-C", "BillingAccountType", "BillingAccountId", FocusVersions.From12),
        NullWhenOtherNull("SkuMeter-C-004-C", "SkuMeter", "SkuId", FocusVersions.From11),
        NullWhenOtherNull("SkuPriceDetails-C-004-C", "SkuPriceDetails", "SkuPriceId", FocusVersions.From11),

        // Periods: the start is inclusive and the end exclusive (ChargePeriodEnd-C-004-M, BillingPeriodEnd-C-004-M), so an
        // end at or before its start is an empty or reversed period. The row still has a start to report it by.
        new("ChargePeriodEnd.AfterStart", "ChargePeriodEnd is the exclusive end bound of the charge period, so it MUST be after ChargePeriodStart.",
            FocusVersions.All, "ChargePeriodEnd", ConformanceCheck.AfterOther, Other: "ChargePeriodStart"),
        new("BillingPeriodEnd.AfterStart", "BillingPeriodEnd is the exclusive end bound of the billing period, so it MUST be after BillingPeriodStart.",
            FocusVersions.All, "BillingPeriodEnd", ConformanceCheck.AfterOther, Other: "BillingPeriodStart"),
    ];

    /// <summary>The version flag for what <see cref="FocusSchema.DescribeVersion"/> says of a header.</summary>
    public static FocusVersions VersionOf(string describedVersion) => describedVersion switch
    {
        "1.0" => FocusVersions.Focus10,
        "1.1" => FocusVersions.Focus11,
        "1.2" => FocusVersions.Focus12,
        "1.3" => FocusVersions.Focus13,
        _ => FocusVersions.Focus14,
    };

    private static FocusConformanceRule NotNull(string id, string column, FocusVersions versions) =>
        new(id, $"{column} MUST NOT be null.", versions, column, ConformanceCheck.NotNull);

    private static FocusConformanceRule OneOf(string id, string column, FocusVersions versions, FrozenSet<string> values) =>
        new(id, $"{column} MUST be one of the allowed values: {string.Join(", ", values.Order(StringComparer.Ordinal))}.", versions, column,
            ConformanceCheck.OneOf, Values: values);

    private static FocusConformanceRule NullWhenTax(string id, string column, FocusVersions versions) =>
        new(id, $"{column} MUST be null when ChargeCategory is \"Tax\".", versions, column, ConformanceCheck.Null, ConformanceCondition.ChargeCategoryIsTax);

    private static FocusConformanceRule NotNullForUsageAndPurchase(string id, string column, FocusVersions versions) =>
        new(id, $"{column} MUST NOT be null when {NotCorrection}.", versions, column, ConformanceCheck.NotNull, ConformanceCondition.UsageOrPurchaseNotCorrection);

    private static FocusConformanceRule NullWhenOtherNull(string id, string column, string other, FocusVersions versions) =>
        new(id, $"{column} MUST be null when {other} is null.", versions, column, ConformanceCheck.Null, ConformanceCondition.OtherIsNull, other);

    private static FocusConformanceRule NotNullWhenOtherNotNull(string id, string column, string other, FocusVersions versions) =>
        new(id, $"{column} MUST NOT be null when {other} is not null.", versions, column, ConformanceCheck.NotNull, ConformanceCondition.OtherIsNotNull, other);

    private static FrozenSet<string> Set(params string[] values) => values.ToFrozenSet(StringComparer.Ordinal);

    private static FrozenDictionary<string, string> Parents(params (string Category, string[] Subcategories)[] groups) =>
        groups.SelectMany(g => g.Subcategories.Select(s => (s, g.Category))).ToFrozenDictionary(p => p.s, p => p.Category, StringComparer.Ordinal);
}
