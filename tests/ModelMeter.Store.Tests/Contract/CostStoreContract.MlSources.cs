using ModelMeter.Core.Allocation;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>Hourly usage series, LLM calls, business metrics and recorded estimates.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    private static UsageSample Hourly(string instant, string metric, decimal value, params (string Key, string Value)[] dimensions)
    {
        var at = LineItem.Utc(instant);
        return new UsageSample(DateOnly.FromDateTime(at), metric, value, dimensions.ToDictionary(d => d.Key, d => (string?)d.Value)) { Start = at };
    }

    private static LlmCall Call(string instant, string model, long input, long output, decimal cost, params (string Key, string Value)[] tags) =>
        new(LineItem.Utc(instant), "openai", model, "standard", input, 10, 0, output, 2, cost, "USD", tags.ToDictionary(t => t.Key, t => (string?)t.Value));

    [Fact]
    public void UsageStatistics_PerHour_GiveSumCountMinAndMax_SoGaugesAreAveragedAndCountersSummed()
    {
        using (var session = Store.BeginUsageImport(ImportKind.Prometheus))
        {
            session.Append(Hourly("2026-10-01T10:00:00Z", "gpu_utilization_percent", 20m, ("resource_id", "i-1")));
            session.Append(Hourly("2026-10-01T10:30:00Z", "gpu_utilization_percent", 40m, ("resource_id", "i-1")));
            session.Append(Hourly("2026-10-01T11:00:00Z", "gpu_utilization_percent", 90m, ("resource_id", "i-1")));
            session.Append(Hourly("2026-10-01T10:00:00Z", "predictions", 1000m, ("model", "ranker")));
            session.Append(new UsageSample(new DateOnly(2026, 10, 2), "predictions", 5m, new Dictionary<string, string?> { ["model"] = "ranker" }));
            session.Commit(File("prom", 5)).Kind.ShouldBe(ImportKind.Prometheus);
        }

        var hourly = Store.QueryUsageStatistics(new UsageStatisticsQuery { Metrics = ["gpu_utilization_percent"] });
        hourly.Select(s => $"{s.Bucket:yyyy-MM-dd HH:mm} {Describe(s.Dimensions)} sum={Plain(s.Sum)} n={s.Count} min={Plain(s.Min)} max={Plain(s.Max)} mean={Plain(s.Mean)}")
            .ShouldBe(
            [
                "2026-10-01 10:00 resource_id=i-1 sum=60 n=2 min=20 max=40 mean=30",
                "2026-10-01 11:00 resource_id=i-1 sum=90 n=1 min=90 max=90 mean=90",
            ]);
        hourly[0].Bucket.Kind.ShouldBe(DateTimeKind.Utc);

        var daily = Store.QueryUsageStatistics(new UsageStatisticsQuery { Grain = UsageGrain.Day, Metrics = ["predictions"] });
        daily.Select(s => $"{s.Bucket:yyyy-MM-dd HH:mm} {Plain(s.Sum)}").ShouldBe(["2026-10-01 00:00 1000", "2026-10-02 00:00 5"]);

        Store.QueryUsageStatistics(new UsageStatisticsQuery { From = LineItem.Utc("2026-10-01T10:45:00Z"), To = LineItem.Utc("2026-10-02T00:00:00Z") })
            .Select(s => $"{s.Metric} {Plain(s.Sum)}").ShouldBe(["gpu_utilization_percent 90"], "the window is on the measured instant");

        // The daily view of the same samples is unchanged by the instant.
        Store.QueryUsage(null, null).Where(s => s.Metric == "gpu_utilization_percent").ShouldHaveSingleItem().Value.ShouldBe(150m);
    }

    [Fact]
    public void LlmCalls_AreSummedPerDayModelAndChosenTags_AndAReExportedPeriodReplacesTheOld()
    {
        var first = Store.ImportLlmCalls(
        [
            Call("2026-10-01T10:00:00Z", "gpt-4.1", 100, 20, 0.5m, ("team", "nlp"), ("user", "u1")),
            Call("2026-10-01T11:00:00Z", "gpt-4.1", 300, 40, 1.25m, ("team", "nlp"), ("user", "u2")),
            Call("2026-10-01T12:00:00Z", "gpt-4.1", 50, 5, 0.125m, ("user", "u3")),
            Call("2026-10-03T12:00:00Z", "gpt-4.1", 1, 1, 0.01m, ("team", "nlp")),
        ], File("calls-1.jsonl", 4));
        first.Kind.ShouldBe(ImportKind.LlmUsage);
        first.BilledTotals.ShouldBe(new Dictionary<string, decimal> { ["USD"] = 1.885m });

        var rows = Store.QueryLlmUsage(null, null, ["team"]);
        rows.Select(r => $"{r.Day:MM-dd} {r.Provider} {r.Model} {r.Tier} team={r.Tags["team"] ?? "null"} calls={r.Calls} in={r.InputTokens} cached={r.CachedInputTokens} out={r.OutputTokens} reasoning={r.ReasoningTokens} {Plain(r.Cost)} {r.Currency}")
            .ShouldBe(
            [
                "10-01 openai gpt-4.1 standard team=nlp calls=2 in=400 cached=20 out=60 reasoning=4 1.75 USD",
                "10-01 openai gpt-4.1 standard team=null calls=1 in=50 cached=10 out=5 reasoning=2 0.125 USD",
                "10-03 openai gpt-4.1 standard team=nlp calls=1 in=1 cached=10 out=1 reasoning=2 0.01 USD",
            ], ignoreOrder: true);
        Store.QueryLlmUsage(LineItem.Utc("2026-10-02T00:00:00Z"), null, []).ShouldHaveSingleItem().Calls.ShouldBe(1);

        var second = Store.ImportLlmCalls([Call("2026-10-01T09:00:00Z", "gpt-4.1", 7, 7, 0.07m), Call("2026-10-01T13:00:00Z", "gpt-4.1", 7, 7, 0.07m)], File("calls-2.jsonl", 2));

        second.ReplacedRows.ShouldBe(3);
        Store.QueryLlmUsage(null, null, []).Sum(r => r.Calls).ShouldBe(3);
        Store.QueryLlmUsage(null, null, []).Sum(r => r.Cost).ShouldBe(0.15m);
    }

    [Fact]
    public void LlmCalls_SplitByPromptSize_KeepEachCallsSide_OfAnyThreshold()
    {
        // Prompts (input + 10 cached + 0 cache writes): 110, 310 and 60 tokens on one day, one model and team.
        Store.ImportLlmCalls(
        [
            Call("2026-10-01T10:00:00Z", "gpt-4.1", 100, 20, 0.5m, ("team", "nlp")),
            Call("2026-10-01T11:00:00Z", "gpt-4.1", 300, 40, 1.25m, ("team", "nlp")),
            Call("2026-10-01T12:00:00Z", "gpt-4.1", 50, 5, 0.125m, ("team", "nlp")),
        ], File("calls.jsonl", 3));

        string Describe(IEnumerable<LlmUsageRow> rows) => string.Join("; ", rows
            .OrderBy(r => r.LongPrompt)
            .Select(r => $"long={r.LongPrompt?.ToString() ?? "null"} calls={r.Calls} in={r.InputTokens} cached={r.CachedInputTokens} out={r.OutputTokens} {Plain(r.Cost)}"));

        // Without a threshold the day is one row; with one, the calls whose own prompt exceeds it are apart.
        Describe(Store.QueryLlmUsage(null, null, ["team"])).ShouldBe("long=null calls=3 in=450 cached=30 out=65 1.875");
        Describe(Store.QueryLlmUsage(null, null, ["team"], promptAbove: 100)).ShouldBe("long=False calls=1 in=50 cached=10 out=5 0.125; long=True calls=2 in=400 cached=20 out=60 1.75");
        Describe(Store.QueryLlmUsage(null, null, ["team"], promptAbove: 110)).ShouldBe("long=False calls=2 in=150 cached=20 out=25 0.625; long=True calls=1 in=300 cached=10 out=40 1.25");
        // The day's summed prompt (480) exceeds 400, but no call's does.
        Describe(Store.QueryLlmUsage(null, null, ["team"], promptAbove: 400)).ShouldBe("long=False calls=3 in=450 cached=30 out=65 1.875");
    }

    [Fact]
    public void BusinessMetrics_AreReadBackByPeriod_AndTheSameMetricPeriodAndScopeIsReplaced()
    {
        var oct = new DateOnly(2026, 10, 1);
        var nov = new DateOnly(2026, 11, 1);
        Store.ImportBusinessMetrics(
        [
            new(oct, nov, "active_users", 1200m, new Dictionary<string, string?> { ["product"] = "assistant" }),
            new(oct, nov, "revenue", 5000.5m, new Dictionary<string, string?>()),
            new(nov, nov.AddMonths(1), "active_users", 1300m, new Dictionary<string, string?> { ["product"] = "assistant" }),
        ], File("metrics-1.csv", 3)).Kind.ShouldBe(ImportKind.Metrics);

        var record = Store.ImportBusinessMetrics([new(oct, nov, "active_users", 1250m, new Dictionary<string, string?> { ["product"] = "assistant" })], File("metrics-2.csv", 1));

        record.ReplacedRows.ShouldBe(1);
        Store.QueryBusinessMetrics(oct, nov).Select(v => $"{v.PeriodStart:MM-dd}..{v.PeriodEnd:MM-dd} {v.Metric} {Describe(v.Dimensions)} {Plain(v.Value)}").ShouldBe(
        [
            "10-01..11-01 active_users product=assistant 1250",
            "10-01..11-01 revenue  5000.5",
        ]);
        Store.QueryBusinessMetrics(null, null).Count.ShouldBe(3);
    }

    [Fact]
    public void Estimates_AreRecordedById_AndRecordingAnIdAgainReplacesIt()
    {
        Store.RecordEstimate(new RecordedEstimate("est-1", Now, "train.yaml", "training", "7B", 1000.5m, "USD", 12.25m));
        Store.RecordEstimate(new RecordedEstimate("est-2", Now, "llm.yaml", "llm", "bot", 10m, "USD", null));
        Store.RecordEstimate(new RecordedEstimate("est-1", Now.AddHours(1), "train.yaml", "training", "7B", 900m, "USD", 10m));

        Store.Estimates().ShouldBe(
        [
            new RecordedEstimate("est-1", Now.AddHours(1), "train.yaml", "training", "7B", 900m, "USD", 10m),
            new RecordedEstimate("est-2", Now, "llm.yaml", "llm", "bot", 10m, "USD", null),
        ]);
        Store.Estimates()[0].RecordedAt.Kind.ShouldBe(DateTimeKind.Utc);
    }
}
