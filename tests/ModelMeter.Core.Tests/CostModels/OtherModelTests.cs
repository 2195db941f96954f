using ModelMeter.Core.CostModels;

namespace ModelMeter.Core.Tests.CostModels;

public class HiddenCostsModelTests
{
    [Fact]
    public void Hidden_SumsTransferStorageMonitoringAndLabelling()
    {
        // transfer 5,000 GB cross-zone at 0.01 billed on both sides = 5,000 × 0.01 × 2 = 100
        // storage 2,000 GB × 0.023 = 46; monitoring 10,000 × 0.05 = 500; labelling 20,000 × 0.08 = 1,600
        // monthly = 100 + 46 + 500 + 1,600 = 2,246; 12 months = 26,952; share of compute = 0.2246
        var estimate = HiddenCostsModel.Calculate(
            new HiddenCostsInput
            {
                TransferGbPerMonth = 5000m,
                TransferPath = "aws-cross-zone",
                TransferPerGb = 0.01m,
                TransferBothDirections = true,
                StorageGb = 2000m,
                StoragePerGbMonth = 0.023m,
                ComputeMonthly = 10_000m,
                MonitoringShare = 0.05m,
                LabelledItemsPerMonth = 20_000m,
                PricePerLabel = 0.08m,
            },
            "USD");

        estimate.Value("transfer_monthly").ShouldBe(100m);
        estimate.Value("storage_monthly").ShouldBe(46m);
        estimate.Value("monitoring_monthly").ShouldBe(500m);
        estimate.Value("labelling_monthly").ShouldBe(1600m);
        estimate.Value("monthly_cost").ShouldBe(2246m);
        estimate.Value("horizon_cost").ShouldBe(26952m);
        estimate.Value("share_of_compute").ShouldBe(0.2246m);
        estimate.Value("requests_monthly").ShouldBe(0m);
    }

    [Fact]
    public void Hidden_StorageRequests_ArePricedPerThousand()
    {
        // 2,000,000 writes ÷ 1000 × 0.005 = 10; 50,000,000 reads ÷ 1000 × 0.0004 = 20; total 30 a month, 360 a year
        var estimate = HiddenCostsModel.Calculate(
            new HiddenCostsInput { PutRequestsPerMonth = 2_000_000m, PutPer1k = 0.005m, GetRequestsPerMonth = 50_000_000m, GetPer1k = 0.0004m },
            "USD");

        estimate.Value("requests_monthly").ShouldBe(30m);
        estimate.Value("monthly_cost").ShouldBe(30m);
        estimate.Value("horizon_cost").ShouldBe(360m);
    }
}

public class TcoModelTests
{
    private static TcoInput Case(decimal compute = 100_000m) => new()
    {
        ComputePerYear = compute,
        ManagedPremium = 0.25m,
        SelfHostedHoursPerWeek = 10m,
        ManagedHoursPerWeek = 2m,
        EngineerAnnualCost = 208_000m,
    };

    [Fact]
    public void Tco_ComparesComputePlusEngineering_AndNamesTheWinner()
    {
        // rate = 208,000 ÷ 52 ÷ 40 = 100/h
        // self-hosted = 100,000 + 10 × 52 × 100 = 100,000 + 52,000 = 152,000
        // managed = 100,000 × 1.25 + 2 × 52 × 100 = 125,000 + 10,400 = 135,400
        // managed wins by 16,600
        var estimate = TcoModel.Calculate(Case(), "USD");

        estimate.Value("hourly_rate").ShouldBe(100m);
        estimate.Value("self_hosted_total").ShouldBe(152_000m);
        estimate.Value("managed_total").ShouldBe(135_400m);
        estimate.Value("difference").ShouldBe(16_600m);
        estimate.Value("winner_total").ShouldBe(135_400m);
        estimate.Notes.ShouldContain(n => n.StartsWith("Winner: managed"));
    }

    [Fact]
    public void Tco_BreakEven_IsHoursSavedTimesRateOverPremium()
    {
        // hours saved = (10 − 2) × 52 = 416; 416 × 100 ÷ 0.25 = 166,400
        TcoModel.Calculate(Case(), "USD").Value("break_even_compute").ShouldBe(166_400m);
    }

    [Fact]
    public void Tco_AtTheBreakEvenSpend_BothOptionsCostTheSame()
    {
        // self: 166,400 + 52,000 = 218,400; managed: 166,400 × 1.25 + 10,400 = 208,000 + 10,400 = 218,400
        var estimate = TcoModel.Calculate(Case(166_400m), "USD");

        estimate.Value("self_hosted_total").ShouldBe(218_400m);
        estimate.Value("managed_total").ShouldBe(218_400m);
        estimate.Value("difference").ShouldBe(0m);
    }

    [Fact]
    public void Tco_NoPremium_HasNoBreakEven()
    {
        var estimate = TcoModel.Calculate(Case() with { ManagedPremium = 0m }, "USD");
        estimate.Has("break_even_compute").ShouldBeFalse();
        estimate.Notes.ShouldContain(n => n.Contains("No break-even"));
    }
}

public class EnvelopeModelTests
{
    [Fact]
    public void Envelope_IsRateTimesHoursPlusStorageTimesMonths()
    {
        // compute 3.06 × 2 × 100 = 612; storage 500 × 0.023 × 3 = 34.5; total 646.5
        var estimate = EnvelopeModel.Calculate(
            new EnvelopeInput { RateName = "p3.2xlarge", HourlyRate = 3.06m, Instances = 2, Hours = 100m, StorageGb = 500m, StoragePerGbMonth = 0.023m, Months = 3m },
            "USD");

        estimate.Value("compute_cost").ShouldBe(612m);
        estimate.Value("storage_cost").ShouldBe(34.5m);
        estimate.Value("total_cost").ShouldBe(646.5m);
        estimate.Steps.Select(s => s.Name).ShouldBe(["compute", "storage", "total"]);
    }
}
