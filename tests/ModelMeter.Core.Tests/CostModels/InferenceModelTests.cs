using ModelMeter.Core.CostModels;

namespace ModelMeter.Core.Tests.CostModels;

public class InferenceModelTests
{
    private static InferenceInput TwoG5() => new()
    {
        InstanceName = "g5.xlarge",
        HourlyPrice = 1.006m,
        Instances = 2,
        RpsPerInstance = 50m,
        Headroom = 0.3m,
        Overhead = 0.2m,
    };

    [Fact]
    public void Inference_CostPerRequest_IsFleetCostOverEffectiveThroughput()
    {
        // fleet per hour = 1.006 × 2 × 1.2 = 2.4144
        // effective throughput = 50 × 2 × 0.7 = 70 req/s → 252,000 req/h
        // cost per request = 2.4144 ÷ 252,000 = 0.00000958095238…; per 1k = 0.00958095238…
        var estimate = InferenceModel.Calculate(TwoG5(), "USD");

        estimate.Value("hourly_cost").ShouldBe(2.4144m);
        estimate.Value("effective_rps").ShouldBe(70m);
        Math.Round(estimate.Value("cost_per_request"), 12).ShouldBe(0.000009580952m);
        Math.Round(estimate.Value("cost_per_1k"), 9).ShouldBe(0.009580952m);
    }

    [Fact]
    public void Inference_MonthlyCost_Uses730Hours()
    {
        // 2.4144 × 730 = 1,762.512; capacity 252,000 × 730 = 183,960,000 requests
        var estimate = InferenceModel.Calculate(TwoG5(), "USD");

        estimate.Value("monthly_cost").ShouldBe(1762.512m);
        estimate.Value("monthly_capacity").ShouldBe(183_960_000m);
        estimate.HeadlineKey.ShouldBe("monthly_cost");
    }

    [Fact]
    public void Inference_MarginAtVolume_UsesTheFleetCostSpreadOverTheVolume()
    {
        // 100M requests: cost per request = 1,762.512 ÷ 1e8 = 0.00001762512
        // margin at 0.0001 per call = (0.0001 − 0.00001762512) ÷ 0.0001 = 0.8237488
        // revenue = 0.0001 × 1e8 = 10,000; gross profit = 10,000 − 1,762.512 = 8,237.488
        var estimate = InferenceModel.Calculate(TwoG5() with { MonthlyRequests = 100_000_000m, PricePerCall = 0.0001m }, "USD");

        estimate.Value("cost_per_request_at_volume").ShouldBe(0.00001762512m);
        estimate.Value("gross_margin").ShouldBe(0.8237488m);
        estimate.Value("monthly_revenue").ShouldBe(10000m);
        estimate.Value("monthly_gross_profit").ShouldBe(8237.488m);
    }

    [Fact]
    public void Inference_TargetLoad_SizesTheFleetWithHeadroom()
    {
        // per instance 50 × 0.7 = 35 req/s; ⌈150 ÷ 35⌉ = ⌈4.29⌉ = 5 instances
        // fleet per hour = 1.006 × 5 × 1.2 = 6.036; monthly 6.036 × 730 = 4,406.28
        var estimate = InferenceModel.Calculate(TwoG5() with { Instances = null, TargetRps = 150m }, "USD");

        estimate.Value("instances_needed").ShouldBe(5m);
        estimate.Value("instances").ShouldBe(5m);
        estimate.Value("monthly_cost").ShouldBe(4406.28m);
    }

    [Fact]
    public void Inference_TooFewInstancesForTarget_IsNoted()
    {
        var estimate = InferenceModel.Calculate(TwoG5() with { TargetRps = 150m }, "USD");
        estimate.Notes.ShouldContain(n => n.Contains("5 are needed"));
    }
}
