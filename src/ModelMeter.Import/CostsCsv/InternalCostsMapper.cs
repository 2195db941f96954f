using System.Globalization;
using System.Text;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.CostsCsv;

/// <summary>
/// Maps one line of a costs CSV onto a FOCUS line item of provider <c>internal</c>: the category is the ServiceName
/// (ServiceCategory <c>Other</c>) and the tag <c>category</c>, the amount is every cost column (nothing discounts an
/// internal cost), the description the ChargeDescription, the billing period the calendar month of the charge, and
/// every column that is not one of <see cref="CostColumns.Reserved"/> a tag of the same name.
/// </summary>
internal sealed class InternalCostsMapper : ExportMapper
{
    private readonly CostColumns _columns;
    private readonly int _day;
    private readonly int _share;
    private readonly int[] _tagFields;
    private readonly string[] _tagKeys;
    private readonly StringBuilder _tagKey = new();

    public InternalCostsMapper(string file, IReadOnlyList<string> header, string lineWord)
        : base(file, header, [.. header.Select(h => h.Trim().Trim('\uFEFF'))], lineWord)
    {
        _columns = new CostColumns(header);
        var missing = new List<string>();
        if (_columns.Amount < 0)
        {
            missing.Add("amount");
        }

        if (_columns.Currency < 0)
        {
            missing.Add("currency");
        }

        if (_columns.Category < 0)
        {
            missing.Add("category");
        }

        if (_columns.Date < 0 && _columns.Month < 0 && (_columns.Start < 0 || _columns.End < 0))
        {
            missing.Add(_columns.Start >= 0 ? "end" : _columns.End >= 0 ? "start" : "date (or period, or start and end)");
        }

        RequireColumns(file, "a costs CSV", missing, "Write the template's header: date,period,start,end,amount,currency,category,description,team,product (modelmeter init writes one).");
        _day = Field(CostLineSource.DayField);
        _share = Field(CostLineSource.ShareField);
        var tags = Enumerable.Range(0, header.Count)
            .Where(i => i != _day && i != _share && !CostColumns.IsReserved(header[i]) && header[i].Trim().Length > 0)
            .ToArray();
        _tagFields = tags;
        _tagKeys = tags.Select(i => header[i].Trim().Trim('\uFEFF')).ToArray();
    }

    public override string Format => "costs CSV";

    /// <summary>The columns read as dimensions, for the report (they are not ignored: each is a tag).</summary>
    public IReadOnlyList<string> Dimensions => _tagKeys;

    /// <summary>The line's fields and the header's, without the two the amortising source adds to both.</summary>
    protected override (int Fields, int Expected) FieldCounts(IFocusRecordSource source) => (source.FieldCount - 2, Header.Count - 2);

