using System.Globalization;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>Usage samples (allocation drivers) and exchange rates: import, replacement, reading back.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    private static UsageSample Sample(int day, string metric, decimal value, params (string Key, string Value)[] dimensions) =>
        new(new DateOnly(2026, 10, day), metric, value, dimensions.ToDictionary(d => d.Key, d => (string?)d.Value));

    private ImportRecord ImportUsage(string file, params UsageSample[] samples)
    {
        using var session = Store.BeginUsageImport();
        foreach (var sample in samples)
        {
            session.Append(sample);
        }

        return session.Commit(File(file, samples.Length));
    }

    private static string Describe(UsageSample sample) =>
        $"{sample.Period:yyyy-MM-dd} {sample.Metric} {Describe(sample.Dimensions)} {Plain(sample.Value)}";

    /// <summary>A decimal without the trailing zeros of a store's fixed scale (40.000000000000000000 is 40).</summary>
    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void UsageImport_Committed_IsSummedPerDayMetricAndDimensions()
    {
        var record = ImportUsage("a.csv",
            Sample(1, "gpu_hours", 32m, ("team", "nlp"), ("cluster", "gpu-a")),
            Sample(1, "gpu_hours", 8m, ("cluster", "gpu-a"), ("team", "nlp")),
            Sample(1, "gpu_hours", 16m, ("team", "vision"), ("cluster", "gpu-a")),
            Sample(2, "gpu_hours", 1.5m, ("team", "nlp"), ("cluster", "gpu-a")),
            Sample(2, "requests", 0.000000000000000001m, ("model", "bert")));

        record.Kind.ShouldBe(ImportKind.Usage);
        record.Rows.ShouldBe(5);
        record.ReplacedRows.ShouldBe(0);
        record.ImportedAt.ShouldBe(Now);
        record.Files.ShouldBe([File("a.csv", 5)]);
        record.BillingPeriods.ShouldBe(["gpu_hours 2026-10-01..2026-10-02", "requests 2026-10-02..2026-10-02"]);
        record.BilledTotals.ShouldBeEmpty();
        ShouldMatch(Store.ListImports().ShouldHaveSingleItem(), record);
        Store.FindImportByContentHash(File("a.csv", 5).Sha256)!.ImportId.ShouldBe(record.ImportId);

        // 32 + 8 on day 1 for nlp (dimensions match whatever their order).
        Store.QueryUsage(null, null).Select(Describe).ShouldBe(
        [
            "2026-10-01 gpu_hours cluster=gpu-a,team=nlp 40",
            "2026-10-01 gpu_hours cluster=gpu-a,team=vision 16",
            "2026-10-02 gpu_hours cluster=gpu-a,team=nlp 1.5",
            "2026-10-02 requests model=bert 0.000000000000000001",
        ], ignoreOrder: true);
    }

    [Fact]
    public void UsageImport_OfManyChunks_KeepsEverySampleAndInstantExactly_WithSharedDimensionSets()
    {
        // Given 5,000 samples (more than two of DuckDB's 2,048-row chunks) over 300 dimension sets, each set one shared
        // dictionary as the CSV reader hands them out, a dimension without a value, 18 decimal places, and instants on half
        var sets = Enumerable.Range(0, 300)
            .Select(i => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?> { ["team"] = $"t{i % 7}", ["model"] = $"m{i}", ["zone"] = i % 2 == 0 ? null : "a" })
            .ToList();
        var samples = Enumerable.Range(0, 5000)
            .Select(i => new UsageSample(new DateOnly(2026, 10, 1 + (i % 3)), i % 4 == 0 ? "requests" : "gpu_hours", (i % 97) + 0.000000000000000123m, sets[i % 300])
            {
                Start = i % 2 == 0 ? new DateTime(2026, 10, 1 + (i % 3), i % 24, 0, 0, DateTimeKind.Utc) : null,
            })
            .ToArray();

        // When they are imported
        ImportUsage("many.csv", samples).Rows.ShouldBe(5000);

        // Then every day, metric and dimension set sums exactly what was appended, the empty dimension left out
        static string Dims(IReadOnlyDictionary<string, string?> d) =>
            string.Join(',', d.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var expected = samples
            .GroupBy(s => $"{s.Period:yyyy-MM-dd} {s.Metric} {Dims(s.Dimensions)}")
            .Select(g => $"{g.Key} {Plain(g.Sum(s => s.Value))}");
        Store.QueryUsage(null, null).Select(Describe).ShouldBe(expected, ignoreOrder: true);

        // And the instants were kept where given: per hour, each bucket counts the samples measured in it (one
        // without an instant counts at its day's midnight)
        Store.QueryUsageStatistics(new UsageStatisticsQuery { Metrics = ["gpu_hours"], Grain = UsageGrain.Hour })
            .GroupBy(s => s.Bucket).Select(g => $"{g.Key:yyyy-MM-dd HH:mm} {g.Sum(s => s.Count)}")
            .ShouldBe(samples.Where(s => s.Metric == "gpu_hours").GroupBy(s => s.Start ?? s.Period.ToDateTime(TimeOnly.MinValue))
                .Select(g => $"{g.Key:yyyy-MM-dd HH:mm} {g.Count()}"), ignoreOrder: true);
    }

    [Fact]
    public void QueryUsage_ReadsTheDaysFromTheFirst_BeforeTheEnd()
    {
        ImportUsage("a.csv",
            Sample(1, "gpu_hours", 1m, ("team", "nlp")),
            Sample(2, "gpu_hours", 2m, ("team", "nlp")),
            Sample(3, "gpu_hours", 4m, ("team", "nlp")),
            Sample(31, "gpu_hours", 8m, ("team", "nlp")));

        decimal Sum(DateOnly? first, DateOnly? end) => Store.QueryUsage(first, end).Sum(s => s.Value);

        Sum(new DateOnly(2026, 10, 2), new DateOnly(2026, 10, 3)).ShouldBe(2m);
        Sum(new DateOnly(2026, 10, 2), null).ShouldBe(14m); // 2 + 4 + 8
        Sum(null, new DateOnly(2026, 10, 3)).ShouldBe(3m);  // 1 + 2
        Sum(new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 1)).ShouldBe(8m);
        Sum(new DateOnly(2026, 10, 4), new DateOnly(2026, 10, 31)).ShouldBe(0m);
        Store.QueryUsage(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 2)).ShouldHaveSingleItem().Period.ShouldBe(new DateOnly(2026, 10, 1));
    }

    [Fact]
    public void UsageImport_NotCommitted_LeavesTheStoreUnchanged()
    {
        ImportUsage("a.csv", Sample(1, "gpu_hours", 10m, ("team", "nlp")));
        var reader = Reader();

        using (var session = Store.BeginUsageImport())
        {
            session.Append(Sample(1, "gpu_hours", 99m, ("team", "nlp")));
            session.Append(Sample(3, "requests", 5m, ("model", "bert")));
            reader.QueryUsage(null, null).ShouldHaveSingleItem().Value.ShouldBe(10m);
        }

        foreach (var store in new[] { Store, reader })
        {
            store.QueryUsage(null, null).ShouldHaveSingleItem().Value.ShouldBe(10m);
            store.ListImports().ShouldHaveSingleItem().Kind.ShouldBe(ImportKind.Usage);
        }
    }

    [Fact]
    public void UsageImport_OfTheSameMetricAndDays_ReplacesTheEarlierSamples_OtherMetricsAndDaysStay()
    {
        var first = ImportUsage("a.csv",
            Sample(1, "gpu_hours", 10m, ("team", "nlp")),
            Sample(2, "gpu_hours", 10m, ("team", "nlp")),
            Sample(5, "gpu_hours", 10m, ("team", "nlp")),
            Sample(1, "requests", 7m, ("model", "bert")));

        var second = ImportUsage("b.csv",
            Sample(1, "gpu_hours", 20m, ("team", "vision")),
            Sample(2, "gpu_hours", 30m, ("team", "vision")));

        // Days 1-2 of gpu_hours re-measured (nlp's 10 + 10 go, 20 + 30 come), day 5 and requests kept.
        second.ReplacedRows.ShouldBe(2);
        var all = Store.QueryUsage(null, null);
        all.Where(s => s.Metric == "gpu_hours").Select(Describe).ShouldBe(
            ["2026-10-01 gpu_hours team=vision 20", "2026-10-02 gpu_hours team=vision 30", "2026-10-05 gpu_hours team=nlp 10"], ignoreOrder: true);
        all.Single(s => s.Metric == "requests").Value.ShouldBe(7m);
        Store.ListImports().Single(i => i.ImportId == first.ImportId).SupersededBy.ShouldBeNull(); // it still holds day 5 and requests
    }

    [Fact]
    public void UsageImport_ReplacingEverySampleOfAnImport_SupersedesIt()
    {
        var first = ImportUsage("a.csv", Sample(1, "gpu_hours", 10m, ("team", "nlp")), Sample(3, "gpu_hours", 10m, ("team", "nlp")));

        // The new range, days 1 to 3, covers both earlier samples though day 2 has none of its own.
        var second = ImportUsage("b.csv", Sample(1, "gpu_hours", 4m, ("team", "nlp")), Sample(3, "gpu_hours", 6m, ("team", "nlp")));

        second.ReplacedRows.ShouldBe(2);
        Store.QueryUsage(null, null).Sum(s => s.Value).ShouldBe(10m);
        Store.ListImports().Single(i => i.ImportId == first.ImportId).SupersededBy.ShouldBe(second.ImportId);
        Store.FindImportByContentHash(File("a.csv", 2).Sha256).ShouldBeNull();
    }

    [Fact]
    public void UsageImport_DoesNotReplaceLineItems_NorTheOtherWayRound()
    {
        Import(Item(5m));
        ImportUsage("a.csv", Sample(1, "gpu_hours", 10m, ("team", "nlp")));

        Import(Item(7m));

        Total().ShouldBe(7m);
        Store.QueryUsage(null, null).ShouldHaveSingleItem().Value.ShouldBe(10m);
        Store.ListImports().Single(i => i.Kind == ImportKind.Usage).SupersededBy.ShouldBeNull();
    }

    [Fact]
    public void ImportExchangeRates_StoresThem_AndANewRateForTheSameDayAndPairReplacesTheOld()
    {
        var d1 = new DateOnly(2026, 10, 1);
        var d2 = new DateOnly(2026, 10, 2);
        var first = Store.ImportExchangeRates([new(d1, "EUR", "USD", 1.07m), new(d2, "EUR", "USD", 1.08m), new(d1, "GBP", "USD", 1.25m)], File("r1.csv", 3));
        Clock.Advance(TimeSpan.FromDays(1));

        var second = Store.ImportExchangeRates([new(d2, "EUR", "USD", 1.09m), new(d2, "USD", "EUR", 0.917431192660550459m)], File("r2.csv", 2));

        first.Kind.ShouldBe(ImportKind.Rates);
        first.Rows.ShouldBe(3);
        first.ReplacedRows.ShouldBe(0);
        first.BillingPeriods.ShouldBe(["EUR->USD 2026-10-01..2026-10-02", "GBP->USD 2026-10-01..2026-10-01"]);
        second.ReplacedRows.ShouldBe(1); // EUR->USD on 10-02; USD->EUR is another pair
        second.ImportedAt.ShouldBe(Now.AddDays(1));
        second.BillingPeriods.ShouldBe(["EUR->USD 2026-10-02..2026-10-02", "USD->EUR 2026-10-02..2026-10-02"]);
        second.BilledTotals.ShouldBeEmpty();
        Store.ExchangeRates().ShouldBe(
        [
            new ExchangeRate(d1, "EUR", "USD", 1.07m), new ExchangeRate(d2, "EUR", "USD", 1.09m),
            new ExchangeRate(d1, "GBP", "USD", 1.25m), new ExchangeRate(d2, "USD", "EUR", 0.917431192660550459m),
        ], ignoreOrder: true);
        var imports = Store.ListImports();
        imports.Select(i => i.Kind).ShouldBe([ImportKind.Rates, ImportKind.Rates]);
        ShouldMatch(imports[0], first);
        ShouldMatch(imports[1], second);
    }
}
