namespace ModelMeter.Cli.Tests.Commands;

public sealed class ImportLlmUsageCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task ImportLlmUsage_PrintsCallsAndCostPerModel_AndJsonCarriesTheFigures()
    {
        _cli.WriteText(
            """
            {"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1000000,"completion_tokens":1000000,"prompt_tokens_details":{"cached_tokens":400000}}}
            {"timestamp":"2026-10-05T15:00:00Z","provider":"anthropic","model":"claude-sonnet-4","usage":{"input_tokens":1000000,"cache_read_input_tokens":1000000,"output_tokens":0}}

            """,
            "calls.jsonl");

        var table = await _cli.Run("import", "llm-usage", "calls.jsonl");
        var again = await _cli.Run("import", "llm-usage", "calls.jsonl", "--format", "json");

        table.ExitCode.ShouldBe(0, table.ToString());
        table.Out.ShouldContain("Imported 2 LLM call(s) from calls.jsonl");
        table.Out.ShouldContain("claude-sonnet-4");
        again.Json().GetProperty("outcome").GetString().ShouldBe("already_imported");
        again.Json().GetProperty("cost").GetProperty("USD").GetDecimal().ShouldBe(12.7m);
    }

    [Fact]
    public async Task ImportLlmUsage_AnUnknownModel_FailsWithTheLine()
    {
        _cli.WriteText("""{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-99","usage":{"prompt_tokens":1,"completion_tokens":1}}""", "calls.jsonl");

        var run = await _cli.Run("import", "llm-usage", "calls.jsonl");

        run.ExitCode.ShouldNotBe(0);
        run.Err.ShouldContain("line 1, $.model: model 'gpt-99' is not in the LLM price catalogue");
    }

    [Fact]
    public async Task ImportMetrics_StoresTheValues()
    {
        _cli.WriteText("period,product,metric,value\n2026-10,search,active_users,1200\n2026-10,search,revenue,5400\n", "metrics.csv");

        var run = await _cli.Run("import", "metrics", "metrics.csv", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Json().GetProperty("values").GetInt64().ShouldBe(2);
    }
}
