using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.GcpBilling;

/// <summary>
/// Maps the Google Cloud billing export (standard or detailed usage cost) onto FOCUS line items, as Google's own FOCUS
/// BigQuery view does: BilledCost and EffectiveCost are <c>cost</c> plus the row's credits (what Google invoices is
/// cost plus credits), ContractedCost is <c>cost</c>, ListCost <c>cost_at_list</c>; the billing period is
/// <c>invoice.month</c> in Pacific time (<see cref="InvoiceMonths"/>); <c>labels</c>, with the project's labels where
/// the resource has none of that key, are the tags. Column by column: docs/mapping-gcp-billing.md.
/// </summary>
internal sealed class GcpMapper : ExportMapper
{
    private const string Provider = "Google Cloud";

    private static readonly string[] Required = ["billing_account_id", "cost", "currency", "usage_start_time", "usage_end_time", "invoice.month"];

    private static readonly FrozenSet<string> CommittedUseCredits =
        new[] { "COMMITTED_USAGE_DISCOUNT", "COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly GcpRecordSource _source;
    private readonly JsonLinesRecordSource? _lines;
    private readonly int _account, _serviceId, _service, _skuId, _sku, _start, _end, _project, _projectName, _projectLabels, _labels;
    private readonly int _location, _region, _zone, _resourceName, _resourceGlobal, _cost, _costAtList, _currency, _usageAmount, _usageUnit;
    private readonly int _pricingAmount, _pricingUnit, _credits, _invoiceMonth, _costType, _effectivePrice, _tierStart, _priceUnit;
    private readonly int _priceQuantity, _adjustmentId, _adjustmentType, _adjustmentDescription, _adjustmentMode, _seller, _transaction, _subscription;
    private char[] _tagKey = new char[256];
    private (string? Text, int Year, int Month) _lastMonth;

    public GcpMapper(string file, GcpRecordSource source, JsonLinesRecordSource? lines)
        : base(file, GcpRecordSource.Paths, GcpRecordSource.Paths, source.LineWord)
    {
        _source = source;
        _lines = lines;
        var present = Enumerable.Range(0, GcpRecordSource.Paths.Count).Where(i => source.Locate(i).Column > 0).Select(i => GcpRecordSource.Paths[i]).ToHashSet(StringComparer.Ordinal);
        // A JSON line omits empty fields, so only a file with a header can be told it lacks a column.
        if (lines is null)
        {
            RequireColumns(file, "a Google Cloud billing export", [.. Required.Where(r => !present.Contains(r))]);
        }

        Format = lines is not null ? "BigQuery export (JSON lines)"
            : source.FileHeader.Any(h => h.Contains('.', StringComparison.Ordinal) || h.Equals("service", StringComparison.OrdinalIgnoreCase))
                ? "BigQuery export" : "BigQuery export (flattened columns)";
        _account = Field("billing_account_id");
        _serviceId = Field("service.id");
        _service = Field("service.description");
        _skuId = Field("sku.id");
        _sku = Field("sku.description");
        _start = Field("usage_start_time");
        _end = Field("usage_end_time");
        _project = Field("project.id");
        _projectName = Field("project.name");
        _projectLabels = Field("project.labels");
        _labels = Field("labels");
        _location = Field("location.location");
        _region = Field("location.region");
        _zone = Field("location.zone");
        _resourceName = Field("resource.name");
        _resourceGlobal = Field("resource.global_name");
        _cost = Field("cost");
        _costAtList = Field("cost_at_list");
        _currency = Field("currency");
        _usageAmount = Field("usage.amount");
        _usageUnit = Field("usage.unit");
        _pricingAmount = Field("usage.amount_in_pricing_units");
        _pricingUnit = Field("usage.pricing_unit");
        _credits = Field("credits");
        _invoiceMonth = Field("invoice.month");
        _costType = Field("cost_type");
        _effectivePrice = Field("price.effective_price");
        _tierStart = Field("price.tier_start_amount");
        _priceUnit = Field("price.unit");
        _priceQuantity = Field("price.pricing_unit_quantity");
        _adjustmentId = Field("adjustment_info.id");
        _adjustmentType = Field("adjustment_info.type");
        _adjustmentDescription = Field("adjustment_info.description");
        _adjustmentMode = Field("adjustment_info.mode");
        _seller = Field("seller_name");
        _transaction = Field("transaction_type");
        _subscription = Field("subscription.instance_id");
    }

    public override string Format { get; }

    public override IReadOnlyList<string> IgnoredColumns => _lines is not null
        ? [.. _lines.UnknownKeys.Order(StringComparer.Ordinal)]
        : [.. _source.FileHeader.Where((_, i) => !_source.Used.Contains(i))];

    protected override (int Column, string? Name) Locate(int field) => _source.Locate(field);

    protected override (int Fields, int Expected) FieldCounts(IFocusRecordSource source) =>
        _lines is not null ? (0, 0) : (_source.FileFieldCount, _source.FileHeader.Count);

    protected override void MapRecord(IFocusRecordSource source, LineItemRow row)
    {
        var cost = Amount(source, _cost);
        if (cost is null && !Failed)
        {
            Problem(_cost, null, "is empty; every row of the billing export has a cost");
        }

        var credits = Credits(source, out var cud);
        var billed = (cost ?? 0m) + credits;
        var currency = Currency(source, _currency);
        if (currency is null && !Failed)
        {
            Problem(_currency, null, "is empty; without a currency the cost cannot be totalled");
        }

        row.Text[FocusSlots.BillingCurrency] = currency;
        SetNumber(row, FocusSlots.BilledCost, billed);
        SetNumber(row, FocusSlots.EffectiveCost, billed);
        SetNumber(row, FocusSlots.ContractedCost, cost ?? 0m);
        SetNumber(row, FocusSlots.ListCost, Amount(source, _costAtList) ?? cost ?? 0m);
        SetProviderAmount(billed);

        Periods(source, row);

        var costType = Text(source, _costType) ?? "regular";
        var regular = costType.Equals("regular", StringComparison.OrdinalIgnoreCase);
        var category = costType.ToLowerInvariant() switch
        {
            "regular" => "Usage",
            "tax" => "Tax",
            "adjustment" or "rounding_error" => "Adjustment",
            // Stored as written, so the conformance report names the value rather than the row going to a wrong category.
            _ => costType,
        };
        row.Text[FocusSlots.ChargeCategory] = category;
        var correction = !IsNull(source, _adjustmentId) || !IsNull(source, _adjustmentType) || !IsNull(source, _adjustmentDescription) || !IsNull(source, _adjustmentMode);
        row.Text[FocusSlots.ChargeClass] = correction ? "Correction" : null;
        var sku = Text(source, _sku);
        var commitmentFee = sku is not null && sku.StartsWith("Commitment", StringComparison.OrdinalIgnoreCase);
        row.Text[FocusSlots.ChargeFrequency] = category switch
        {
            "Usage" => commitmentFee ? "Recurring" : "Usage-Based",
            "Tax" => "Recurring",
            _ => "One-Time",
        };
        row.Text[FocusSlots.ChargeDescription] = sku;
        row.Text[FocusSlots.PricingCategory] = !regular ? null
            : commitmentFee || cud.Type is not null ? "Committed"
            : sku is not null && (sku.Contains("Spot", StringComparison.OrdinalIgnoreCase) || sku.Contains("Preemptible", StringComparison.OrdinalIgnoreCase)) ? "Dynamic"
            : "Standard";

        row.Text[FocusSlots.BillingAccountId] = Text(source, _account);
        row.Text[FocusSlots.SubAccountId] = Text(source, _project);
        row.Text[FocusSlots.SubAccountName] = Text(source, _projectName);
        row.Text[FocusSlots.ProviderName] = Provider;
        row.Text[FocusSlots.InvoiceIssuerName] = Provider;
        var transaction = Text(source, _transaction);
        row.Text[FocusSlots.PublisherName] = transaction is null || transaction.Equals("GOOGLE", StringComparison.OrdinalIgnoreCase)
            ? Provider
            : Text(source, _seller) ?? Provider;
        var service = Text(source, _service);
        row.Text[FocusSlots.ServiceName] = service;
        row.Text[FocusSlots.ServiceCategory] = ServiceCategories.Of(ServiceCategories.Google, service);

        var resource = Text(source, _resourceGlobal) ?? Text(source, _resourceName);
        row.Text[FocusSlots.ResourceId] = resource;
        row.Text[FocusSlots.ResourceName] = resource is null ? null : Text(source, _resourceName);
        row.Text[FocusSlots.ResourceType] = resource is null ? null : ResourceType(resource);
        var region = Text(source, _region);
        row.Text[FocusSlots.RegionId] = region;
        row.Text[FocusSlots.RegionName] = region is null ? null : GoogleRegions.NameOf(region) ?? Text(source, _location) ?? region;
        row.Text[FocusSlots.AvailabilityZone] = Text(source, _zone);

        if (regular)
        {
            var skuId = Text(source, _skuId);
            row.Text[FocusSlots.SkuId] = skuId;
            var tier = Text(source, _tierStart);
            row.Text[FocusSlots.SkuPriceId] = skuId is null || tier is null ? null : SkuPriceId(Text(source, _account), skuId, tier);
            SetNumber(row, FocusSlots.ConsumedQuantity, Amount(source, _usageAmount));
            row.Text[FocusSlots.ConsumedUnit] = Text(source, _usageUnit);
            SetNumber(row, FocusSlots.PricingQuantity, Amount(source, _priceQuantity) ?? Amount(source, _pricingAmount));
            row.Text[FocusSlots.PricingUnit] = Text(source, _priceUnit) ?? Text(source, _pricingUnit);
            SetNumber(row, FocusSlots.ContractedUnitPrice, Amount(source, _effectivePrice));
        }

        if (cud.Type is not null || (commitmentFee && Text(source, _subscription) is not null))
        {
            row.Text[FocusSlots.CommitmentDiscountId] = Text(source, _subscription) ?? cud.Id ?? cud.Name;
            row.Text[FocusSlots.CommitmentDiscountName] = cud.Name;
            row.Text[FocusSlots.CommitmentDiscountType] = "Committed Use Discount";
            row.Text[FocusSlots.CommitmentDiscountCategory] = cud.Type is not null && cud.Type.EndsWith("DOLLAR_BASE", StringComparison.OrdinalIgnoreCase) ? "Spend" : "Usage";
            row.Text[FocusSlots.CommitmentDiscountStatus] = category == "Usage" ? "Used" : null;
        }

        Tags(source, row);
        row.Custom.Add("x_CostType", costType);
        if (Text(source, _serviceId) is { } serviceId)
        {
            row.Custom.Add("x_ServiceId", serviceId);
        }
    }

    private void Periods(IFocusRecordSource source, LineItemRow row)
    {
        var start = Instant(source, _start);
        var end = Instant(source, _end);
        row.Timestamps[FocusSlots.ChargePeriodStart] = start;
        row.Timestamps[FocusSlots.ChargePeriodEnd] = end;
        if (start is null && IsNull(source, _start))
        {
            Problem(_start, null, "is empty; without it the cost has no period to be reported in");
        }

        if (end is null && IsNull(source, _end))
        {
            Problem(_end, null, "is empty; without it the cost has no period to be reported in");
        }

        var month = Span(source, _invoiceMonth);
        if (month.IsEmpty || ValueParsers.IsNull(month))
        {
            Problem(_invoiceMonth, null, "is empty; the invoice month (YYYYMM) is the billing period");
            return;
        }

        if (_lastMonth.Text is null || !month.SequenceEqual(_lastMonth.Text))
        {
            if (!InvoiceMonths.TryParse(month, out var year, out var number))
            {
                Problem(_invoiceMonth, month, "is not an invoice month such as 202310 (YYYYMM)");
                return;
            }

            _lastMonth = (new string(month), year, number);
        }

        row.Timestamps[FocusSlots.BillingPeriodStart] = InvoiceMonths.Start(_lastMonth.Year, _lastMonth.Month);
        row.Timestamps[FocusSlots.BillingPeriodEnd] = InvoiceMonths.End(_lastMonth.Year, _lastMonth.Month);
    }

    /// <summary>The sum of the row's credits (negative), exactly; and its committed use discount, if one applied.</summary>
    private decimal Credits(IFocusRecordSource source, out (string? Type, string? Id, string? Name) cud)
    {
        cud = default;
        var text = Span(source, _credits);
        if (text.IsEmpty || ValueParsers.IsNull(text) || text.SequenceEqual("[]"))
        {
            return 0m;
        }

        try
        {
            using var document = JsonDocument.Parse(new string(text));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                Problem(_credits, text, "must be the credits as a JSON array of records such as [{\"name\":\"Free tier\",\"amount\":-0.5}]");
                return 0m;
            }

            var sum = 0m;
            foreach (var credit in document.RootElement.EnumerateArray())
            {
                if (credit.ValueKind != JsonValueKind.Object || !credit.TryGetProperty("amount", out var amount))
                {
                    Problem(_credits, text, "has a credit without an amount; each credit is a record with name and amount");
                    return 0m;
                }

                var raw = amount.ValueKind == JsonValueKind.String ? amount.GetString()! : amount.GetRawText();
                if (ValueParsers.TryParseAmount(raw, out var value, out _, out _) is { } error)
                {
                    Problem(_credits, text, $"has a credit amount '{raw}' that {error}");
                    return 0m;
                }

                sum += value;
                var type = String(credit, "type");
                var name = String(credit, "full_name") ?? String(credit, "name");
                if (cud.Type is null && (type is not null && CommittedUseCredits.Contains(type)
                    || type is null && name is not null && name.StartsWith("Committed use discount", StringComparison.OrdinalIgnoreCase)))
                {
                    cud = (type ?? "COMMITTED_USAGE_DISCOUNT", String(credit, "id"), name);
                }
            }

            return sum;
        }
        catch (JsonException e)
        {
            Problem(_credits, text, $"is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}); a CSV dump writes credits as JSON text");
            return 0m;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The resource's labels, with the project's labels for keys the resource does not have.</summary>
    private void Tags(IFocusRecordSource source, LineItemRow row)
    {
        var labels = Span(source, _labels);
        var project = Span(source, _projectLabels);
        if (IsBlank(labels) && IsBlank(project))
        {
            return;
        }

        var length = labels.Length + 1 + project.Length;
        if (_tagKey.Length < length)
        {
            _tagKey = new char[Math.Max(length, _tagKey.Length * 2)];
        }

        labels.CopyTo(_tagKey);
        _tagKey[labels.Length] = '\u001f';
        project.CopyTo(_tagKey.AsSpan(labels.Length + 1));
        var split = labels.Length;
        SetTags(row, _tagKey.AsSpan(0, length), IsBlank(labels) ? _projectLabels : _labels, key => Labels(key[..split], key[(split + 1)..]));
    }

    private static bool IsBlank(ReadOnlySpan<char> text) => text.IsEmpty || ValueParsers.IsNull(text) || text.SequenceEqual("[]") || text.SequenceEqual("{}");

    private static ParsedKeyValues Labels(string resource, string project)
    {
        var pairs = new List<(string Key, string? Value)>();
        foreach (var (text, what) in new[] { (resource, "labels"), (project, "project.labels") })
        {
            if (IsBlank(text))
            {
                continue;
            }

            if (ReadLabels(text, what, pairs) is { } error)
            {
                return ParsedKeyValues.Invalid(error);
            }
        }

        // The resource's own label wins over its project's.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return ParsedKeyValues.Of(pairs.Where(p => seen.Add(p.Key)));
    }

    /// <summary>Labels as BigQuery writes them (an array of key/value records) or as a JSON object.</summary>
    private static string? ReadLabels(string text, string what, List<(string Key, string? Value)> pairs)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                pairs.AddRange(root.EnumerateObject().Select(p => (p.Name, Scalar(p.Value))));
                return null;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return $"{what} must be a JSON array of {{\"key\":...,\"value\":...}} records, as BigQuery writes labels";
            }

            foreach (var label in root.EnumerateArray())
            {
                if (label.ValueKind != JsonValueKind.Object || String(label, "key") is not { } key)
                {
                    return $"{what} has an entry without a key; each label is a record {{\"key\":...,\"value\":...}}";
                }

                pairs.Add((key, label.TryGetProperty("value", out var value) ? Scalar(value) : null));
            }

            return null;
        }
        catch (JsonException e)
        {
            return $"{what} is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}); a CSV dump writes labels as JSON text";
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };

    /// <summary>The kind of resource in a global name: <c>//compute.googleapis.com/projects/p/zones/z/instances/vm-1</c> is <c>instances</c>.</summary>
    private static string? ResourceType(string globalName)
    {
        var parts = globalName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? parts[^2] : null;
    }

    /// <summary>Google's own SkuPriceId: the account, the SKU and the price tier.</summary>
    private static string SkuPriceId(string? account, string sku, string tier) =>
        string.Create(CultureInfo.InvariantCulture, $"Billing Account ID:{account}, SKU ID: {sku}, Price Tier Start Amount: {tier}");
}