    protected override void MapRecord(IFocusRecordSource source, LineItemRow row)
    {
        var amount = Amount(source, _columns.Amount);
        if (amount is null && !Failed)
        {
            Problem(_columns.Amount, null, "is empty; every cost has an amount");
        }

        var currency = Currency(source, _columns.Currency);
        if (currency is null && !Failed)
        {
            Problem(_columns.Currency, null, "is empty; every cost has a currency (an ISO 4217 code such as USD)");
        }

        var category = Category(source);
        var charge = ChargeCategory(source);
        if (_columns.Period(source, out var start, out var end, out var field) is { } error)
        {
            Problem(field, field < 0 ? default : Span(source, field), error);
        }

        // An amortised line arrives once per day, with that day and its share of the amount.
        if (!Span(source, _day).IsEmpty)
        {
            start = DateTime.ParseExact(new string(Span(source, _day)), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            end = start.AddDays(1);
            amount = decimal.Parse(Span(source, _share), NumberStyles.Number, CultureInfo.InvariantCulture);
        }

        if (Failed)
        {
            return;
        }

        var cost = amount!.Value;
        SetNumber(row, FocusSlots.BilledCost, cost);
        SetNumber(row, FocusSlots.EffectiveCost, cost);
        SetNumber(row, FocusSlots.ListCost, cost);
        SetNumber(row, FocusSlots.ContractedCost, cost);
        SetProviderAmount(cost);
        row.Text[FocusSlots.BillingCurrency] = currency;
        row.Timestamps[FocusSlots.ChargePeriodStart] = start;
        row.Timestamps[FocusSlots.ChargePeriodEnd] = end;
        var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        row.Timestamps[FocusSlots.BillingPeriodStart] = month;
        row.Timestamps[FocusSlots.BillingPeriodEnd] = month.AddMonths(1);

        row.Text[FocusSlots.ProviderName] = InternalCosts.ProviderName;
        row.Text[FocusSlots.PublisherName] = InternalCosts.ProviderName;
        row.Text[FocusSlots.InvoiceIssuerName] = InternalCosts.ProviderName;
        row.Text[FocusSlots.BillingAccountId] = InternalCosts.ProviderName;
        row.Text[FocusSlots.BillingAccountName] = "Internal costs";
        row.Text[FocusSlots.ServiceName] = category;
        row.Text[FocusSlots.ServiceCategory] = "Other";
        row.Text[FocusSlots.SkuId] = category;
        row.Text[FocusSlots.ChargeCategory] = charge;
        row.Text[FocusSlots.ChargeFrequency] = charge == "Purchase" ? "One-Time" : "Usage-Based";
        row.Text[FocusSlots.ChargeDescription] = Text(source, _columns.Description) ?? category;
        row.Text[FocusSlots.PricingCategory] = "Standard";

        // One unit of the cost at its own price, so the FOCUS rules on quantities and unit prices hold.
        row.Text[FocusSlots.SkuPriceId] = category;
        SetNumber(row, FocusSlots.PricingQuantity, 1m);
        row.Text[FocusSlots.PricingUnit] = "Unit";
        SetNumber(row, FocusSlots.ListUnitPrice, cost);
        SetNumber(row, FocusSlots.ContractedUnitPrice, cost);
        if (charge == "Usage")
        {
            SetNumber(row, FocusSlots.ConsumedQuantity, 1m);
            row.Text[FocusSlots.ConsumedUnit] = "Unit";
        }
        SetTags(row, TagKey(source), -1, _ => Tags(source, category!));
    }

    private string? Category(IFocusRecordSource source)
    {
        var text = Text(source, _columns.Category);
        if (text is null)
        {
            if (!Failed)
            {
                Problem(_columns.Category, null, $"is empty; every cost has a category ({string.Join(", ", InternalCosts.KnownCategories)}, or any word)");
            }

            return null;
        }

        var word = text.ToLowerInvariant();
        if (!char.IsAsciiLetter(word[0]) || !word.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            Problem(_columns.Category, text, $"is not a category word: letters, digits and _ starting with a letter ({string.Join(", ", InternalCosts.KnownCategories)}, or your own)");
            return null;
        }

        return string.IsInterned(word) ?? word;
    }

    private string ChargeCategory(IFocusRecordSource source)
    {
        var text = Text(source, _columns.Charge);
        if (text is null || text.Equals("Usage", StringComparison.OrdinalIgnoreCase))
        {
            return "Usage";
        }

        if (text.Equals("Purchase", StringComparison.OrdinalIgnoreCase))
        {
            return "Purchase";
        }

        Problem(_columns.Charge, text, "is not a charge category of an internal cost: Usage (the default) or Purchase");
        return "Usage";
    }

    private ReadOnlySpan<char> TagKey(IFocusRecordSource source)
    {
        _tagKey.Clear();
        _tagKey.Append(Span(source, _columns.Category));
        foreach (var field in _tagFields)
        {
            _tagKey.Append('\u001f').Append(Span(source, field));
        }

        return _tagKey.ToString();
    }

    private ParsedKeyValues Tags(IFocusRecordSource source, string category)
    {
        var pairs = new List<(string Key, string? Value)> { ("category", category) };
        for (var i = 0; i < _tagFields.Length; i++)
        {
            var value = Span(source, _tagFields[i]);
            if (!value.IsEmpty && !ValueParsers.IsNull(value))
            {
                pairs.Add((_tagKeys[i], new string(value)));
            }
        }

        return ParsedKeyValues.Of(pairs);
    }
}
