using ModelMeter.Core.CostModels;

namespace ModelMeter.Core.Tests.CostModels;

public class LlmApiModelTests
{
    // gpt-4o-mini prices in the catalogue: 0.15 input, 0.075 cached input, 0.60 output per million tokens.
    private static LlmApiInput Feature() => new()
    {
        ModelName = "gpt-4o-mini",
        InputPerMillion = 0.15m,
        CachedInputPerMillion = 0.075m,
        OutputPerMillion = 0.60m,
        RequestsPerDay = 10_000m,
        InputTokens = 1000m,
        CachedInputTokens = 500m,
        OutputTokens = 200m,
        MonthlyGrowth = 0.10m,
        Months = 3,
    };

    [Fact]
    public void Llm_CostPerRequest_SumsInputCachedAndOutputTokens()
    {
        // (1000 × 0.15 + 500 × 0.075 + 200 × 0.60) ÷ 1e6 = (150 + 37.5 + 120) ÷ 1e6 = 0.0003075
        // daily = 10,000 × 0.0003075 = 3.075; monthly (30 days) = 92.25
        var estimate = LlmApiModel.Calculate(Feature(), "USD");

        estimate.Value("cost_per_request").ShouldBe(0.0003075m);
        estimate.Value("daily_cost").ShouldBe(3.075m);
        estimate.Value("monthly_cost").ShouldBe(92.25m);
    }

    [Fact]
    public void Llm_Growth_CompoundsMonthOnMonth()
    {
        // months: 92.25, 92.25 × 1.1 = 101.475, 101.475 × 1.1 = 111.6225; total 305.3475
        var estimate = LlmApiModel.Calculate(Feature(), "USD");

        estimate.Value("final_month_cost").ShouldBe(111.6225m);
        estimate.Value("horizon_cost").ShouldBe(305.3475m);
    }

    [Fact]
    public void Llm_NoCachedPrice_BillsCachedTokensAtInputPrice()
    {
        // (1000 × 0.15 + 500 × 0.15 + 200 × 0.60) ÷ 1e6 = (150 + 75 + 120) ÷ 1e6 = 0.000345
        var estimate = LlmApiModel.Calculate(Feature() with { CachedInputPerMillion = null }, "USD");

        estimate.Value("cost_per_request").ShouldBe(0.000345m);
        estimate.Inputs.Single(i => i.Name == "cached input price").Origin.ShouldContain("input price used");
    }

    [Fact]
    public void Llm_NoGrowth_HorizonIsMonthlyTimesMonths()
    {
        // 92.25 × 12 = 1,107
        var estimate = LlmApiModel.Calculate(Feature() with { MonthlyGrowth = 0m, Months = 12 }, "USD");
        estimate.Value("horizon_cost").ShouldBe(1107m);
    }
}
