using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>The cases of <see cref="CostStoreContract{TFixture}"/>'s theories (a generic class cannot hold them).</summary>
public static class CostStoreContractData
{
    public static TheoryData<string> WrongTotals => new()
    {
        "USD=3",                    // more than the rows hold (2)
        "USD=1.999999999999999999", // differs in the 18th decimal place
        "",                         // no totals at all
        "USD=2;EUR=0",              // a currency the rows do not have
        "EUR=2",                    // the right amount in the wrong currency
    };

    public static TheoryData<string, decimal> Conditions => new()
    {
        // Over CostStoreContract.ImportTeams: nlp 15 (10.25 + 4.75), vision 20, untagged 10 (7 + 3); ada 10.25, grace 20.
        { "team = nlp", 15m },
        { "team != nlp", 30m },           // vision and the untagged cost: 20 + 7 + 3
        { "team in (nlp, vision)", 35m },
        { "team not in (nlp)", 30m },
        { "team = (untagged)", 10m },
        { "team != (untagged)", 35m },
        { "owner = ada", 10.25m },
        { "owner != ada", 34.75m },
        { "owner in (ada, grace)", 30.25m },
        { "owner not in (ada, grace)", 14.75m },
        { "owner = (untagged)", 14.75m },
        { "ServiceCategory = Compute", 33.25m },
        { "ServiceCategory != Compute", 11.75m },
        { "ServiceCategory in (Storage, Networking)", 11.75m },
        { "ServiceCategory not in (Storage, Networking)", 33.25m },
        { "RegionId = (none)", 7m },
        { "RegionId != (none)", 38m },
        { "team = nobody", 0m },
    };

    public static TheoryData<TimeGrain, string[], decimal[]> Grains => new()
    {
        { TimeGrain.Day, ["2026-10-01", "2026-10-06", "2026-10-31", "2026-11-01"], [1m, 2m, 4m, 8m] },

        // 2026-10-01 is a Thursday; weeks start on Monday (ISO 8601) and are cut at the first of a month (TimeBuckets), so
        // weeks add up to their month: 10-01 (Thu to Sun), 10-05, 10-26 (to Sat the 31st), and 11-01 (Sunday, a new month).
        { TimeGrain.Week, ["2026-10-01", "2026-10-05", "2026-10-26", "2026-11-01"], [1m, 2m, 4m, 8m] },
        { TimeGrain.Month, ["2026-10-01", "2026-11-01"], [7m, 8m] },
    };
}
