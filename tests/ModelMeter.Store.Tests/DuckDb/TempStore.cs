using Microsoft.Extensions.Time.Testing;
using ModelMeter.Core.Billing;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>A real DuckDB file in a temporary folder, and helpers to put line items in it.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "modelmeter-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        Store = DuckDbCostStore.Open(Path.Combine(Folder, "meter.duckdb"), Clock);
    }

    public string Folder { get; }

    public FakeTimeProvider Clock { get; }

    public DuckDbCostStore Store { get; }

    /// <summary>One hourly FOCUS line item with the columns attribution reads.</summary>
    public static LineItemRow Item(DateTime start, string service, string? resource, string account, decimal cost, string currency = "USD", params (string Key, string? Value)[] tags)
    {
        var row = new LineItemRow();
        void Text(string column, string? value) => row.Text[FocusSchema.ByName[column].Slot] = value;
        void Time(string column, DateTime value) => row.Timestamps[FocusSchema.ByName[column].Slot] = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        Text("ProviderName", "AWS");
        Text("BillingAccountId", "payer");
        Text("BillingCurrency", currency);
        Text("ServiceName", service);
        Text("ResourceId", resource);
        Text("SubAccountId", account);
        Text("ChargeCategory", "Usage");
        var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        Time("BillingPeriodStart", month);
        Time("BillingPeriodEnd", month.AddMonths(1));
        Time("ChargePeriodStart", start);
        Time("ChargePeriodEnd", start.AddHours(1));
        row.Decimals[FocusSchema.ByName["BilledCost"].Slot] = cost;
        row.Decimals[FocusSchema.ByName["EffectiveCost"].Slot] = cost;
        foreach (var (key, value) in tags)
        {
            row.KeyValues[FocusSchema.ByName["Tags"].Slot].Add(key, value);
        }

        return row;
    }

    public ImportRecord Import(params LineItemRow[] rows)
    {
        using var session = Store.BeginLineItemImport(ImportKind.Focus);
        foreach (var row in rows)
        {
            session.Append(row);
        }

        var totals = rows.GroupBy(r => r.Text[FocusSchema.ByName["BillingCurrency"].Slot]!)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Decimals[FocusSchema.ByName["BilledCost"].Slot]!.Value));
        return session.Commit([new ImportedFile("test.csv", Guid.NewGuid().ToString("N"), 1, rows.Length)], totals);
    }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
