using ModelMeter.Application.Access;
using ModelMeter.Application.Usage;
using ModelMeter.Application.WhatIf;

namespace ModelMeter.Application.Tests.WhatIf;

/// <summary>
/// <c>what-if llm</c>: imported calls of two models, with cached input and cache writes, repriced on catalogue models,
/// worked by hand from the shipped catalogue's prices per 1M tokens (gpt-4.1: input 2, cached 0.5, output 8;
/// claude-sonnet-4: input 3, cached 0.3, cache write 3.75, output 15; gpt-4.1-mini: input 0.4, cached 0.1, output 1.6, no cache-write price).
/// </summary>
public sealed class WhatIfLlmUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public WhatIfLlmUseCaseTests()
    {
        _app.WriteText(
            """{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1000,"completion_tokens":500,"prompt_tokens_details":{"cached_tokens":300}},"tags":{"team":"search","feature":"search-answers"}}""" + "\n" +
            """{"timestamp":"2026-10-06T09:00:00Z","provider":"anthropic","model":"claude-sonnet-4","usage":{"input_tokens":1000,"cache_read_input_tokens":2000,"cache_creation_input_tokens":4000,"output_tokens":100},"tags":{"team":"NLP","feature":"assistant"}}""" + "\n",
            "calls.jsonl");
        _app.Get<ImportLlmUsageUseCase>().Run(new ImportLlmUsageRequest { Path = "calls.jsonl" });
    }

    public void Dispose() => _app.Dispose();

    private WhatIfLlmReport Run(string model, AccessScope? access = null, params string[] where) =>
        _app.Get<WhatIfLlmUseCase>().Run(new WhatIfLlmRequest { As = model, Month = "2026-10", Where = where, Access = access ?? AccessScope.Everything });

    [Fact]
    public void Reprice_OnACheaperModel_TheSameTokensAtItsPrices_ByFeatureAndTeam()
    {
        var report = Run("gpt-4.1-mini");

        // gpt-4.1 call: 700 input, 300 cached, 500 output. Actual (700×2 + 300×0.5 + 500×8) ÷ 1M = 0.00555.
        // On gpt-4.1-mini: (700×0.4 + 300×0.1 + 500×1.6) ÷ 1M = 0.00111.
        var search = report.Groups.Single(g => g.Feature == "search-answers");
        (search.Team, search.ActualCost, search.WhatIfCost, search.Difference).ShouldBe(("search", 0.00555m, 0.00111m, -0.00444m));
        // claude-sonnet-4 call: 1000 input, 2000 cached, 4000 cache writes, 100 output. Actual (3000 + 600 + 15000 + 1500) ÷ 1M = 0.0201.
        // On gpt-4.1-mini, which has no cache-write price (writes bill as input): (400 + 200 + 1600 + 160) ÷ 1M = 0.00236.
        var assistant = report.Groups.Single(g => g.Feature == "assistant");
        (assistant.Team, assistant.ActualCost, assistant.WhatIfCost).ShouldBe(("nlp", 0.0201m, 0.00236m));
        report.Totals["USD"]["difference"].ShouldBe(-0.02218m);
        // October is a calendar month: the monthly difference is the difference.
        report.Totals["USD"]["monthly_difference"].ShouldBe(-0.02218m);
        report.Working.ShouldContain(w => w.Contains("cache writes 4,000 × 0.4", StringComparison.Ordinal));
    }

    [Fact]
    public void Reprice_OnADearerModel_WithItsCachedAndCacheWritePrices()
    {
        var report = Run("claude-sonnet-4");

        // gpt-4.1's tokens on claude-sonnet-4: (700×3 + 300×0.3 + 500×15) ÷ 1M = 0.00969, 0.00414 more.
        report.Groups.Single(g => g.Feature == "search-answers").Difference.ShouldBe(0.00414m);
        report.Groups.Single(g => g.Feature == "assistant").Difference.ShouldBe(0m);
        report.Totals["USD"]["what_if"].ShouldBe(0.02979m);
    }

    [Fact]
    public void WhereAndATeamKey_ChooseTheCalls()
    {
        Run("gpt-4.1-mini", where: "model=claude-sonnet-4").Groups.ShouldHaveSingleItem().Feature.ShouldBe("assistant");
        Run("gpt-4.1-mini", AccessScope.ForTeam("search")).Groups.ShouldHaveSingleItem().Team.ShouldBe("search");
        Should.Throw<Core.Errors.UserInputException>(() => Run("no-such-model")).Message.ShouldContain("not in the LLM price catalogue");
    }
}
