using System.Text.Json;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.AwsCur;

/// <summary>
/// Maps one CUR file's rows (CUR 2.0, legacy CUR with <c>lineItem/UnblendedCost</c> names, or legacy CUR's snake-case
/// Athena/Parquet names) onto FOCUS line items. The rules, column by column, are in docs/mapping-aws-cur.md; in short:
/// BilledCost is <c>line_item_unblended_cost</c> (so the bill adds up as AWS's invoice does: unblended cost plus credits,
/// refunds and tax, which are rows of their own); EffectiveCost amortises reservations and savings plans as AWS's
/// amortized cost does (covered usage at its effective cost, the unused part on the fee rows, the upfront fees and the
/// negations at zero); ChargePeriod is the row's own <c>line_item_usage_start_date</c>/<c>_end_date</c>, never
/// <c>identity_time_interval</c>, which is a whole day even on hourly reports.
/// </summary>
internal sealed class CurMapper : ExportMapper
{
    private const string Provider = "AWS";
    private const string SavingsPlan = "Savings Plan";
    private const string Reservation = "Reservation";

    // Columns the mapping cannot do without, in CUR 2.0 spelling, with their legacy names for the message.
    private static readonly (string Name, string Legacy)[] Required =
    [
        ("bill_payer_account_id", "bill/PayerAccountId"),
        ("bill_billing_period_start_date", "bill/BillingPeriodStartDate"),
        ("bill_billing_period_end_date", "bill/BillingPeriodEndDate"),
        ("line_item_line_item_type", "lineItem/LineItemType"),
        ("line_item_usage_start_date", "lineItem/UsageStartDate"),
        ("line_item_usage_end_date", "lineItem/UsageEndDate"),
        ("line_item_unblended_cost", "lineItem/UnblendedCost"),
        ("line_item_currency_code", "lineItem/CurrencyCode"),
    ];

    private static readonly HashSet<string> Read = new(StringComparer.Ordinal)
    {
        "bill_payer_account_id", "bill_payer_account_name", "bill_billing_period_start_date", "bill_billing_period_end_date",
        "bill_invoice_id", "bill_billing_entity", "line_item_usage_account_id", "line_item_usage_account_name", "line_item_line_item_type",
        "line_item_usage_start_date", "line_item_usage_end_date", "line_item_product_code", "line_item_usage_type", "line_item_operation",
        "line_item_availability_zone", "line_item_resource_id", "line_item_usage_amount", "line_item_currency_code",
        "line_item_unblended_rate", "line_item_unblended_cost", "line_item_net_unblended_rate", "line_item_net_unblended_cost",
        "line_item_line_item_description", "line_item_legal_entity", "product_product_name", "product_servicename", "product_region_code",
        "product_region", "product_location", "product_product_family", "product_sku", "product", "pricing_term", "pricing_unit",
        "pricing_public_on_demand_cost", "pricing_public_on_demand_rate", "pricing_rate_id", "reservation_reservation_a_r_n",
        "reservation_effective_cost", "reservation_unused_amortized_upfront_fee_for_billing_period", "reservation_unused_recurring_fee",
        "savings_plan_savings_plan_a_r_n", "savings_plan_savings_plan_effective_cost", "savings_plan_total_commitment_to_date",
        "savings_plan_used_commitment", "resource_tags",
        // Read on purpose and not used: the day a row falls in. The row's own start and end give its hour.
        "identity_time_interval",
    };

    private readonly int _payer, _payerName, _billStart, _billEnd, _invoice, _billingEntity, _account, _accountName, _type;
    private readonly int _start, _end, _productCode, _usageType, _operation, _zone, _resource, _amount, _currency;
    private readonly int _rate, _unblended, _netRate, _netUnblended, _description, _legalEntity, _productName, _productMap;
    private readonly int _region, _location, _family, _sku, _term, _unit, _publicCost, _publicRate, _rateId;
    private readonly int _riArn, _riEffective, _riUnusedUpfront, _riUnusedRecurring, _spArn, _spEffective, _spCommitment, _spUsed;
    private readonly int _tagMap;
    private readonly int[] _tagFields;
    private readonly string[] _tagKeys;
    private readonly Dictionary<string, string?> _productNames = new(StringComparer.Ordinal);
    private char[] _tagKey = new char[256];

