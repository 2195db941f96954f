using ModelMeter.Application.Usage;
using ModelMeter.Application.WhatIf;

namespace ModelMeter.Application.Tests.WhatIf;

/// <summary>
/// <c>what-if llm</c> on a model with a long-context tier, worked by hand from the shipped catalogue's October 2026
/// prices per 1M tokens. gemini-2.5-pro: input 1.25, cached 0.125, output 10; prompts over 200,000 tokens input 2.5,
/// cached 0.25, output 15. gpt-4.1 (the calls' model, no long-context tier): input 2, cached 0.5, output 8.
/// </summary>
public sealed class WhatIfLlmLongContextTests : IDisposable
{
    private readonly AppHarness _app = new();

    public WhatIfLlmLongContextTests()
    {
        // One day, one feature and team: a 250,000-token prompt (50,000 of it cached) and a 1,000-token prompt.
        _app.WriteText(
            """{"timestamp":"2026-10-07T10:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":250000,"completion_tokens":1000,"prompt_tokens_details":{"cached_tokens":50000}},"tags":{"team":"search","feature":"long-docs"}}""" + "\n" +
            """{"timestamp":"2026-10-07T11:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1000,"completion_tokens":500},"tags":{"team":"search","feature":"long-docs"}}""" + "\n",
            "calls.jsonl");
        _app.Get<ImportLlmUsageUseCase>().Run(new ImportLlmUsageRequest { Path = "calls.jsonl" });
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public void TheCallAboveTheThreshold_IsPricedAtTheLongContextTier_TheCallBelowAtTheStandardTier()
    {
        var report = _app.Get<WhatIfLlmUseCase>().Run(new WhatIfLlmRequest { As = "gemini-2.5-pro", Month = "2026-10" });

        // Actual on gpt-4.1: (200,000×2 + 50,000×0.5 + 1,000×8) + (1,000×2 + 500×8) = 433,000 + 6,000 → 0.439.
        // Long call on gemini-2.5-pro: 200,000×2.5 + 50,000×0.25 + 1,000×15 = 527,500 → 0.5275.
        // Short call: 1,000×1.25 + 500×10 = 6,250 → 0.00625. What-if 0.53375.
        // (Judged on the day's sum, a 251,000-token "prompt", both would be long: 0.5375; both standard: 0.2725.)
        var group = report.Groups.ShouldHaveSingleItem();
        (group.Feature, group.Calls, group.ActualCost, group.WhatIfCost, group.Difference).ShouldBe(("long-docs", 2L, 0.439m, 0.53375m, 0.09475m));
        (group.InputTokens, group.CachedInputTokens, group.OutputTokens).ShouldBe((201_000L, 50_000L, 1_500L));

        // The working shows both tiers with their tokens and prices.
        group.Working.ShouldContain("standard (input 1,000 × 1.25 + cached input 0 × 0.125 + cache writes 0 × 1.25 + output 500 × 10)", Case.Sensitive);
        group.Working.ShouldContain("long context, prompts over 200,000 tokens, (input 200,000 × 2.5 + cached input 50,000 × 0.25 + cache writes 0 × 2.5 + output 1,000 × 15)", Case.Sensitive);
        report.Working.ShouldContain(w => w.Contains("exceeds 200,000 tokens, measured call by call", StringComparison.Ordinal) && w.EndsWith("1 calls are", StringComparison.Ordinal));
        report.Warnings.ShouldNotContain(w => w.Contains("long-context", StringComparison.Ordinal));
    }

    [Fact]
    public void OnAModelWithoutALongContextTier_EveryCallIsPricedAtItsStandardTier()
    {
        var report = _app.Get<WhatIfLlmUseCase>().Run(new WhatIfLlmRequest { As = "gpt-4.1", Month = "2026-10" });

        // The same model, no long-context tier: the what-if is the actual.
        report.Groups.ShouldHaveSingleItem().Difference.ShouldBe(0m);
        report.Groups[0].Working.ShouldNotContain("long context");
    }
}
