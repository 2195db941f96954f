using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelMeter.Import.Demo;

/// <summary>Options of <c>modelmeter demo</c>.</summary>
public sealed record DemoOptions
{
    /// <summary>The month to generate (its first day).</summary>
    public required DateOnly Month { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Pad the month with extra batch-inference fleet resources up to about this many line items (for benchmarks).</summary>
    public long? Rows { get; init; }

    /// <summary>Months of history ending with <see cref="Month"/> (the earlier ones at daily grain; see <see cref="DemoHistoryGenerator"/>).</summary>
    public int Months { get; init; } = 4;

    /// <summary>The last day of history after <see cref="Month"/> (this month to yesterday), or null for none.</summary>
    public DateOnly? Through { get; init; }
}

/// <summary>What the demo planted, so the demo can show each feature finding it.</summary>
public sealed record DemoSummary(long Rows, decimal BilledTotal, IReadOnlyList<string> PlantedWaste)
{
    /// <summary>Each planted waste with the rule that should find it and the monthly saving it should yield.</summary>
    public IReadOnlyList<DemoPlantedSaving> PlantedSavings { get; init; } = [];
}

/// <summary>A planted waste, the recommendation rule that should find it, and the saving a month it should yield (0 for untagged: allocation, not saving).</summary>
public sealed record DemoPlantedSaving(string ResourceId, string Waste, string Rule, decimal MonthlySaving, string Currency);

/// <summary>
/// Writes a realistic month of FOCUS 1.2 line items at hourly grain for a mid-sized ML organisation: five teams,
/// GPU training (on-demand and spot), serving endpoints, a shared GPU cluster under a savings plan, object storage,
/// inter-zone transfer, an LLM API, monitoring, credits and tax, with the classic waste planted: a nightly job on
/// a persistent instance, an endpoint scaled up and never back, idle notebooks whose owners left, a cross-zone feature
/// sync, checkpoints never deleted, untagged resources and an unattached volume (beside an attached one). Deterministic for a seed.
/// </summary>
public static class DemoBillingGenerator
{
    private static readonly string[] Header =
    [
        "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd",
        "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
        "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceName", "ServiceCategory", "SubAccountId", "SubAccountName",
        "ResourceId", "ResourceName", "ResourceType", "RegionId", "RegionName", "AvailabilityZone", "SkuId", "SkuPriceId",
        "PricingCategory", "PricingQuantity", "PricingUnit", "ListUnitPrice", "ContractedUnitPrice", "ConsumedQuantity", "ConsumedUnit",
        "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "CommitmentDiscountId", "Tags", "x_Operation",
    ];

    private const string BillingAccountId = "210987654321";
    private const string BillingAccountName = "Acme ML Payer";

