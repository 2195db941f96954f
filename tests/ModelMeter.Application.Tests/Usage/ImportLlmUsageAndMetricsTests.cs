using ModelMeter.Application.Imports;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Application.Tests.Usage;

public sealed class ImportLlmUsageAndMetricsTests : IDisposable
{
    private const string Calls = """
        {"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1-2025-04-14","usage":{"prompt_tokens":1000000,"completion_tokens":1000000,"prompt_tokens_details":{"cached_tokens":400000}},"tags":{"team":"search","user":"u1"}}
        {"timestamp":"2026-10-05T15:00:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","usage":{"input_tokens":1000000,"cache_read_input_tokens":1000000,"output_tokens":0},"tags":{"team":"support","user":"u2"}}
        {"timestamp":"2026-10-06T09:00:00Z","provider":"openai","model":"gpt-4.1","batch":true,"usage":{"prompt_tokens":1000000,"completion_tokens":0},"tags":{"team":"search"}}

        """;

    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private ImportLlmUsageResult ImportCalls(string text) =>
        _app.Get<ImportLlmUsageUseCase>().Run(new ImportLlmUsageRequest { Path = _app.WriteText(text, "calls.jsonl") });

    [Fact]
    public void LlmUsage_PricesEachCallOnce_PerProviderConvention_AndStoresTheCalls()
    {
        var result = ImportCalls(Calls);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.Calls.ShouldBe(3);

        // OpenAI: 600k fresh × 2 + 400k cached × 0.5 + 1M output × 8 = 9.4; batch: 1M × 1 = 1.
        // Anthropic: 1M input × 3 + 1M cache reads × 0.3 (input_tokens excludes them) = 3.3.
        var openAi = result.Models.Single(m => m.Model == "gpt-4.1");
        openAi.Cost.ShouldBe(10.4m);
        openAi.Tiers.ShouldBe(new Dictionary<string, long> { ["standard"] = 1, ["batch"] = 1 });
        result.Models.Single(m => m.Model == "claude-sonnet-4").Cost.ShouldBe(3.3m);
        result.Cost["USD"].ShouldBe(13.7m);

        using var store = DuckDbCostStore.Open(_app.StorePath, _app.Clock);
        var rows = store.QueryLlmUsage(null, null, ["team"]);
        rows.Sum(r => r.Cost).ShouldBe(13.7m);
        rows.Where(r => r.Tags["team"] == "search").Sum(r => r.Calls).ShouldBe(2);
    }

    [Fact]
    public void LlmUsage_SameLogAgain_IsANoOp_AndAReExportReplaces()
    {
        ImportCalls(Calls);
        ImportCalls(Calls).Outcome.ShouldBe(ImportOutcome.AlreadyImported);

        var again = ImportCalls(Calls.Replace("\"u2\"", "\"u3\"", StringComparison.Ordinal));
        again.Replaced.ShouldBe(3);

        using var store = DuckDbCostStore.Open(_app.StorePath, _app.Clock);
        store.QueryLlmUsage(null, null, []).Sum(r => r.Calls).ShouldBe(3);
    }

    [Fact]
    public void LlmUsage_AnUnknownModel_RefusesTheLog_NamingTheLine_AndStoresNothing()
    {
        var error = Should.Throw<UserInputException>(() => ImportCalls(Calls + """{"timestamp":"2026-10-06T09:00:00Z","provider":"openai","model":"gpt-99","usage":{"prompt_tokens":1,"completion_tokens":1}}"""));

        error.Message.ShouldContain("calls.jsonl: line 4, $.model: model 'gpt-99' is not in the LLM price catalogue");
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Metrics_ReadMonthsWeeksAndDays_WithScopeColumns_AndReplaceTheSameValue()
    {
        const string csv = """
            period,product,metric,value
            2026-10,search,active_users,1200
            2026-W41,search,revenue,5400.50
            2026-10-05,,predictions_served,100000

            """;
        var first = _app.Get<ImportMetricsUseCase>().Run(new ImportMetricsRequest { Path = _app.WriteText(csv, "metrics.csv") });
        first.Values.ShouldBe(3);

        var second = _app.Get<ImportMetricsUseCase>().Run(new ImportMetricsRequest { Path = _app.WriteText(csv.Replace("1200", "1300", StringComparison.Ordinal), "metrics.csv") });
        second.Replaced.ShouldBe(3);

        using var store = DuckDbCostStore.Open(_app.StorePath, _app.Clock);
        var values = store.QueryBusinessMetrics(null, null);
        values.Count.ShouldBe(3);
        var users = values.Single(v => v.Metric == "active_users");
        (users.PeriodStart, users.PeriodEnd, users.Value, users.Dimensions["product"]).ShouldBe((new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1), 1300m, "search"));
        values.Single(v => v.Metric == "revenue").PeriodStart.ShouldBe(new DateOnly(2026, 10, 5));
        values.Single(v => v.Metric == "predictions_served").Dimensions.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("period,metric,value\n2026-13,users,1\n", "line 2, column 1: period '2026-13'")]
    [InlineData("period,metric,value\n2026-10,users,1,5\n", "line 2: 4 fields")]
    [InlineData("period,metric,value\n2026-10,users,1k\n", "line 2, column 3: value '1k' is not a number")]
    [InlineData("when,metric,value\n2026-10,users,1\n", "line 1: the header needs period")]
    public void Metrics_ABadLine_NamesLineAndColumn(string csv, string message) =>
        Should.Throw<UserInputException>(() => _app.Get<ImportMetricsUseCase>().Run(new ImportMetricsRequest { Path = _app.WriteText(csv, "m.csv") }))
            .Message.ShouldContain(message);
}
