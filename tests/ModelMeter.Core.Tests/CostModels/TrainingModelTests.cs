using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.CostModels;

public class TrainingModelTests
{
    // A made-up GPU of 100 dense TFLOPS and an 8-GPU instance at 20/h keep the arithmetic checkable by hand.
    private static TrainingInput OneBillionParameters(int gpus = 8) => new()
    {
        Parameters = 1e9m,
        Tokens = 3e10m,
        GpuName = "TEST-GPU",
        Precision = "bf16",
        PeakTflops = 100,
        Gpus = gpus,
        Mfu = 0.5m,
        CommunicationOverhead = 0.10m,
        Pricing = new InstancePricing("test.8gpu", 8, 20m, 8m, 14m),
        BytesPerParameter = 14m,
        CheckpointsKept = 3,
        CheckpointMonths = 2m,
        StoragePerGbMonth = 0.023m,
    };

    [Fact]
    public void Training_SixNDFlops_GivesGpuHoursAtMfu()
    {
        // FLOPs = 6 × 1e9 × 3e10 = 1.8e20
        // effective throughput per GPU = 100e12 × 0.5 = 5e13 FLOP/s
        // GPU-seconds = 1.8e20 ÷ 5e13 = 3.6e6 s = 1,000 GPU-h; with 10% overhead 1,100 GPU-h
        var estimate = TrainingModel.Calculate(OneBillionParameters(), "USD");

        estimate.Steps.Single(s => s.Name == "FLOPs").Value.ShouldBe(1.8e20m);
        estimate.Steps.Single(s => s.Name == "compute GPU-hours").Value.ShouldBe(1000m);
        estimate.Value("gpu_hours").ShouldBe(1100m);
    }

    [Fact]
    public void Training_CostsWallClockTimesInstancePrice_AtEachPricing()
    {
        // wall-clock = 1,100 GPU-h ÷ 8 GPUs = 137.5 h; one 8-GPU instance → 137.5 instance-h
        // on-demand 137.5 × 20 = 2,750; spot 137.5 × 8 = 1,100; 1-year 137.5 × 14 = 1,925
        var estimate = TrainingModel.Calculate(OneBillionParameters(), "USD");

        estimate.Value("wall_clock_hours").ShouldBe(137.5m);
        estimate.Value("instance_hours").ShouldBe(137.5m);
        estimate.Value("cost_on_demand").ShouldBe(2750m);
        estimate.Value("cost_spot").ShouldBe(1100m);
        estimate.Value("cost_commitment_1y").ShouldBe(1925m);
    }

    [Fact]
    public void Training_CheckpointStorage_IsParamsTimesBytesTimesKeptTimesMonthsTimesPrice()
    {
        // size = 1e9 × 14 B ÷ 1e9 = 14 GB; 14 × 3 kept × 2 months × 0.023 = 84 × 0.023 = 1.932
        // total on-demand = 2,750 + 1.932 = 2,751.932
        var estimate = TrainingModel.Calculate(OneBillionParameters(), "USD");

        estimate.Value("checkpoint_gb").ShouldBe(14m);
        estimate.Value("checkpoint_storage_cost").ShouldBe(1.932m);
        estimate.Value("total_cost").ShouldBe(2751.932m);
        estimate.Headline.Amount.ShouldBe(2751.932m);
    }

    [Fact]
    public void Training_HeadlineAtSpot_UsesSpotCompute()
    {
        // 1,100 spot + 1.932 storage = 1,101.932
        var estimate = TrainingModel.Calculate(OneBillionParameters() with { HeadlinePricing = "spot" }, "USD");
        estimate.Value("total_cost").ShouldBe(1101.932m);
    }

    [Fact]
    public void Training_GpusNotFillingInstances_PaysForWholeInstances_AndSaysSo()
    {
        // 12 GPUs: wall-clock = 1,100 ÷ 12 = 91.666… h; ⌈12 ÷ 8⌉ = 2 instances → 183.333… instance-h × 20 = 3,666.67
        var estimate = TrainingModel.Calculate(OneBillionParameters(gpus: 12), "USD");

        estimate.Steps.Single(s => s.Name == "instances").Value.ShouldBe(2m);
        Math.Round(estimate.Value("cost_on_demand"), 2).ShouldBe(3666.67m);
        estimate.Notes.ShouldContain(n => n.Contains("16 GPUs"));
    }

    [Fact]
    public void Training_FromMeasuredGpuHours_SkipsFlopsAndMfu()
    {
        // 800 GPU-h on 16 GPUs = 50 h wall-clock; 2 instances × 50 h = 100 instance-h × 20 = 2,000
        var input = OneBillionParameters(gpus: 16) with { Parameters = null, Tokens = null, GpuHours = 800m };
        var estimate = TrainingModel.Calculate(input, "USD");

        estimate.Value("gpu_hours").ShouldBe(800m);
        estimate.Value("wall_clock_hours").ShouldBe(50m);
        estimate.Value("cost_on_demand").ShouldBe(2000m);
        estimate.Value("checkpoint_storage_cost").ShouldBe(0m);
        estimate.Steps.ShouldNotContain(s => s.Name == "FLOPs");
    }

    [Fact]
    public void Training_Llama2_7B_OnA100_MatchesTheModelCard()
    {
        // 6 × 7e9 × 2e12 = 8.4e22 FLOPs; ÷ (312e12 × 0.41 × 3600) = 8.4e22 ÷ 4.60512e17 = 182,405.67 GPU-h
        // (check: 4.60512 × 182,405.67 = 839,066.08 + 933.92 = 840,000.0).
        // The Llama 2 card reports 184,320 GPU-h on A100 80GB: within 1.5%.
        var input = OneBillionParameters() with
        {
            Parameters = 7e9m,
            Tokens = 2e12m,
            PeakTflops = 312,
            Mfu = 0.41m,
            CommunicationOverhead = 0m,
        };
        var gpuHours = TrainingModel.Calculate(input, "USD").Value("gpu_hours");

        Math.Round(gpuHours, 1).ShouldBe(182405.7m);
        Math.Abs(gpuHours - 184320m).ShouldBeLessThan(184320m * 0.015m);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    public void Training_RefusesMfuOutsideZeroToOne(double mfu)
    {
        var ex = Should.Throw<UserInputException>(() => TrainingModel.Calculate(OneBillionParameters() with { Mfu = (decimal)mfu }, "USD"));
        ex.Message.ShouldContain("mfu");
    }

    [Fact]
    public void Training_RefusesTwoWaysOfGivingTheWork()
    {
        var ex = Should.Throw<UserInputException>(() => TrainingModel.Calculate(OneBillionParameters() with { GpuHours = 10m }, "USD"));
        ex.Message.ShouldContain("exactly one");
    }
}