    public CurMapper(string file, IReadOnlyList<string> header, string lineWord)
        : this(file, header, [.. header.Select(CurColumns.Parse)], lineWord)
    {
    }

    private CurMapper(string file, IReadOnlyList<string> header, List<CurColumns.Column> columns, string lineWord)
        : base(file, header, columns.Select(c => c.Name).ToList(), lineWord)
    {
        var missing = Required.Where(r => !Has(r.Name)).Select(r => $"{r.Name} ({r.Legacy})").ToList();
        RequireColumns(file, "an AWS Cost and Usage Report", missing);
        Format = header.Any(h => h.Contains('/', StringComparison.Ordinal))
            ? "legacy CUR"
            : Has("resource_tags") || Has("product") || Has("bill_payer_account_name") ? "CUR 2.0" : "legacy CUR (Athena column names)";
        Ignored = header.Where((_, i) => columns[i] is { TagKey: null, Name: var n } && !Read.Contains(n)).ToList();
        _tagFields = Enumerable.Range(0, columns.Count).Where(i => columns[i].TagKey is not null).ToArray();
        _tagKeys = _tagFields.Select(i => columns[i].TagKey!).ToArray();

        _payer = Field("bill_payer_account_id");
        _payerName = Field("bill_payer_account_name");
        _billStart = Field("bill_billing_period_start_date");
        _billEnd = Field("bill_billing_period_end_date");
        _invoice = Field("bill_invoice_id");
        _billingEntity = Field("bill_billing_entity");
        _account = Field("line_item_usage_account_id");
        _accountName = Field("line_item_usage_account_name");
        _type = Field("line_item_line_item_type");
        _start = Field("line_item_usage_start_date");
        _end = Field("line_item_usage_end_date");
        _productCode = Field("line_item_product_code");
        _usageType = Field("line_item_usage_type");
        _operation = Field("line_item_operation");
        _zone = Field("line_item_availability_zone");
        _resource = Field("line_item_resource_id");
        _amount = Field("line_item_usage_amount");
        _currency = Field("line_item_currency_code");
        _rate = Field("line_item_unblended_rate");
        _unblended = Field("line_item_unblended_cost");
        _netRate = Field("line_item_net_unblended_rate");
        _netUnblended = Field("line_item_net_unblended_cost");
        _description = Field("line_item_line_item_description");
        _legalEntity = Field("line_item_legal_entity");
        _productName = Field("product_product_name", "product_servicename");
        _productMap = Field("product");
        _region = Field("product_region_code", "product_region");
        _location = Field("product_location");
        _family = Field("product_product_family");
        _sku = Field("product_sku");
        _term = Field("pricing_term");
        _unit = Field("pricing_unit");
        _publicCost = Field("pricing_public_on_demand_cost");
        _publicRate = Field("pricing_public_on_demand_rate");
        _rateId = Field("pricing_rate_id");
        _riArn = Field("reservation_reservation_a_r_n");
        _riEffective = Field("reservation_effective_cost");
        _riUnusedUpfront = Field("reservation_unused_amortized_upfront_fee_for_billing_period");
        _riUnusedRecurring = Field("reservation_unused_recurring_fee");
        _spArn = Field("savings_plan_savings_plan_a_r_n");
        _spEffective = Field("savings_plan_savings_plan_effective_cost");
        _spCommitment = Field("savings_plan_total_commitment_to_date");
        _spUsed = Field("savings_plan_used_commitment");
        _tagMap = Field("resource_tags");
    }

    public override string Format { get; }

