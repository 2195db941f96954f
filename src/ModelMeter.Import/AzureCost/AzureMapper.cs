using System.Globalization;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.AzureCost;

/// <summary>
/// Maps one Azure cost export file (actual or amortized; EA, MCA or legacy columns) onto FOCUS line items, following
/// the FinOps toolkit's conversion of Cost Management data (docs/mapping-azure-cost.md has every column). The two
/// datasets differ only in commitment rows, so one rule serves both: usage a reservation or savings plan covers, and
/// the unused commitment, cost nothing on the invoice (BilledCost 0) and their amortised cost is EffectiveCost; the
/// purchase of a commitment is billed (BilledCost) and spread over the usage, not counted again (EffectiveCost 0).
/// Which dataset a file is shows in its rows: unused-commitment rows or covered usage with a cost are amortized,
/// a commitment purchase with a cost is actual; a file with both is refused.
/// </summary>
internal sealed class AzureMapper : ExportMapper
{
    private const string Provider = "Microsoft";

    private readonly int _cost, _currency, _date, _billStart, _billEnd, _account, _accountName, _subscription, _subscriptionName;
    private readonly int _resource, _resourceName, _resourceGroup, _resourceType, _location, _meterCategory, _meterName, _meterId;
    private readonly int _product, _productId, _chargeType, _pricingModel, _frequency, _quantity, _unit, _unitPrice, _paygPrice;
    private readonly int _paygCost, _exchangeRate, _benefitId, _benefitName, _reservationId, _reservationName, _tags, _publisher, _partner;
    private readonly int _invoiceId, _consumedService;
    private readonly bool _legacy;
    private readonly Dictionary<string, decimal> _purchases = new(StringComparer.Ordinal);
    private long _amortizedRows;
    private long _actualRows;
    private char[] _tagText = new char[256];
    private (string? Text, DateTime Day, string? Error) _lastDate;

    public AzureMapper(string file, IReadOnlyList<string> header, string lineWord)
        : base(file, header, [.. header.Select(AzureHeaders.Normalize)], lineWord)
    {
        var names = header.Select(AzureHeaders.Normalize).ToList();
        _cost = Field("CostInBillingCurrency", "Cost", "PreTaxCost");
        _currency = Field("BillingCurrencyCode", "BillingCurrency", "Currency");
        _date = Field("Date", "UsageDateTime", "UsageDate");
        var missing = new List<string>();
        if (_cost < 0)
        {
            missing.Add("CostInBillingCurrency (EA), Cost (newer EA), costInBillingCurrency (MCA) or PreTaxCost (legacy)");
        }

        if (_currency < 0)
        {
            missing.Add("BillingCurrencyCode (EA), BillingCurrency (newer EA, MCA) or Currency (legacy)");
        }

        if (_date < 0)
        {
            missing.Add("Date (UsageDateTime in legacy exports)");
        }

        RequireColumns(file, "an Azure cost export", missing, AzureHeaders.LooksLocalised(names)
            ? "The header is in another language: export with English column names, or with the English name in parentheses as the portal writes them."
            : null);
        _legacy = Has("PreTaxCost");
        var mca = Has("PaygCostInBillingCurrency") || Has("CostInUsd") || (Has("BillingProfileId") && Has("ProductId") && Has("InvoiceId"));
        Format = _legacy ? "legacy (PreTaxCost, Currency)"
            : mca ? "MCA (costInBillingCurrency, billingCurrency)"
            : Has("CostInBillingCurrency") ? "EA (CostInBillingCurrency, BillingCurrencyCode)"
            : "EA (Cost, BillingCurrency)";
        _billStart = Field("BillingPeriodStartDate");
        _billEnd = Field("BillingPeriodEndDate");
        (_account, _accountName) = mca
            ? (Field("BillingProfileId", "BillingAccountId"), Field("BillingProfileName", "BillingAccountName"))
            : (Field("BillingAccountId", "SubscriptionGuid", "SubscriptionId"), Field("BillingAccountName"));
        _subscription = Field("SubscriptionId", "SubscriptionGuid");
        _subscriptionName = Field("SubscriptionName");
        _resource = Field("ResourceId", "InstanceId");
        _resourceName = Field("ResourceName");
        _resourceGroup = Field("ResourceGroup", "ResourceGroupName");
        _resourceType = Field("ResourceType");
        _location = Field("ResourceLocation", "Location");
        _meterCategory = Field("MeterCategory");
        _meterName = Field("MeterName");
        _meterId = Field("MeterId");
        _product = Field("ProductName", "Product");
        _productId = Field("ProductId");
        _chargeType = Field("ChargeType");
        _pricingModel = Field("PricingModel");
        _frequency = Field("Frequency");
        _quantity = Field("Quantity", "UsageQuantity");
        _unit = Field("UnitOfMeasure");
        _unitPrice = Field("UnitPrice", "ResourceRate");
        _paygPrice = Field("PayGPrice");
        _paygCost = Field("PaygCostInBillingCurrency");
        _exchangeRate = Field("ExchangeRatePricingToBilling");
        _benefitId = Field("BenefitId");
        _benefitName = Field("BenefitName");
        _reservationId = Field("ReservationId");
        _reservationName = Field("ReservationName");
        _tags = Field("Tags");
        _publisher = Field("PublisherName");
        _partner = Field("PartnerName");
        _invoiceId = Field("InvoiceId");
        _consumedService = Field("ConsumedService");
        var read = new[]
        {
            _cost, _currency, _date, _billStart, _billEnd, _account, _accountName, _subscription, _subscriptionName, _resource, _resourceName,
            _resourceGroup, _resourceType, _location, _meterCategory, _meterName, _meterId, _product, _productId, _chargeType, _pricingModel,
            _frequency, _quantity, _unit, _unitPrice, _paygPrice, _paygCost, _exchangeRate, _benefitId, _benefitName, _reservationId,
            _reservationName, _tags, _publisher, _partner, _invoiceId, _consumedService,
        }.ToHashSet();
        Ignored = [.. header.Where((_, i) => !read.Contains(i))];
    }

