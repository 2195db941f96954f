using ModelMeter.Core.Errors;
using ModelMeter.Core.Llm;
using ModelMeter.Import.LlmUsage;

namespace ModelMeter.Import.Tests.LlmUsage;

public sealed class LlmUsageJsonlTests
{
    [Fact]
    public void OpenAi_PromptTokensIncludeCachedTokens_SoCachedAreTakenOut_AndReasoningStaysInOutput()
    {
        const string line = """{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1000,"completion_tokens":500,"prompt_tokens_details":{"cached_tokens":300},"completion_tokens_details":{"reasoning_tokens":200}},"tags":{"team":"search","user":"u1"}}""";

        var call = LlmUsageJsonl.Parse(line, "calls.jsonl").ShouldHaveSingleItem();

        call.Tokens.ShouldBe(new LlmTokens(700, 300, 0, 500, 200));
        call.At.ShouldBe(new DateTime(2026, 10, 5, 14, 0, 0, DateTimeKind.Utc));
        call.Tags["team"].ShouldBe("search");
    }

    [Fact]
    public void Anthropic_InputTokensExcludeCacheReadsAndWrites_SoNothingIsTakenOut()
    {
        const string line = """{"timestamp":"2026-10-05T14:00:00+02:00","provider":"anthropic","model":"claude-sonnet-4","usage":{"input_tokens":1000,"cache_read_input_tokens":2000,"cache_creation_input_tokens":4000,"output_tokens":100}}""";

        var call = LlmUsageJsonl.Parse(line, "calls.jsonl").ShouldHaveSingleItem();

        call.Tokens.ShouldBe(new LlmTokens(1000, 2000, 4000, 100, 0));
        call.Tokens.Prompt.ShouldBe(7000);
        call.At.ShouldBe(new DateTime(2026, 10, 5, 12, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Google_ThoughtsBillAsOutput_AndCachedContentIsPartOfThePrompt()
    {
        const string line = """{"created":1791208800,"provider":"google","model":"gemini-2.5-pro","usage":{"promptTokenCount":1000,"cachedContentTokenCount":400,"candidatesTokenCount":50,"thoughtsTokenCount":150}}""";

        LlmUsageJsonl.Parse(line, "calls.jsonl").ShouldHaveSingleItem().Tokens.ShouldBe(new LlmTokens(600, 400, 0, 200, 150));
    }

    [Fact]
    public void BatchCalls_AreMarked()
    {
        const string line = """{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","batch":true,"usage":{"prompt_tokens":1,"completion_tokens":1}}""";

        LlmUsageJsonl.Parse(line, "calls.jsonl").ShouldHaveSingleItem().Batch.ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":10,"completion_tokens":-1}}""", "line 2, $.usage.completion_tokens: -1 is not a whole, non-negative token count")]
    [InlineData("""{"timestamp":"2026-10-05T14:00:00","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":10,"completion_tokens":1}}""", "line 2, $.timestamp")]
    [InlineData("""{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":11}}}""", "11 cached tokens are more than the 10 prompt tokens")]
    [InlineData("""{"timestamp":"2026-10-05T14:00:00Z","provider":"acme","model":"x","usage":{}}""", "line 2, $.provider: 'acme'")]
    [InlineData("not json", "line 2: not a JSON object")]
    public void ABadLine_RefusesTheLog_NamingLineAndJsonPath(string bad, string message)
    {
        const string good = """{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1,"completion_tokens":1}}""";

        Should.Throw<UserInputException>(() => LlmUsageJsonl.Parse(good + "\n" + bad + "\n", "calls.jsonl")).Message.ShouldContain(message);
    }
}
