using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Llm;

namespace ModelMeter.Core.Tests.Llm;

public sealed class LlmPricingTests
{
    private static readonly PriceCatalog BuiltIn = PriceCatalog.Load();
    private static readonly DateTime October = new(2026, 10, 5, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Price_BillsEachDisjointTokenClassOnce_AtItsOwnPrice()
    {
        // gpt-4.1: input 2, cached 0.5, output 8 USD per 1M. 900 fresh + 100 cached input, 500 output.
        var charge = LlmPricing.Price(BuiltIn, "gpt-4.1", October, new LlmTokens(900, 100, 0, 500, 200), batch: false);

        charge.Cost.ShouldBe(((900m * 2) + (100m * 0.5m) + (500m * 8)) / 1_000_000m);
        charge.Tier.ShouldBe("standard");
        charge.Currency.ShouldBe("USD");
    }

    [Fact]
    public void Price_AnthropicCacheWrites_BillAtTheCacheWritePrice()
    {
        // claude-sonnet-4: input 3, cache read 0.3, cache write 3.75, output 15.
        var charge = LlmPricing.Price(BuiltIn, "claude-sonnet-4", October, new LlmTokens(1000, 2000, 4000, 100, 0), batch: false);

        charge.Cost.ShouldBe(((1000m * 3) + (2000m * 0.3m) + (4000m * 3.75m) + (100m * 15)) / 1_000_000m);
    }

    [Fact]
    public void Price_BatchTier_UsesTheBatchPrices_AndWithoutThemSaysSo()
    {
        var batch = LlmPricing.Price(BuiltIn, "gpt-4.1", October, new LlmTokens(1_000_000, 0, 0, 1_000_000, 0), batch: true);
        batch.Tier.ShouldBe("batch");
        batch.Cost.ShouldBe(1m + 4m);

        var none = LlmPricing.Price(BuiltIn, "codestral", October, new LlmTokens(1_000_000, 0, 0, 0, 0), batch: true);
        none.Tier.ShouldBe("standard");
        none.Notes.ShouldHaveSingleItem().ShouldContain("no batch price");
    }

    [Fact]
    public void Price_LongPrompt_UsesTheLongContextTier()
    {
        var price = BuiltIn.Llm("gemini-2.5-pro");
        var threshold = price.LongContextThreshold.ShouldNotBeNull();

        var charge = LlmPricing.Price(BuiltIn, "gemini-2.5-pro", October, new LlmTokens(threshold + 1, 0, 0, 0, 0), batch: false);

        charge.Tier.ShouldBe("long_context");
        charge.Cost.ShouldBe((threshold + 1) * price.LongContextInputPerMillion!.Value / 1_000_000m);
    }

    [Fact]
    public void Price_IsThePriceInEffectWhenTheCallWasMade()
    {
        // DeepSeek's new prices took effect 2025-09-05 16:00 UTC: 0.27 input before, 0.56 after.
        var tokens = new LlmTokens(1_000_000, 0, 0, 0, 0);
        LlmPricing.Price(BuiltIn, "deepseek-chat", new DateTime(2025, 9, 5, 15, 59, 0, DateTimeKind.Utc), tokens, false).Cost.ShouldBe(0.27m);
        LlmPricing.Price(BuiltIn, "deepseek-chat", new DateTime(2025, 9, 5, 16, 0, 0, DateTimeKind.Utc), tokens, false).Cost.ShouldBe(0.56m);
        BuiltIn.LlmHistory("deepseek-chat").Count.ShouldBe(2);
    }

    [Fact]
    public void Catalogue_HasTheCorrectedPrices()
    {
        BuiltIn.Llm("codestral").InputPerMillion.ShouldBe(0.30m);
        BuiltIn.Llm("codestral").OutputPerMillion.ShouldBe(0.90m);
        BuiltIn.LlmHistory("deepseek-reasoner")[0].CachedInputPerMillion.ShouldBe(0.14m);
        BuiltIn.Llm("grok-4").CachedInputPerMillion.ShouldBe(0.75m);
        BuiltIn.Llm("grok-3-mini").CachedInputPerMillion.ShouldBe(0.075m);
    }

    [Theory]
    [InlineData("gpt-4.1", "gpt-4.1")]
    [InlineData("gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("deepseek/deepseek-chat", "deepseek-chat")]
    public void Resolve_AcceptsTheKey_TheSourceName_AndDatedReleases(string model, string key) =>
        LlmPricing.Resolve(BuiltIn, model).ShouldBe(key);

    [Fact]
    public void Resolve_AnUnknownModel_IsAnErrorListingTheModels_NeverAZeroCost()
    {
        var error = Should.Throw<UserInputException>(() => LlmPricing.Resolve(BuiltIn, "my-private-llm"));

        error.Message.ShouldContain("'my-private-llm' is not in the LLM price catalogue");
        error.Message.ShouldContain("gpt-4.1");
    }
}