    public static DemoSummary Write(TextWriter writer, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var start = new DateTime(options.Month.Year, options.Month.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = start.AddMonths(1);
        var hours = (int)(end - start).TotalHours;
        var resources = DemoFleet.Build(random, start, hours);
        if (options.Rows is { } target)
        {
            resources.AddRange(DemoFleet.Padding(random, hours, target - EstimateRows(resources, hours)));
        }

        WriteHeader(writer);
        var plantedCost = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var line = new StringBuilder(512);
        long rows = 0;
        decimal billed = 0m;
        var billingStart = Iso(start);
        var billingEnd = Iso(end);

        // Hourly resources hour by hour (as providers write them), then the daily and monthly ones.
        for (var hour = 0; hour < hours; hour++)
        {
            var chargeStart = Iso(start.AddHours(hour));
            var chargeEnd = Iso(start.AddHours(hour + 1));
            foreach (var resource in resources)
            {
                if (resource.Grain == DemoGrain.Hour)
                {
                    var cost = WriteRow(writer, line, resource, resource.Quantity(hour), billingStart, billingEnd, chargeStart, chargeEnd, ref rows);
                    billed += cost;
                    Planted(resource, cost);
                }
            }
        }

        for (var day = 0; day < hours / 24; day++)
        {
            var chargeStart = Iso(start.AddDays(day));
            var chargeEnd = Iso(start.AddDays(day + 1));
            foreach (var resource in resources)
            {
                if (resource.Grain == DemoGrain.Day)
                {
                    var cost = WriteRow(writer, line, resource, resource.Quantity(day * 24), billingStart, billingEnd, chargeStart, chargeEnd, ref rows);
                    billed += cost;
                    Planted(resource, cost);
                }
            }
        }

        foreach (var resource in resources)
        {
            if (resource.Grain == DemoGrain.Month)
            {
                billed += WriteRow(writer, line, resource, resource.Quantity(0), billingStart, billingEnd, billingStart, billingEnd, ref rows);
            }
        }

        // Sales tax on the month's usage of the EU research account, as its own Tax line.
        var euUsage = resources.Where(r => r.Account == DemoFleet.ResearchEu).ToList();
        if (euUsage.Count > 0)
        {
            var taxBase = Math.Round(billed * 0.004m, 2, MidpointRounding.AwayFromZero);
            var tax = new DemoResource
            {
                ResourceId = "", ResourceName = "", ResourceType = "", ServiceName = "Tax", ServiceCategory = "Other",
                Account = DemoFleet.ResearchEu, RegionId = "", SkuId = "TAX-VAT", PricingUnit = "",
                ListUnitPrice = 1m, ChargeCategory = "Tax", ChargeDescription = "VAT on EU services", Quantity = _ => taxBase,
            };
            billed += WriteRow(writer, line, tax, 1m, billingStart, billingEnd, billingStart, billingEnd, ref rows, overrideCost: taxBase);
        }

        writer.Flush();
        var waste = resources.Where(r => r.Waste is not null).Select(r => $"{r.ResourceId}: {r.Waste}").Distinct().ToList();
        var savings = resources.Where(r => r.Waste is not null && r.Planted is not null).DistinctBy(r => r.ResourceId)
            .Select(r => new DemoPlantedSaving(r.ResourceId, r.Waste!, r.Planted!.Value.Rule,
                Math.Round(r.Planted.Value.Saving(plantedCost.GetValueOrDefault(r.ResourceId), hours), 2, MidpointRounding.AwayFromZero), "USD"))
            .ToList();
        return new DemoSummary(rows, billed, waste) { PlantedSavings = savings };

        void Planted(DemoResource resource, decimal cost)
        {
            if (resource.Planted is not null)
            {
                plantedCost[resource.ResourceId] = plantedCost.GetValueOrDefault(resource.ResourceId) + cost;
            }
        }
    }

    private static long EstimateRows(List<DemoResource> resources, int hours) =>
        resources.Sum(r => r.Grain switch { DemoGrain.Hour => hours, DemoGrain.Day => hours / 24, _ => 1 });

    internal static void WriteHeader(TextWriter writer)
    {
        writer.Write(string.Join(',', Header));
        writer.Write('\n');
    }

    internal static decimal WriteRow(
        TextWriter writer, StringBuilder line, DemoResource r, decimal quantity,
        string billingStart, string billingEnd, string chargeStart, string chargeEnd, ref long rows, decimal? overrideCost = null)
    {
        if (quantity == 0m)
        {
            return 0m;
        }

        var list = overrideCost ?? r.ListUnitPrice * quantity;
        var billed = overrideCost ?? (r.BilledUnitPrice ?? r.ListUnitPrice) * quantity;
        var effective = overrideCost ?? (r.EffectiveUnitPrice ?? r.BilledUnitPrice ?? r.ListUnitPrice) * quantity;
        var isUsage = r.ChargeCategory == "Usage";
        line.Clear();
        Field(line, BillingAccountId);
        Field(line, BillingAccountName);
        Field(line, "USD");
        Field(line, billingStart);
        Field(line, billingEnd);
        Field(line, chargeStart);
        Field(line, chargeEnd);
        Field(line, r.ChargeCategory);
        Field(line, "");
        Field(line, r.ChargeDescription);
        Field(line, r.ChargeCategory == "Usage" ? "Usage-Based" : r.ChargeCategory == "Purchase" ? "Recurring" : "One-Time");
        Field(line, "AWS");
        Field(line, "AWS");
        Field(line, "Amazon Web Services, Inc.");
        Field(line, r.ServiceName);
        Field(line, r.ServiceCategory);
        Field(line, r.Account.Id);
        Field(line, r.Account.Name);
        Field(line, r.ResourceId);
        Field(line, r.ResourceName);
        Field(line, r.ResourceType);
        Field(line, r.RegionId);
        Field(line, RegionName(r.RegionId));
        Field(line, r.AvailabilityZone ?? "");
        // FOCUS: a Tax row has no SKU, pricing quantity or unit prices; Usage and Purchase rows have a PricingCategory.
        var isTax = r.ChargeCategory == "Tax";
        Field(line, isTax ? "" : r.SkuId);
        Field(line, isTax ? "" : r.SkuId + "-" + r.PricingCategory);
        Field(line, isUsage || r.ChargeCategory == "Purchase" ? r.PricingCategory : "");
        Field(line, isTax ? "" : Number(quantity));
        Field(line, r.PricingUnit);
        Field(line, isTax ? "" : Number(r.ListUnitPrice));
        Field(line, isTax ? "" : Number(r.ListUnitPrice));
        Field(line, isUsage ? Number(quantity) : "");
        Field(line, isUsage ? r.PricingUnit : "");
        Field(line, Number(billed));
        Field(line, Number(effective));
        Field(line, Number(list));
        Field(line, Number(list));
        Field(line, r.CommitmentDiscountId ?? "");
        Field(line, r.Tags ?? "");
        line.Append(r.ChargeCategory == "Usage" ? "RunInstances" : "");
        line.Append('\n');
        writer.Write(line);
        rows++;
        return billed;
    }

    private static void Field(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\n") >= 0)
        {
            line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            line.Append(value);
        }

        line.Append(',');
    }

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Iso(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string RegionName(string region) => region switch
    {
        "us-east-1" => "US East (N. Virginia)",
        "us-west-2" => "US West (Oregon)",
        "eu-west-1" => "Europe (Ireland)",
        "" => "",
        _ => region,
    };

    internal static string TagJson(params (string Key, string Value)[] tags)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (key, value) in tags)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