    protected override void MapRecord(IFocusRecordSource source, LineItemRow row)
    {
        var typeText = Text(source, _type);
        var type = LineItemTypes.Parse(typeText);
        var unblended = Amount(source, _unblended);
        var currency = Currency(source, _currency);

        row.Timestamps[FocusSlots.BillingPeriodStart] = Instant(source, _billStart);
        row.Timestamps[FocusSlots.BillingPeriodEnd] = Instant(source, _billEnd);
        row.Timestamps[FocusSlots.ChargePeriodStart] = Instant(source, _start);
        row.Timestamps[FocusSlots.ChargePeriodEnd] = Instant(source, _end);
        NotNull(source, row.Timestamps[FocusSlots.BillingPeriodStart], _billStart);
        NotNull(source, row.Timestamps[FocusSlots.BillingPeriodEnd], _billEnd);
        NotNull(source, row.Timestamps[FocusSlots.ChargePeriodStart], _start);
        NotNull(source, row.Timestamps[FocusSlots.ChargePeriodEnd], _end);
        if (currency is null && !Failed)
        {
            Problem(_currency, null, "is empty; without a currency the cost cannot be totalled");
        }

        if (typeText is null)
        {
            Problem(_type, null, "is empty; the line item type says what kind of charge the row is");
        }

        // What the invoice charges: every row's unblended cost (credits, refunds, discounts and tax are rows of their own).
        var billed = unblended ?? 0m;
        var effective = Effective(source, type, billed);
        SetNumber(row, FocusSlots.BilledCost, billed);
        SetNumber(row, FocusSlots.EffectiveCost, effective);
        SetNumber(row, FocusSlots.ListCost, Amount(source, _publicCost) ?? billed);
        SetNumber(row, FocusSlots.ContractedCost, Amount(source, _netUnblended) ?? billed);
        SetProviderAmount(billed);
        row.Text[FocusSlots.BillingCurrency] = currency;

        var category = LineItemTypes.ChargeCategory(type, typeText);
        row.Text[FocusSlots.ChargeCategory] = category;
        row.Text[FocusSlots.ChargeClass] = type == LineItemType.Refund ? "Correction" : null;
        row.Text[FocusSlots.ChargeFrequency] = LineItemTypes.Frequency(type);
        row.Text[FocusSlots.ChargeDescription] = Text(source, _description);
        var usageOrPurchase = category is "Usage" or "Purchase";
        row.Text[FocusSlots.PricingCategory] = usageOrPurchase ? PricingCategory(source, type, category) : null;

        row.Text[FocusSlots.BillingAccountId] = Text(source, _payer);
        row.Text[FocusSlots.BillingAccountName] = Text(source, _payerName);
        row.Text[FocusSlots.SubAccountId] = Text(source, _account);
        row.Text[FocusSlots.SubAccountName] = Text(source, _accountName);
        row.Text[FocusSlots.InvoiceId] = Text(source, _invoice);
        row.Text[FocusSlots.ProviderName] = Provider;
        row.Text[FocusSlots.InvoiceIssuerName] = Provider;
        row.Text[FocusSlots.PublisherName] = string.Equals(Text(source, _billingEntity), "AWS Marketplace", StringComparison.OrdinalIgnoreCase)
            ? Text(source, _legalEntity) ?? Provider
            : Provider;

        var productCode = Text(source, _productCode);
        row.Text[FocusSlots.ServiceName] = Text(source, _productName) ?? ProductNameFromMap(source) ?? productCode;
        row.Text[FocusSlots.ServiceCategory] = ServiceCategories.Of(ServiceCategories.Aws, productCode);
        var resource = Text(source, _resource);
        row.Text[FocusSlots.ResourceId] = resource;
        row.Text[FocusSlots.ResourceType] = resource is null ? null : Text(source, _family);
        var region = Text(source, _region);
        row.Text[FocusSlots.RegionId] = region;
        row.Text[FocusSlots.RegionName] = region is null ? null : Text(source, _location) ?? region;
        row.Text[FocusSlots.AvailabilityZone] = Text(source, _zone);

        if (usageOrPurchase)
        {
            row.Text[FocusSlots.SkuId] = Text(source, _sku);
            row.Text[FocusSlots.SkuPriceId] = Text(source, _rateId);
            SetNumber(row, FocusSlots.PricingQuantity, Amount(source, _amount));
            row.Text[FocusSlots.PricingUnit] = Text(source, _unit);
            SetNumber(row, FocusSlots.ListUnitPrice, Amount(source, _publicRate));
            SetNumber(row, FocusSlots.ContractedUnitPrice, Amount(source, _netRate) ?? Amount(source, _rate));
        }

        if (category == "Usage")
        {
            SetNumber(row, FocusSlots.ConsumedQuantity, Amount(source, _amount));
            row.Text[FocusSlots.ConsumedUnit] = Text(source, _unit);
        }

        Commitment(source, row, type, category);
        Tags(source, row);
        row.Custom.Add("x_LineItemType", typeText);
        if (Text(source, _usageType) is { } usageType)
        {
            row.Custom.Add("x_UsageType", usageType);
        }

        if (Text(source, _operation) is { } operation)
        {
            row.Custom.Add("x_Operation", operation);
        }
    }

