using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

internal static class Fixtures
{
    /// <summary>October, EffectiveCost 100 USD: vision 35, nlp 30, untagged 20 (Storage, on Oct 2), search 15; BilledCost 1 per row.</summary>
    public static FocusCsv Teams() => new FocusCsv()
        .Row(("EffectiveCost", "30"), ("Tags", "{\"team\":\"nlp\"}"), ("ServiceCategory", "Compute"))
        .Row(("EffectiveCost", "35"), ("Tags", "{\"team\":\"vision\"}"), ("ServiceCategory", "Compute"))
        .Row(("EffectiveCost", "15"), ("Tags", "{\"team\":\"search\"}"), ("ServiceCategory", "Compute"))
        .Row(("EffectiveCost", "20"), ("Tags", ""), ("ServiceCategory", "Storage"), ("ChargePeriodStart", "2026-10-02T00:00:00Z"), ("ChargePeriodEnd", "2026-10-03T00:00:00Z"));
}
