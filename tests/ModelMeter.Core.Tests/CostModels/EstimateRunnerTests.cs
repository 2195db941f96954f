using ModelMeter.Core.Catalog;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.CostModels;

public class EstimateRunnerTests
{
    private static readonly PriceCatalog Catalog = PriceCatalog.Load();

    private static EstimateReport Run(string yaml) => EstimateRunner.Run(EstimateSpec.Parse(yaml, "spec.yaml"), Catalog);

    [Fact]
    public void Spec_TrainingOnAnInstance_ResolvesGpuAndPricesFromTheCatalogue()
    {
        // p4de.24xlarge: 8 × A100-80GB (312 bf16 TFLOPS), 27.44705/h.
        // FLOPs 6 × 1e9 × 2.808e10 = 1.6848e20; ÷ (312e12 × 0.5 × 3600 = 5.616e17) = 300 GPU-h
        // 8 GPUs → 37.5 h wall-clock × 27.44705 = 1,029.264375
        var report = Run("""
            kind: training
            inputs:
              parameters: 1e9
              tokens: 2.808e10
              instance: p4de.24xlarge
              mfu: 0.5
              checkpoints_kept: 0
            """);

        report.Estimate.Value("gpu_hours").ShouldBe(300m);
        report.Estimate.Value("wall_clock_hours").ShouldBe(37.5m);
        report.Estimate.Value("cost_on_demand").ShouldBe(1029.264375m);
        report.PricesUsed.Select(p => p.Key).ShouldBe(["p4de.24xlarge", "A100-80GB"], ignoreOrder: true);
        report.Defaults.ShouldContain(d => d.Name == "gpus" && d.Value == "8");
    }

    [Fact]
    public void Spec_WithRanges_RunsThreeScenarios_HigherMfuBeingOptimistic()
    {
        // envelope-free check through the training model: GPU-hours scale with 1 ÷ MFU.
        // price_per_gpu_hour 2, 1 GPU; FLOPs 6 × 1e9 × 1.872e10 = 1.1232e20; 312e12 × 3600 = 1.1232e18 → 100 GPU-h at MFU 1.
        // MFU 0.5 → 200 GPU-h → 400; MFU 0.4 → 250 → 500; MFU 0.25 → 400 → 800
        var report = Run("""
            kind: training
            inputs:
              parameters: 1e9
              tokens: 1.872e10
              gpu: A100-40GB
              price_per_gpu_hour: 2
              gpus: 1
              mfu: {low: 0.25, expected: 0.4, high: 0.5}
              checkpoints_kept: 0
            """);

        var set = report.Scenarios.ShouldNotBeNull();
        set.Optimistic.Headline.Amount.ShouldBe(400m);
        set.Expected.Headline.Amount.ShouldBe(500m);
        set.Pessimistic.Headline.Amount.ShouldBe(800m);
        report.Estimate.Headline.Amount.ShouldBe(500m);
    }

    [Fact]
    public void Spec_RangeAsList_IsLowExpectedHigh()
    {
        // hours [80, 100, 150] × 2/h → 160 / 200 / 300
        var report = Run("kind: envelope\ninputs:\n  price_per_hour: 2\n  hours: [80, 100, 150]\n");
        report.Scenarios!.Optimistic.Headline.Amount.ShouldBe(160m);
        report.Scenarios.Expected.Headline.Amount.ShouldBe(200m);
        report.Scenarios.Pessimistic.Headline.Amount.ShouldBe(300m);
    }

    [Fact]
    public void Spec_LlmByModelName_UsesCataloguePrices()
    {
        // gpt-4o-mini: (1000 × 0.15 + 200 × 0.6) ÷ 1e6 = 0.00027; × 1,000/day × 30 = 8.1
        var report = Run("kind: llm\ninputs:\n  model: gpt-4o-mini\n  requests_per_day: 1000\n  input_tokens: 1000\n  output_tokens: 200\n");
        report.Estimate.Value("monthly_cost").ShouldBe(8.1m);
    }

    [Fact]
    public void Spec_HiddenCosts_TakeTransferAndRequestPricesFromTheCatalogue()
    {
        // aws-cross-zone 0.01 on both sides: 1,000 GB × 0.01 × 2 = 20
        // aws-s3-standard: 100 GB × 0.023 = 2.3; 1,000,000 PUT ÷ 1000 × 0.005 = 5; 10,000,000 GET ÷ 1000 × 0.0004 = 4
        // monthly = 20 + 2.3 + 5 + 4 = 31.3
        var report = Run("""
            kind: hidden
            inputs:
              transfer_gb_per_month: 1000
              transfer_path: aws-cross-zone
              storage_gb: 100
              storage: aws-s3-standard
              put_requests_per_month: 1e6
              get_requests_per_month: 1e7
            """);

        report.Estimate.Value("transfer_monthly").ShouldBe(20m);
        report.Estimate.Value("storage_monthly").ShouldBe(2.3m);
        report.Estimate.Value("requests_monthly").ShouldBe(9m);
        report.Estimate.Value("monthly_cost").ShouldBe(31.3m);
    }

    [Fact]
    public void Spec_UnknownInstance_SaysWhereAndSuggests()
    {
        var ex = Should.Throw<UserInputException>(() => Run("kind: inference\ninputs:\n  instance: g5.xlarg\n  instances: 1\n  rps_per_instance: 10\n"));
        ex.Message.ShouldStartWith("spec.yaml:");
        ex.Message.ShouldContain("'g5.xlarg'");
        ex.Message.ShouldContain("g5.xlarge");
    }

    [Fact]
    public void Spec_UnknownInput_IsAnErrorWithLineAndSuggestion()
    {
        var ex = Should.Throw<UserInputException>(() => Run("kind: training\ninputs:\n  paramters: 1e9\n"));
        ex.Message.ShouldContain("line 3");
        ex.Message.ShouldContain("'paramters'");
        ex.Message.ShouldContain("Did you mean 'parameters'");
    }

    [Fact]
    public void Spec_UnknownKind_ListsTheKinds()
    {
        var ex = Should.Throw<UserInputException>(() => Run("kind: trainig\ninputs: {}\n"));
        ex.Message.ShouldContain("Did you mean 'training'");
    }

    [Fact]
    public void Spec_BrokenYaml_GivesTheLine()
    {
        var ex = Should.Throw<UserInputException>(() => EstimateSpec.Parse("kind: llm\ninputs:\n  a: [1, 2\n", "bad.yaml"));
        ex.Message.ShouldStartWith("bad.yaml: line");
    }

    [Fact]
    public void Spec_InstanceAndExplicitPrice_IsRefused()
    {
        var ex = Should.Throw<UserInputException>(() => Run("kind: envelope\ninputs:\n  instance: g5.xlarge\n  price_per_hour: 1\n  hours: 1\n"));
        ex.Message.ShouldContain("not both");
    }

    [Fact]
    public void Spec_InAnotherCurrency_RefusesUsdCataloguePrices()
    {
        var ex = Should.Throw<UserInputException>(() => Run("kind: envelope\ncurrency: EUR\ninputs:\n  instance: g5.xlarge\n  hours: 1\n"));
        ex.Message.ShouldContain("EUR");
        ex.Message.ShouldContain("USD");
    }
}