    /// <summary>AWS's amortized cost: what each row costs with reservations and savings plans spread over the usage they cover.</summary>
    private decimal Effective(IFocusRecordSource source, LineItemType type, decimal unblended) => type switch
    {
        LineItemType.SavingsPlanCoveredUsage => Needed(source, _spEffective),
        // The part of the period's commitment no usage drew on.
        LineItemType.SavingsPlanRecurringFee => Needed(source, _spCommitment) - Needed(source, _spUsed),
        // Negations cancel the covered usage's on-demand cost; upfront fees are spread over the covered usage.
        LineItemType.SavingsPlanNegation or LineItemType.SavingsPlanUpfrontFee => 0m,
        LineItemType.DiscountedUsage => Needed(source, _riEffective),
        // The reservation's unused hours, upfront share and recurring share.
        LineItemType.RIFee => (Amount(source, _riUnusedUpfront) ?? 0m) + (Amount(source, _riUnusedRecurring) ?? 0m),
        // A reservation's upfront fee is spread over the usage it covers.
        LineItemType.Fee when !IsNull(source, _riArn) => 0m,
        _ => unblended,
    };

    /// <summary>An amount the row's type needs to be amortised: a problem when the column is missing or empty.</summary>
    private decimal Needed(IFocusRecordSource source, int field)
    {
        if (field < 0)
        {
            Problem(-1, null, "needs the savings plan and reservation columns (savings_plan_savings_plan_effective_cost, reservation_effective_cost ...) to amortise this row's commitment; include them in the report");
            return 0m;
        }

        if (IsNull(source, field))
        {
            Problem(field, null, "is empty; the row's line item type needs it to compute EffectiveCost");
            return 0m;
        }

        return Amount(source, field) ?? 0m;
    }

    private string PricingCategory(IFocusRecordSource source, LineItemType type, string? category)
    {
        if (category == "Purchase")
        {
            return "Standard";
        }

        if (type is LineItemType.DiscountedUsage or LineItemType.SavingsPlanCoveredUsage or LineItemType.SavingsPlanNegation)
        {
            return "Committed";
        }

        var term = Span(source, _term);
        if (term.Equals("Reserved", StringComparison.OrdinalIgnoreCase))
        {
            return "Committed";
        }

        if (term.Equals("Spot", StringComparison.OrdinalIgnoreCase) || Span(source, _usageType).Contains("SpotUsage", StringComparison.OrdinalIgnoreCase))
        {
            return "Dynamic";
        }

        return "Standard";
    }

    private void Commitment(IFocusRecordSource source, LineItemRow row, LineItemType type, string? category)
    {
        string? id;
        string kind, discountCategory;
        switch (type)
        {
            case LineItemType.SavingsPlanCoveredUsage or LineItemType.SavingsPlanNegation or LineItemType.SavingsPlanRecurringFee or LineItemType.SavingsPlanUpfrontFee:
                id = Text(source, _spArn);
                (kind, discountCategory) = (SavingsPlan, "Spend");
                break;
            case LineItemType.DiscountedUsage or LineItemType.RIFee or LineItemType.Fee:
                id = Text(source, _riArn);
                (kind, discountCategory) = (Reservation, "Usage");
                break;
            default:
                return;
        }

        if (id is null)
        {
            return;
        }

        row.Text[FocusSlots.CommitmentDiscountId] = id;
        row.Text[FocusSlots.CommitmentDiscountType] = kind;
        row.Text[FocusSlots.CommitmentDiscountCategory] = discountCategory;
        row.Text[FocusSlots.CommitmentDiscountStatus] = category == "Usage" ? "Used" : null;
    }

