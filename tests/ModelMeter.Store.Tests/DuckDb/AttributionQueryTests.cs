using ModelMeter.Core.Allocation;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.DuckDb;

public class AttributionQueryTests
{
    private static readonly DateTime Oct1 = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void QueryBilledCostRows_SumsHoursPerDayResourceAndRawTagSet()
    {
        using var temp = new TempStore();
        temp.Import(
            TempStore.Item(Oct1, "Amazon EC2", "i-1", "111", 1.25m, tags: [("Team", "NLP"), ("env", "prod")]),
            TempStore.Item(Oct1.AddHours(1), "Amazon EC2", "i-1", "111", 1.25m, tags: [("Team", "NLP"), ("env", "prod")]),
            TempStore.Item(Oct1.AddHours(2), "Amazon EC2", "i-1", "111", 0.5m, tags: [("Team", "vision")]),
            TempStore.Item(Oct1.AddDays(1), "Amazon EC2", "i-1", "111", 2m, tags: [("Team", "NLP"), ("env", "prod")]),
            TempStore.Item(Oct1.AddHours(3), "Amazon S3", null, "222", 0.000000001m),
            TempStore.Item(Oct1.AddHours(4), "AWS Credits", null, "222", -3m));

        var rows = temp.Store.QueryBilledCostRows(new CostQuery());

        // Given six hourly items, when aggregated, then one row per day x resource x raw tag set, cost summed exactly.
        rows.Count.ShouldBe(5);
        var nlpDay1 = rows.Single(r => r.Period == new DateOnly(2026, 10, 1) && r.ResourceId == "i-1" && r.Tags.GetValueOrDefault("Team") == "NLP");
        nlpDay1.Amount.ShouldBe(2.5m);
        nlpDay1.Currency.ShouldBe("USD");
        nlpDay1.ServiceName.ShouldBe("Amazon EC2");
        nlpDay1.SubAccountId.ShouldBe("111");
        nlpDay1.Tags.ShouldBe(new Dictionary<string, string?> { ["Team"] = "NLP", ["env"] = "prod" }, ignoreOrder: true); // raw: the policy normalises later
        nlpDay1.IsProviderAllocated.ShouldBeFalse();
        rows.Single(r => r.Tags.GetValueOrDefault("Team") == "vision").Amount.ShouldBe(0.5m);
        rows.Single(r => r.Period == new DateOnly(2026, 10, 2)).Amount.ShouldBe(2m);
        rows.Single(r => r.ServiceName == "Amazon S3").Amount.ShouldBe(0.000000001m);
        rows.Single(r => r.ServiceName == "AWS Credits").Tags.ShouldBeEmpty();
        rows.Sum(r => r.Amount).ShouldBe(2.5m + 0.5m + 2m + 0.000000001m - 3m);
    }

    [Fact]
    public void QueryBilledCostRows_HonoursThePeriodAndWhere()
    {
        using var temp = new TempStore();
        temp.Import(
            TempStore.Item(Oct1, "Amazon EC2", "i-1", "111", 1m, tags: [("team", "nlp")]),
            TempStore.Item(Oct1.AddDays(1), "Amazon EC2", "i-1", "111", 2m, tags: [("team", "nlp")]),
            TempStore.Item(Oct1.AddDays(1), "Amazon S3", "b-1", "111", 4m, tags: [("team", "nlp")]));

        var rows = temp.Store.QueryBilledCostRows(new CostQuery
        {
            From = Oct1.AddDays(1),
            To = Oct1.AddDays(2),
            Where = [ReportArguments.ParseFilter("ServiceName=Amazon EC2")],
        });

        rows.ShouldHaveSingleItem().Amount.ShouldBe(2m);
    }

