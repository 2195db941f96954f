using System.Globalization;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>
/// A FOCUS line item built in code, as a reader hands it to <see cref="ILineItemSink.Append"/>: an hour of
/// <c>Amazon EC2</c> usage on 2026-10-01 in account <c>acct-1</c>, costing 1 USD in every cost column, unless a test
/// says otherwise. A test states only what it is about.
/// </summary>
public sealed class LineItem
{
    private readonly LineItemRow _row = new();

    public LineItem()
    {
        Text("ProviderName", "AWS");
        Text("BillingAccountId", "acct-1");
        Text("SubAccountId", "111");
        Text("BillingCurrency", "USD");
        Text("ServiceName", "Amazon EC2");
        Text("ServiceCategory", "Compute");
        Text("ChargeCategory", "Usage");
        Text("ResourceId", "i-001");
        Charge("2026-10-01T00:00:00Z");
        Cost(1m);
    }

    public LineItemRow Row => _row;

    public string Currency => _row.Text[FocusSchema.Get("BillingCurrency").Slot]!;

    public decimal BilledCost => _row.Decimals[FocusSchema.Get("BilledCost").Slot] ?? 0m;

    /// <summary>The UTC instant of an ISO 8601 text such as <c>2026-10-01T05:00:00Z</c>.</summary>
    public static DateTime Utc(string instant) =>
        DateTime.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public LineItem Text(string column, string? value)
    {
        _row.Text[FocusSchema.Get(column).Slot] = value;
        return this;
    }

    /// <summary>The charge period (an hour unless said), and the billing period of its month.</summary>
    public LineItem Charge(string start, string? end = null)
    {
        var from = Utc(start);
        Time("ChargePeriodStart", from);
        Time("ChargePeriodEnd", end is null ? from.AddHours(1) : Utc(end));
        var month = new DateTime(from.Year, from.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return BillingPeriod(month, month.AddMonths(1));
    }

    public LineItem BillingPeriod(string start, string end) => BillingPeriod(Utc(start), Utc(end));

    /// <summary>Every cost column (BilledCost, EffectiveCost, ListCost, ContractedCost) set to <paramref name="amount"/>.</summary>
    public LineItem Cost(decimal amount) => Costs(amount, amount, amount, amount);

    public LineItem Costs(decimal billed, decimal effective, decimal list, decimal contracted)
    {
        Money("BilledCost", billed);
        Money("EffectiveCost", effective);
        Money("ListCost", list);
        Money("ContractedCost", contracted);
        return this;
    }

    /// <summary>A tag as the export wrote it; a key spelled exactly as a hierarchy key also fills that key's value, as the FOCUS reader does.</summary>
    public LineItem Tag(string key, string? value)
    {
        _row.KeyValues[FocusSchema.Get("Tags").Slot].Add(key, value);
        return CostHierarchy.Keys.Contains(key) ? Hierarchy(key, value) : this;
    }

    /// <summary>The value of a hierarchy key (<c>team</c>, <c>environment</c>, ...), which the reader takes from the tags (also under aliases).</summary>
    public LineItem Hierarchy(string key, string? value)
    {
        _row.Hierarchy[IndexOf(key)] = value;
        return this;
    }

    public LineItem AllocatedTag(string key, string? value)
    {
        _row.KeyValues[FocusSchema.Get("AllocatedTags").Slot].Add(key, value);
        return this;
    }

    /// <summary>ConsumedQuantity and PricingQuantity both set to <paramref name="amount"/>.</summary>
    public LineItem Quantity(decimal amount)
    {
        Money("ConsumedQuantity", amount);
        Money("PricingQuantity", amount);
        return this;
    }

    /// <summary>A provider's custom <c>x_</c> column.</summary>
    public LineItem Custom(string column, string? value)
    {
        _row.Custom.Add(column, value);
        return this;
    }

    private static int IndexOf(string key)
    {
        for (var i = 0; i < CostHierarchy.Keys.Count; i++)
        {
            if (string.Equals(CostHierarchy.Keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"{key} is not a hierarchy key.", nameof(key));
    }

    private LineItem BillingPeriod(DateTime start, DateTime end)
    {
        Time("BillingPeriodStart", start);
        Time("BillingPeriodEnd", end);
        return this;
    }

    private void Time(string column, DateTime value) => _row.Timestamps[FocusSchema.Get(column).Slot] = value;

    private void Money(string column, decimal value) => _row.Decimals[FocusSchema.Get(column).Slot] = value;
}