    public override string Format { get; }

    /// <summary>Amortized files add up to their cost in EffectiveCost; actual files (and files without commitments) in BilledCost.</summary>
    public override string ProviderColumn => _amortizedRows > 0 ? "EffectiveCost" : "BilledCost";

    public override string? Dataset => (_amortizedRows, _actualRows) switch
    {
        (> 0, 0) => "amortized",
        (0, > 0) => "actual",
        (0, 0) => "actual or amortized",
        _ => "mixed",
    };

    public override string? Complete() => _amortizedRows > 0 && _actualRows > 0
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(File)} mixes actual-cost rows ({_actualRows:N0} reservation or savings plan purchases with a cost) and amortized rows ({_amortizedRows:N0} covered-usage or unused-commitment rows with a cost): export the actual and the amortized cost as separate files and import one of them.")
        : null;

    public override IReadOnlyList<string> Notes
    {
        get
        {
            var name = Path.GetFileName(File);
            if (_actualRows > 0 && _amortizedRows == 0)
            {
                var amounts = string.Join(", ", _purchases.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value:0.00##} {p.Key}")));
                return [$"{name} is an actual-cost export: its reservation and savings plan purchases ({amounts}) are in BilledCost, and EffectiveCost leaves them out because an actual-cost export does not spread them over the usage they cover. Import the amortized export instead for EffectiveCost by team."];
            }

            return _amortizedRows > 0 && _actualRows == 0
                ? [$"{name} is an amortized export: reservation and savings plan purchases are spread over the usage they cover (EffectiveCost); the purchases themselves are not in it, so BilledCost leaves them out."]
                : [];
        }
    }

    protected override void MapRecord(IFocusRecordSource source, LineItemRow row)
    {
        var cost = Amount(source, _cost);
        if (cost is null && !Failed)
        {
            Problem(_cost, null, "is empty; every row of a cost export has a cost");
        }

        var currency = Currency(source, _currency);
        if (currency is null && !Failed)
        {
            Problem(_currency, null, "is empty; without a currency the cost cannot be totalled");
        }

        var amount = cost ?? 0m;
        var chargeType = Text(source, _chargeType) ?? "Usage";
        var pricingModel = Text(source, _pricingModel);
        var committed = pricingModel is not null && (pricingModel.Equals("Reservation", StringComparison.OrdinalIgnoreCase)
            || pricingModel.Equals("SavingsPlan", StringComparison.OrdinalIgnoreCase) || pricingModel.Equals("Savings Plan", StringComparison.OrdinalIgnoreCase));
        var kind = ChargeKind(chargeType);
        var unused = kind == Kind.Unused;
        var coveredUsage = kind == Kind.Usage && committed;
        var commitmentPurchase = kind is Kind.Purchase or Kind.Refund && committed;

        // BilledCost: what the invoice charges. EffectiveCost: the amortised view (toolkit: "Convert Cost Management data to FOCUS").
        var billed = coveredUsage || unused ? 0m : amount;
        var effective = commitmentPurchase ? 0m : amount;
        SetNumber(row, FocusSlots.BilledCost, billed);
        SetNumber(row, FocusSlots.EffectiveCost, effective);
        row.Text[FocusSlots.BillingCurrency] = currency;
        if (amount != 0m && (coveredUsage || unused))
        {
            _amortizedRows++;
        }
        else if (amount != 0m && commitmentPurchase)
        {
            _actualRows++;
            if (currency is not null)
            {
                _purchases[currency] = _purchases.GetValueOrDefault(currency) + amount;
            }
        }

        SetProviderAmount(amount);

        var day = Day(source, _date);
        row.Timestamps[FocusSlots.ChargePeriodStart] = day;
        row.Timestamps[FocusSlots.ChargePeriodEnd] = day?.AddDays(1);
        if (_billStart >= 0 && _billEnd >= 0)
        {
            row.Timestamps[FocusSlots.BillingPeriodStart] = Day(source, _billStart);
            // BillingPeriodEndDate is the period's last day; FOCUS's end is exclusive.
            row.Timestamps[FocusSlots.BillingPeriodEnd] = Day(source, _billEnd)?.AddDays(1);
        }
        else if (day is { } charged)
        {
            // Legacy exports carry no billing period: the calendar month of the charge.
            var month = new DateTime(charged.Year, charged.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            row.Timestamps[FocusSlots.BillingPeriodStart] = month;
            row.Timestamps[FocusSlots.BillingPeriodEnd] = month.AddMonths(1);
        }

        var category = kind switch
        {
            Kind.Usage or Kind.Unused => "Usage",
            Kind.Purchase or Kind.Refund => "Purchase",
            Kind.Tax => "Tax",
            Kind.Credit => "Credit",
            _ => "Adjustment",
        };
        row.Text[FocusSlots.ChargeCategory] = category;
        row.Text[FocusSlots.ChargeClass] = kind == Kind.Refund ? "Correction" : null;
        row.Text[FocusSlots.ChargeFrequency] = Frequency(source);
        row.Text[FocusSlots.ChargeDescription] = Text(source, _product);
        row.Text[FocusSlots.PricingCategory] = category is "Usage" or "Purchase" ? PricingCategory(pricingModel, committed) : null;

        row.Text[FocusSlots.BillingAccountId] = Text(source, _account);
        row.Text[FocusSlots.BillingAccountName] = Text(source, _accountName);
        row.Text[FocusSlots.SubAccountId] = Text(source, _subscription);
        row.Text[FocusSlots.SubAccountName] = Text(source, _subscriptionName);
        row.Text[FocusSlots.InvoiceId] = Text(source, _invoiceId);
        row.Text[FocusSlots.ProviderName] = Provider;
        row.Text[FocusSlots.PublisherName] = Text(source, _publisher) ?? Provider;
        row.Text[FocusSlots.InvoiceIssuerName] = Text(source, _partner) ?? Provider;
        var service = Text(source, _meterCategory) ?? Text(source, _consumedService) ?? Text(source, _product);
        row.Text[FocusSlots.ServiceName] = service;
        row.Text[FocusSlots.ServiceCategory] = ServiceCategories.Of(ServiceCategories.Azure, service);
        row.Text[FocusSlots.SkuMeter] = Text(source, _meterName);
        row.Text[FocusSlots.SkuId] = category is "Usage" or "Purchase" ? Text(source, _productId) ?? Text(source, _meterId) : null;

        var resource = Text(source, _resource);
        row.Text[FocusSlots.ResourceId] = resource;
        row.Text[FocusSlots.ResourceName] = resource is null ? null : Text(source, _resourceName) ?? LastSegment(resource);
        row.Text[FocusSlots.ResourceType] = resource is null ? null : Text(source, _resourceType) ?? ResourceTypeOf(resource);
        var location = Text(source, _location);
        row.Text[FocusSlots.RegionName] = location;
        row.Text[FocusSlots.RegionId] = location is null ? null : RegionId(location);

        Quantities(source, row, kind, category, amount);
        Commitment(source, row, kind, committed, pricingModel);
        Tags(source, row);
        if (Text(source, _resourceGroup) is { } group)
        {
            row.Custom.Add("x_ResourceGroupName", group);
        }

        row.Custom.Add("x_ChargeType", chargeType);
    }

    private enum Kind
    {
        Usage,
        Unused,
        Purchase,
        Refund,
        Tax,
        Credit,
        Adjustment,
    }

    private static Kind ChargeKind(string chargeType) => chargeType.ToLowerInvariant() switch
    {
        "usage" => Kind.Usage,
        "unusedreservation" or "unusedsavingsplan" => Kind.Unused,
        "purchase" => Kind.Purchase,
        "refund" => Kind.Refund,
        "tax" => Kind.Tax,
        "credit" => Kind.Credit,
        _ => Kind.Adjustment,
    };

    private string? Frequency(IFocusRecordSource source)
    {
        var frequency = Text(source, _frequency);
        return frequency?.ToLowerInvariant() switch
        {
            null or "usagebased" or "usage-based" => "Usage-Based",
            "onetime" or "one-time" => "One-Time",
            "recurring" => "Recurring",
            // Stored as written: the conformance report names a value FOCUS does not allow.
            _ => frequency,
        };
    }

    private static string PricingCategory(string? model, bool committed) =>
        committed ? "Committed"
        : model is not null && model.Equals("Spot", StringComparison.OrdinalIgnoreCase) ? "Dynamic"
        : "Standard";

    /// <summary>
    /// ConsumedQuantity is Quantity on usage rows; PricingQuantity and ContractedCost use the pricing block a unit of
    /// measure starts with (<c>100 Hours</c>: blocks of 100), as the FinOps toolkit's conversion does. ListCost is
    /// MCA's <c>PaygCostInBillingCurrency</c>; EA exports have none, so it is the pay-as-you-go price times the
    /// quantity, and the cost itself on rows without a price (tax, credits, unused commitment).
    /// </summary>
    private void Quantities(IFocusRecordSource source, LineItemRow row, Kind kind, string category, decimal cost)
    {
        var quantity = Amount(source, _quantity);
        var unit = Text(source, _unit);
        var unitPrice = Amount(source, _unitPrice);
        var (block, pricingUnit) = PricingBlock(unit);
        var payg = Amount(source, _paygPrice);
        var rate = Amount(source, _exchangeRate);
        var listPrice = payg is { } p && rate is { } r ? p * r : payg;
        SetNumber(row, FocusSlots.ListCost, Amount(source, _paygCost) ?? (listPrice is { } lp && quantity is { } lq ? lp * lq / block : cost));
        if (kind == Kind.Usage)
        {
            SetNumber(row, FocusSlots.ConsumedQuantity, quantity);
            row.Text[FocusSlots.ConsumedUnit] = unit;
        }

        if (category is "Usage" or "Purchase")
        {
            SetNumber(row, FocusSlots.PricingQuantity, quantity / block);
            row.Text[FocusSlots.PricingUnit] = pricingUnit;
            SetNumber(row, FocusSlots.ContractedUnitPrice, unitPrice);
            SetNumber(row, FocusSlots.ListUnitPrice, listPrice);
        }

        SetNumber(row, FocusSlots.ContractedCost, unitPrice is { } price && quantity is { } q ? price * q / block : row.Decimals[FocusSlots.BilledCost] ?? 0m);
    }

    private static (decimal Block, string? Unit) PricingBlock(string? unit)
    {
        if (unit is null)
        {
            return (1m, null);
        }

        var space = unit.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && decimal.TryParse(unit.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var block) && block > 0)
        {
            return (block, unit[(space + 1)..].Trim());
        }

        return (1m, unit);
    }

    private void Commitment(IFocusRecordSource source, LineItemRow row, Kind kind, bool committed, string? pricingModel)
    {
        var id = Text(source, _benefitId) ?? Text(source, _reservationId);
        if (id is null || !(committed || kind == Kind.Unused))
        {
            return;
        }

        var savingsPlan = id.Contains("/microsoft.billingbenefits/", StringComparison.OrdinalIgnoreCase)
            || (!id.Contains("/microsoft.capacity/", StringComparison.OrdinalIgnoreCase) && pricingModel is not null && pricingModel.StartsWith("Savings", StringComparison.OrdinalIgnoreCase));
        row.Text[FocusSlots.CommitmentDiscountId] = id;
        row.Text[FocusSlots.CommitmentDiscountName] = Text(source, _benefitName) ?? Text(source, _reservationName);
        row.Text[FocusSlots.CommitmentDiscountType] = savingsPlan ? "Savings Plan" : "Reservation";
        row.Text[FocusSlots.CommitmentDiscountCategory] = savingsPlan ? "Spend" : "Usage";
        row.Text[FocusSlots.CommitmentDiscountStatus] = kind switch
        {
            Kind.Unused => "Unused",
            Kind.Usage => "Used",
            _ => null,
        };
    }

    /// <summary>Tags as a JSON object; EA writes them without the outer braces (<c>"team": "nlp","env": "prod"</c>).</summary>
    private void Tags(IFocusRecordSource source, LineItemRow row)
    {
        var text = Span(source, _tags);
        if (text.IsEmpty || ValueParsers.IsNull(text) || text.SequenceEqual("{}"))
        {
            return;
        }

        SetTags(row, text, _tags, Parse);
    }

    private ParsedKeyValues Parse(string text)
    {
        if (text[0] == '{')
        {
            return ParsedKeyValues.Parse(text);
        }

        var length = text.Length + 2;
        if (_tagText.Length < length)
        {
            _tagText = new char[length * 2];
        }

        _tagText[0] = '{';
        text.CopyTo(_tagText.AsSpan(1));
        _tagText[length - 1] = '}';
        var wrapped = ParsedKeyValues.Parse(new string(_tagText, 0, length));
        return wrapped.Error is null ? wrapped : ParsedKeyValues.Invalid($"is not a JSON object of tags, with or without its outer braces (as EA writes them): {wrapped.Error}");
    }

    /// <summary>A day column, the last text remembered (a daily export repeats one date on every row of the day).</summary>
    private DateTime? Day(IFocusRecordSource source, int field)
    {
        var text = Span(source, field);
        if (text.IsEmpty || ValueParsers.IsNull(text))
        {
            if (field == _date)
            {
                Problem(field, null, "is empty; without the day the cost has no period to be reported in");
            }

            return null;
        }

        if (field == _date && _lastDate.Text is not null && text.SequenceEqual(_lastDate.Text))
        {
            if (_lastDate.Error is not null)
            {
                Problem(field, text, _lastDate.Error);
                return null;
            }

            return _lastDate.Day;
        }

        var error = AzureDates.TryParse(text, out var day);
        if (field == _date)
        {
            _lastDate = (new string(text), day, error);
        }

        if (error is not null)
        {
            Problem(field, text, error);
            return null;
        }

        return day;
    }

    private static string LastSegment(string resourceId)
    {
        var slash = resourceId.TrimEnd('/').LastIndexOf('/');
        return slash >= 0 ? resourceId.TrimEnd('/')[(slash + 1)..] : resourceId;
    }

    /// <summary><c>/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm1</c> is <c>Microsoft.Compute/virtualMachines</c>.</summary>
    private static string? ResourceTypeOf(string resourceId)
    {
        var parts = resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindLastIndex(parts, p => p.Equals("providers", StringComparison.OrdinalIgnoreCase));
        return providers >= 0 && providers + 2 < parts.Length ? $"{parts[providers + 1]}/{parts[providers + 2]}" : null;
    }

    private static string RegionId(string location) => location.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