    /// <summary>The resource's tags: CUR 2.0's <c>resource_tags</c> map and legacy tag columns, keys with their namespace.</summary>
    private void Tags(IFocusRecordSource source, LineItemRow row)
    {
        if (_tagFields.Length == 0)
        {
            if (!IsNull(source, _tagMap))
            {
                SetTags(row, Span(source, _tagMap), _tagMap, ParseMap);
            }

            return;
        }

        // Legacy columns (and a map, if both are there): the row's values joined are the cache key of its tag set.
        var length = 0;
        var map = IsNull(source, _tagMap) ? default : Span(source, _tagMap);
        Append(ref length, map);
        foreach (var field in _tagFields)
        {
            Append(ref length, "\u001f");
            Append(ref length, Span(source, field));
        }

        SetTags(row, _tagKey.AsSpan(0, length), _tagMap, _ => Build(source));
    }

    private ParsedKeyValues Build(IFocusRecordSource source)
    {
        var map = IsNull(source, _tagMap) ? default : Span(source, _tagMap);
        var pairs = new List<(string Key, string? Value)>();
        if (!map.IsEmpty)
        {
            var parsed = ParseMap(new string(map));
            if (parsed.Error is not null)
            {
                return parsed;
            }

            pairs.AddRange(parsed.Pairs.Keys.Zip(parsed.Pairs.Values));
        }

        for (var i = 0; i < _tagFields.Length; i++)
        {
            var value = Span(source, _tagFields[i]);
            if (!value.IsEmpty)
            {
                pairs.Add((_tagKeys[i], new string(value)));
            }
        }

        return ParsedKeyValues.Of(pairs);
    }

    /// <summary>A CUR 2.0 <c>resource_tags</c> map (JSON in CSV, a MAP in Parquet), keys given their namespace back.</summary>
    private static ParsedKeyValues ParseMap(string text)
    {
        var parsed = ParsedKeyValues.Parse(text);
        if (parsed.Error is not null)
        {
            return text.Contains('=', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal)
                ? ParsedKeyValues.Invalid("is a map written as {key=value} (as Athena prints one), not JSON; export the report from AWS Data Exports, which writes resource_tags as JSON")
                : parsed;
        }

        return ParsedKeyValues.Of(parsed.Pairs.Keys.Select(CurColumns.TagKeyOf).Zip(parsed.Pairs.Values));
    }

    /// <summary>CUR 2.0's <c>product</c> map holds the service's name when the report has no product_product_name column.</summary>
    private string? ProductNameFromMap(IFocusRecordSource source)
    {
        if (Text(source, _productMap) is not { } text)
        {
            return null;
        }

        if (_productNames.TryGetValue(text, out var cached))
        {
            return cached;
        }

        string? found = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            found = document.RootElement.ValueKind == JsonValueKind.Object
                && (document.RootElement.TryGetProperty("product_name", out var name) || document.RootElement.TryGetProperty("servicename", out name))
                && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (JsonException)
        {
            // Not a map: the service is named by its product code.
        }

        if (_productNames.Count > 10_000)
        {
            _productNames.Clear();
        }

        _productNames[text] = found;
        return found;
    }

    private void NotNull(IFocusRecordSource source, DateTime? value, int field)
    {
        if (value is null && IsNull(source, field))
        {
            Problem(field, null, "is empty; without it the cost has no period to be reported in");
        }
    }

    private void Append(ref int length, ReadOnlySpan<char> text)
    {
        if (length + text.Length > _tagKey.Length)
        {
            Array.Resize(ref _tagKey, Math.Max(_tagKey.Length * 2, length + text.Length));
        }

        text.CopyTo(_tagKey.AsSpan(length));
        length += text.Length;
    }
}