    [Fact]
    public void UsageImport_Committed_IsReturnedPerDayMetricAndDimensions()
    {
        using var temp = new TempStore();
        var record = ImportUsage(temp, "a.csv",
            Sample(1, "gpu_hours", 32m, ("team", "nlp"), ("cluster", "gpu-a")),
            Sample(1, "gpu_hours", 8m, ("team", "nlp"), ("cluster", "gpu-a")),
            Sample(1, "gpu_hours", 16m, ("team", "vision"), ("cluster", "gpu-a")),
            Sample(2, "gpu_hours", 1.5m, ("team", "nlp"), ("cluster", "gpu-a")));

        record.Kind.ShouldBe(ImportKind.Usage);
        record.Rows.ShouldBe(4);
        record.BillingPeriods.ShouldBe(["gpu_hours 2026-10-01..2026-10-02"]);
        temp.Store.FindImportByContentHash("a.csv-hash")!.ImportId.ShouldBe(record.ImportId);

        var day1 = temp.Store.QueryUsage(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 2));
        day1.Count.ShouldBe(2);
        day1.Single(s => s.Dimension("team") == "nlp").Value.ShouldBe(40m);
        day1.Single(s => s.Dimension("team") == "vision").Dimension("cluster").ShouldBe("gpu-a");
        temp.Store.QueryUsage(null, null).Sum(s => s.Value).ShouldBe(57.5m);
    }

    [Fact]
    public void UsageImport_NotCommitted_LeavesTheStoreUnchanged()
    {
        using var temp = new TempStore();
        ImportUsage(temp, "a.csv", Sample(1, "gpu_hours", 10m, ("team", "nlp")));

        // When an import fails halfway (a bad line, a crash), disposing the session rolls back everything it wrote.
        using (var session = temp.Store.BeginUsageImport())
        {
            session.Append(Sample(1, "gpu_hours", 99m, ("team", "nlp")));
            session.Append(Sample(3, "requests", 5m, ("model", "bert")));
        }

        temp.Store.QueryUsage(null, null).ShouldHaveSingleItem().Value.ShouldBe(10m);
        temp.Store.ListImports().Count(i => i.Kind == ImportKind.Usage).ShouldBe(1);
    }

    [Fact]
    public void UsageImport_SameMetricAndDays_ReplacesTheEarlierSamples_OtherMetricsStay()
    {
        using var temp = new TempStore();
        var first = ImportUsage(temp, "a.csv",
            Sample(1, "gpu_hours", 10m, ("team", "nlp")),
            Sample(2, "gpu_hours", 10m, ("team", "nlp")),
            Sample(5, "gpu_hours", 10m, ("team", "nlp")),
            Sample(1, "requests", 7m, ("model", "bert")));
        var second = ImportUsage(temp, "b.csv",
            Sample(1, "gpu_hours", 20m, ("team", "vision")),
            Sample(2, "gpu_hours", 30m, ("team", "vision")));

        second.ReplacedRows.ShouldBe(2);
        var all = temp.Store.QueryUsage(null, null);
        all.Where(s => s.Metric == "gpu_hours").Sum(s => s.Value).ShouldBe(60m); // days 1-2 re-measured, day 5 kept
        all.Single(s => s.Metric == "requests").Value.ShouldBe(7m);
        temp.Store.ListImports().Single(i => i.ImportId == first.ImportId).SupersededBy.ShouldBeNull(); // still holds day 5 and requests
    }

    [Fact]
    public void ImportExchangeRates_StoresThem_AndANewRateForTheSameDayAndPairReplacesTheOld()
    {
        using var temp = new TempStore();
        var d1 = new DateOnly(2026, 10, 1);
        var d2 = new DateOnly(2026, 10, 2);
        temp.Store.ImportExchangeRates([new(d1, "EUR", "USD", 1.07m), new(d2, "EUR", "USD", 1.08m)], new ImportedFile("r1.csv", "h1", 10, 2));

        var second = temp.Store.ImportExchangeRates([new(d2, "EUR", "USD", 1.09m)], new ImportedFile("r2.csv", "h2", 10, 1));

        second.ReplacedRows.ShouldBe(1);
        second.BillingPeriods.ShouldBe(["EUR->USD 2026-10-02..2026-10-02"]);
        temp.Store.ExchangeRates().ShouldBe([new(d1, "EUR", "USD", 1.07m), new(d2, "EUR", "USD", 1.09m)]);
        temp.Store.ListImports().Select(i => i.Kind).ShouldBe([ImportKind.Rates, ImportKind.Rates]);
    }

    private static UsageSample Sample(int day, string metric, decimal value, params (string Key, string Value)[] dimensions) =>
        new(new DateOnly(2026, 10, day), metric, value, dimensions.ToDictionary(d => d.Key, d => (string?)d.Value));

    private static ImportRecord ImportUsage(TempStore temp, string file, params UsageSample[] samples)
    {
        using var session = temp.Store.BeginUsageImport();
        foreach (var sample in samples)
        {
            session.Append(sample);
        }

        return session.Commit(new ImportedFile(file, file + "-hash", 100, samples.Length));
    }
}
