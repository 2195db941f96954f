using ModelMeter.Core.Allocation;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Allocation;

public class AllocationEngineTests
{
    private static readonly DateOnly Day1 = new(2026, 10, 1);
    private static readonly DateOnly Day2 = new(2026, 10, 2);

    internal static CostPoolRow Row(DateOnly day, decimal amount, string? service = null, string? resource = null, string currency = "USD", string? allocatedMethod = null, string? account = null, params (string Key, string Value)[] tags) =>
        new(day, currency, amount, service, resource, account, allocatedMethod, tags.ToDictionary(t => t.Key, t => (string?)t.Value));

    internal static UsageSample Usage(DateOnly day, string metric, decimal value, params (string Key, string Value)[] dims) =>
        new(day, metric, value, dims.ToDictionary(t => t.Key, t => (string?)t.Value));

    private static AllocationRule GpuCluster(IdleCapacity? idle = null) =>
        new("gpu-cluster", new PoolSelector { ResourceIdPattern = "arn:aws:eks:*:cluster/gpu-*" }, "team", AllocationMethod.Usage)
        {
            Driver = new UsageDriver("gpu_hours"),
            Idle = idle,
        };

    private static readonly CostPoolRow ClusterDay1 = Row(Day1, 100.00m, "Amazon EKS", "arn:aws:eks:us-east-1:1:cluster/gpu-a", tags: ("environment", "prod"));

    private static decimal AmountOf(AllocationResult result, string team, AllocationKind? kind = null) =>
        result.Lines.Where(l => (l.Label ?? l.Dimension("team") ?? "(untagged)") == team && (kind is null || l.Kind == kind)).Sum(l => l.Amount);

    [Fact]
    public void Usage_SplitsPoolByGpuHours_PartsSumToPoolToTheCent()
    {
        var usage = new[] { Usage(Day1, "gpu_hours", 20m, ("team", "nlp")), Usage(Day1, "gpu_hours", 10m, ("team", "vision")), Usage(Day1, "gpu_hours", 10m, ("team", "vision")), Usage(Day1, "gpu_hours", 1m, ("team", "recsys")) };

        var result = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster()], usage);

        // 100.00 by 20 : 20 : 1 → 48.780…, 48.780…, 2.439… → 48.78 + 48.78 + 2.44 after the leftover cent.
        AmountOf(result, "nlp").ShouldBe(48.78m);
        AmountOf(result, "vision").ShouldBe(48.78m);
        AmountOf(result, "recsys").ShouldBe(2.44m);
        result.Lines.Sum(l => l.Amount).ShouldBe(100.00m);
        result.Lines.ShouldAllBe(l => l.Kind == AllocationKind.Shared && l.Rule == "gpu-cluster");
    }

    [Fact]
    public void Usage_WithKnownCapacity_PutsUnusedGpuHoursOnAnIdleLine()
    {
        // 8 GPUs → 192 GPU-hours a day paid; 96 used → half the pool is idle.
        var usage = new[] { Usage(Day1, "gpu_hours", 72m, ("team", "nlp")), Usage(Day1, "gpu_hours", 24m, ("team", "vision")) };

        var result = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster(new IdleCapacity(IdleMode.Line) { CapacityPerDay = 192m })], usage);

        AmountOf(result, "nlp").ShouldBe(37.50m);
        AmountOf(result, "vision").ShouldBe(12.50m);
        var idle = result.Lines.Single(l => l.Kind == AllocationKind.Idle);
        idle.Label.ShouldBe("(idle)");
        idle.Amount.ShouldBe(50.00m);
        idle.Dimension("team").ShouldBe("(idle)");
        idle.Explanation!.DriverValue.ShouldBe(96m);
        idle.Explanation.DriverTotal.ShouldBe(192m);
    }

    [Fact]
    public void Usage_WithIdleSpread_GivesEachTeamItsIdleShareAsItsOwnLine()
    {
        var usage = new[] { Usage(Day1, "gpu_hours", 72m, ("team", "nlp")), Usage(Day1, "gpu_hours", 24m, ("team", "vision")) };

        var result = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster(new IdleCapacity(IdleMode.Spread) { CapacityPerDay = 192m })], usage);

        AmountOf(result, "nlp", AllocationKind.Shared).ShouldBe(37.50m);
        AmountOf(result, "nlp", AllocationKind.Idle).ShouldBe(37.50m);
        AmountOf(result, "vision", AllocationKind.Shared).ShouldBe(12.50m);
        AmountOf(result, "vision", AllocationKind.Idle).ShouldBe(12.50m);
        result.Lines.ShouldNotContain(l => l.Label == "(idle)");
        result.Lines.Sum(l => l.Amount).ShouldBe(100.00m);
    }

    [Fact]
    public void SharedGpu_SplitByMeasuredGpuSeconds_WhatNoWorkloadUsedIsIdle()
    {
        // One GPU time-sliced between three workloads for a day: 86 400 GPU-seconds paid, 43 200 used.
        var rule = new AllocationRule("a100-node", new PoolSelector { ResourceIdPattern = "i-0a100*" }, "workload", AllocationMethod.Usage)
        {
            Driver = new UsageDriver("gpu_seconds") { Where = new Dictionary<string, string> { ["resource_id"] = "i-0a100" } },
            Idle = new IdleCapacity(IdleMode.Line) { CapacityMetric = "gpu_seconds_capacity" },
        };
        var usage = new[]
        {
            Usage(Day1, "gpu_seconds", 21_600m, ("workload", "ranker"), ("resource_id", "i-0a100")),
            Usage(Day1, "gpu_seconds", 14_400m, ("workload", "embedder"), ("resource_id", "i-0a100")),
            Usage(Day1, "gpu_seconds", 7_200m, ("workload", "notebook"), ("resource_id", "i-0a100")),
            Usage(Day1, "gpu_seconds", 80_000m, ("workload", "other-node"), ("resource_id", "i-0b200")),
            Usage(Day1, "gpu_seconds_capacity", 86_400m, ("resource_id", "i-0a100")),
        };

        var result = new AllocationEngine().Allocate([Row(Day1, 48.00m, "Amazon EC2", "i-0a100")], [rule], usage);

        result.Lines.Select(l => (l.Dimension("workload"), l.Amount)).OrderBy(x => x.Item1, StringComparer.Ordinal).ShouldBe(
        [
            ("(idle)", 24.00m),
            ("embedder", 8.00m),
            ("notebook", 4.00m),
            ("ranker", 12.00m),
        ]);
    }

    [Fact]
    public void Usage_DayWithoutDriverData_StaysVisibleAsUnallocated()
    {
        var rows = new[] { ClusterDay1, ClusterDay1 with { Period = Day2, Amount = 80.00m } };
        var usage = new[] { Usage(Day1, "gpu_hours", 5m, ("team", "nlp")) };

        var result = new AllocationEngine().Allocate(rows, [GpuCluster()], usage);

        var unallocated = result.Lines.Single(l => l.Kind == AllocationKind.Unallocated);
        unallocated.Period.ShouldBe(Day2);
        unallocated.Amount.ShouldBe(80.00m);
        unallocated.Label.ShouldBe("(unallocated: gpu-cluster)");
        unallocated.Explanation!.Describe().ShouldBe(
            "2026-10-02 rule 'gpu-cluster' (usage): (unallocated: gpu-cluster) keeps the whole pool 2026-10-02/day USD 80.00 from 1 row(s) of Amazon EKS; "
            + "arn:aws:eks:us-east-1:1:cluster/gpu-a -> USD 80.00 (no gpu_hours usage in the period)");
        result.Lines.Sum(l => l.Amount).ShouldBe(180.00m);
    }

    [Fact]
    public void Usage_SamplesWithoutTheTargetTag_AreChargedToUntagged_NotToOthers()
    {
        var usage = new[] { Usage(Day1, "gpu_hours", 3m, ("team", "nlp")), Usage(Day1, "gpu_hours", 1m) };

        var result = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster()], usage);

        AmountOf(result, "nlp").ShouldBe(75.00m);
        AmountOf(result, "(untagged)").ShouldBe(25.00m);
    }

    [Fact]
    public void Proportional_SplitsByTargetsOwnDirectCost_InTheSamePeriodAndCurrency()
    {
        var rows = new[]
        {
            Row(Day1, 300m, "Amazon SageMaker", tags: ("team", "nlp")),
            Row(Day1, 100m, "Amazon SageMaker", tags: ("team", "vision")),
            Row(Day1, 999m, "Amazon SageMaker", currency: "EUR", tags: ("team", "vision")),
            Row(Day2, 999m, "Amazon SageMaker", tags: ("team", "vision")),
            Row(Day1, 50m, "Amazon SageMaker"),
            Row(Day1, 40m, "AWS Support"),
        };
        var rule = new AllocationRule("support", new PoolSelector { ServiceName = "aws support" }, "team", AllocationMethod.Proportional);

        var result = new AllocationEngine().Allocate(rows, [rule], []);

        var shares = result.Lines.Where(l => l.Kind == AllocationKind.Shared).ToList();
        shares.Select(l => (l.Dimension("team"), l.Amount)).ShouldBe([("nlp", 30m), ("vision", 10m)]);
        shares[0].Explanation!.DriverValue.ShouldBe(300m);
        shares[0].Explanation!.DriverTotal.ShouldBe(400m);
        AmountOf(result, "(untagged)").ShouldBe(50m, "untagged direct cost stays visible and is never an implicit target");
    }

    [Fact]
    public void Even_WithExplicitTargets_SplitsEqually()
    {
        var rule = new AllocationRule("platform", new PoolSelector { Tags = new Dictionary<string, string> { ["team"] = "platform" } }, "team", AllocationMethod.Even)
        {
            Targets = ["nlp", "vision", "recsys"],
        };

        var result = new AllocationEngine().Allocate([Row(Day1, 100m, tags: ("team", "platform"))], [rule], []);

        result.Lines.Select(l => (l.Dimension("team"), l.Amount)).ShouldBe([("nlp", 33.34m), ("recsys", 33.33m), ("vision", 33.33m)]);
    }

    [Fact]
    public void Fixed_SplitsByPercentages()
    {
        var rule = new AllocationRule("shared-storage", new PoolSelector { ServiceName = "Amazon S3" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["nlp"] = 50m, ["vision"] = 30m, ["recsys"] = 20m },
        };

        var result = new AllocationEngine().Allocate([Row(Day1, 12.34m, "Amazon S3")], [rule], []);

        result.Lines.Select(l => (l.Dimension("team"), l.Amount)).ShouldBe([("nlp", 6.17m), ("recsys", 2.47m), ("vision", 3.70m)]);
    }

    [Fact]
    public void KeepingADimension_ASharedPoolOfTwoCategories_SplitsEachShareByThePoolsCostInEach()
    {
        // A shared cluster of 80 training compute and 20 storage, split 50/30/20: each share keeps the pool's 80/20.
        var rule = new AllocationRule("cluster", new PoolSelector { ServiceName = "Amazon EKS" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["nlp"] = 50m, ["vision"] = 30m, ["recsys"] = 20m },
        };
        CostPoolRow[] rows =
        [
            Row(Day1, 80m, "Amazon EKS", "c-1", tags: ("(category)", "training")),
            Row(Day1, 20m, "Amazon EKS", "v-1", tags: ("(category)", "storage")),
            Row(Day1, 10.01m, "Amazon S3", "b-1", tags: [("team", "nlp"), ("(category)", "storage")]),
        ];

        var kept = new AllocationEngine().Allocate(rows, [rule], [], keep: "(category)");
        var plain = new AllocationEngine().Allocate(rows, [rule], []);

        kept.Lines.Where(l => l.Kind == AllocationKind.Shared).Select(l => (l.Dimension("team"), l.Dimension("(category)"), l.Amount)).ShouldBe(
        [
            ("nlp", "storage", 10m), ("nlp", "training", 40m),
            ("recsys", "storage", 4m), ("recsys", "training", 16m),
            ("vision", "storage", 6m), ("vision", "training", 24m),
        ], ignoreOrder: true);
        // Without keeping it, the mixed pool's shares carry no category; either way the lines are the bill to the cent.
        plain.Lines.Where(l => l.Kind == AllocationKind.Shared).ShouldAllBe(l => l.Dimension("(category)") == null);
        kept.Lines.Sum(l => l.Amount).ShouldBe(110.01m);
        plain.Lines.Sum(l => l.Amount).ShouldBe(110.01m);
        kept.Lines.Single(l => l.Kind == AllocationKind.Direct).Dimension("(category)").ShouldBe("storage");
    }

    [Fact]
    public void KeepingADimension_SplitsAShareWithCentsByLargestRemainder_SoThePartsSumToTheShare()
    {
        var rule = new AllocationRule("cluster", new PoolSelector { ServiceName = "Amazon EKS" }, "team", AllocationMethod.Even) { Targets = ["a", "b", "c"] };
        CostPoolRow[] rows =
        [
            Row(Day1, 1m, "Amazon EKS", "c-1", tags: ("(category)", "training")),
            Row(Day1, 1m, "Amazon EKS", "c-2", tags: ("(category)", "inference")),
            Row(Day1, 1m, "Amazon EKS", "c-3", tags: ("(category)", "storage")),
        ];

        var result = new AllocationEngine().Allocate(rows, [rule], [], keep: "(category)");

        result.Lines.Sum(l => l.Amount).ShouldBe(3m);
        result.Lines.ShouldAllBe(l => l.Dimension("(category)") != null);
        result.Lines.GroupBy(l => l.Dimension("team")).Select(g => g.Sum(l => l.Amount)).ShouldBe([1m, 1m, 1m]);
        result.Lines.GroupBy(l => l.Dimension("(category)")).Select(g => g.Sum(l => l.Amount)).Sum().ShouldBe(3m);
    }

    [Fact]
    public void Fixed_PercentagesNotSummingTo100_AreRefused()
    {
        var rule = new AllocationRule("shared-storage", new PoolSelector { ServiceName = "Amazon S3" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["nlp"] = 50m, ["vision"] = 40m },
        };

        var ex = Should.Throw<ArgumentException>(() => new AllocationEngine().Allocate([Row(Day1, 1m, "Amazon S3")], [rule], []));

        ex.Message.ShouldContain("fixed shares sum to 90%");
        ex.Message.ShouldContain("nlp 50, vision 40");
    }

    [Fact]
    public void ProviderSplitRows_AreAttributedByTheirAllocatedTags_AndNotSplitAgain()
    {
        var rows = new[]
        {
            Row(Day1, 60m, "Amazon EKS", "arn:aws:eks:us-east-1:1:cluster/gpu-a", allocatedMethod: "split-cost-allocation", tags: ("team", "vision")),
            ClusterDay1,
        };
        var usage = new[] { Usage(Day1, "gpu_hours", 1m, ("team", "nlp")) };

        var result = new AllocationEngine().Allocate(rows, [GpuCluster()], usage);

        var direct = result.Lines.Single(l => l.Kind == AllocationKind.Direct);
        direct.Dimension("team").ShouldBe("vision");
        direct.Amount.ShouldBe(60m);
        direct.ProviderAllocationMethod.ShouldBe("split-cost-allocation");
        result.Pools.ShouldHaveSingleItem().Amount.ShouldBe(100m);
        AmountOf(result, "nlp").ShouldBe(100m);
    }

    [Fact]
    public void Rules_ApplyInTheOrderWritten_FirstMatchClaimsTheRow()
    {
        var byService = new AllocationRule("eks-fixed", new PoolSelector { ServiceName = "Amazon EKS" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["platform"] = 100m },
        };

        var first = new AllocationEngine().Allocate([ClusterDay1], [byService, GpuCluster()], [Usage(Day1, "gpu_hours", 1m, ("team", "nlp"))]);
        var second = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster(), byService], [Usage(Day1, "gpu_hours", 1m, ("team", "nlp"))]);

        first.Lines.ShouldHaveSingleItem().Dimension("team").ShouldBe("platform");
        second.Lines.ShouldHaveSingleItem().Dimension("team").ShouldBe("nlp");
    }

    [Fact]
    public void Currencies_AreNeverMixed_EachCurrencyIsItsOwnPool()
    {
        var rule = new AllocationRule("storage", new PoolSelector { ServiceName = "Object Storage" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["nlp"] = 50m, ["vision"] = 50m },
        };
        var rows = new[] { Row(Day1, 10.01m, "Object Storage"), Row(Day1, 7m, "Object Storage", currency: "EUR"), Row(Day1, 101m, "Object Storage", currency: "JPY") };

        var result = new AllocationEngine().Allocate(rows, [rule], []);

        result.Pools.Select(p => (p.Currency, p.Amount)).ShouldBe([("EUR", 7m), ("JPY", 101m), ("USD", 10.01m)]);
        result.TotalsByCurrency().ShouldBe(new Dictionary<string, decimal> { ["EUR"] = 7m, ["JPY"] = 101m, ["USD"] = 10.01m });
        result.Lines.Where(l => l.Currency == "JPY").Select(l => l.Amount).ShouldBe([51m, 50m]);
    }

    [Fact]
    public void CreditPool_IsSplitIntoNonPositiveParts()
    {
        var rule = new AllocationRule("credits", new PoolSelector { ServiceName = "Credits" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["nlp"] = 33.33m, ["vision"] = 33.33m, ["recsys"] = 33.34m },
        };

        var result = new AllocationEngine().Allocate([Row(Day1, -100.00m, "Credits")], [rule], []);

        result.Lines.ShouldAllBe(l => l.Amount <= 0m);
        result.Lines.Sum(l => l.Amount).ShouldBe(-100.00m);
    }

    [Fact]
    public void MonthGrain_FormsOnePoolPerMonth_AndIdleCapacityCountsBilledDays()
    {
        var rule = GpuCluster(new IdleCapacity(IdleMode.Line) { CapacityPerDay = 10m }) with { Grain = TimeGrain.Month };
        var rows = new[] { ClusterDay1, ClusterDay1 with { Period = Day2 } };
        var usage = new[] { Usage(Day1, "gpu_hours", 5m, ("team", "nlp")), Usage(Day2, "gpu_hours", 10m, ("team", "nlp")) };

        var result = new AllocationEngine().Allocate(rows, [rule], usage);

        var pool = result.Pools.ShouldHaveSingleItem();
        pool.Period.ShouldBe(new DateOnly(2026, 10, 1));
        pool.Amount.ShouldBe(200m);
        AmountOf(result, "nlp").ShouldBe(150m);
        AmountOf(result, "(idle)").ShouldBe(50m);
    }

    [Fact]
    public void Shares_KeepTheDimensionsEveryPoolRowShares()
    {
        var result = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster()], [Usage(Day1, "gpu_hours", 1m, ("team", "nlp"))]);

        var line = result.Lines.ShouldHaveSingleItem();
        line.Dimension("environment").ShouldBe("prod");
        line.Dimension("team").ShouldBe("nlp");
    }

    [Fact]
    public void UsageAboveCapacity_IsWarnedAbout_AndLeavesNoIdle()
    {
        var result = new AllocationEngine().Allocate(
            [ClusterDay1],
            [GpuCluster(new IdleCapacity(IdleMode.Line) { CapacityPerDay = 10m })],
            [Usage(Day1, "gpu_hours", 12m, ("team", "nlp"))]);

        result.Lines.ShouldHaveSingleItem().Amount.ShouldBe(100m);
        result.Warnings.ShouldHaveSingleItem().ShouldContain("exceeds capacity 10");
    }

    [Fact]
    public void Explain_ListsEveryAmountATargetReceived_WithRulePoolDriverShareAndAmount()
    {
        var rows = new[]
        {
            ClusterDay1,
            Row(Day1, 42.50m, "Amazon SageMaker", "endpoint/bert", tags: ("team", "nlp")),
        };
        var usage = new[] { Usage(Day1, "gpu_hours", 72m, ("team", "nlp")), Usage(Day1, "gpu_hours", 24m, ("team", "vision")) };

        var result = new AllocationEngine().Allocate(rows, [GpuCluster(new IdleCapacity(IdleMode.Spread) { CapacityPerDay = 192m })], usage);
        var nlp = result.For("team", "nlp");

        nlp.Select(l => (l.Kind, l.Amount)).ShouldBe([(AllocationKind.Direct, 42.50m), (AllocationKind.Shared, 37.50m), (AllocationKind.Idle, 37.50m)]);
        nlp[1].Explanation!.Describe().ShouldBe(
            "2026-10-01 rule 'gpu-cluster' (usage): nlp gpu_hours 72 of 96 = 75% of pool 2026-10-01/day USD 100.00 from 1 row(s) of Amazon EKS; "
            + "arn:aws:eks:us-east-1:1:cluster/gpu-a -> USD 37.50 (share of the used part 50.00, capacity 192)");
        nlp[2].Explanation!.Describe().ShouldContain("share of the idle part 50.00 (96 of capacity 192 unused), spread by the same driver");
    }

    [Fact]
    public void Statement_ShowsDirectSharedByRuleIdleAndTotal_AndTotalsEqualTheBill()
    {
        var rows = new[]
        {
            ClusterDay1,
            Row(Day1, 42.50m, "Amazon SageMaker", tags: ("team", "nlp")),
            Row(Day1, 7.50m, "Amazon SageMaker", tags: ("team", "vision")),
            Row(Day1, 3.00m, "Amazon S3"),
            Row(Day1, 10.00m, "AWS Support"),
        };
        var support = new AllocationRule("support", new PoolSelector { ServiceName = "AWS Support" }, "team", AllocationMethod.Proportional);
        var usage = new[] { Usage(Day1, "gpu_hours", 72m, ("team", "nlp")), Usage(Day1, "gpu_hours", 24m, ("team", "vision")) };

        var result = new AllocationEngine().Allocate(rows, [GpuCluster(new IdleCapacity(IdleMode.Line) { CapacityPerDay = 192m }), support], usage);
        var statement = ShowbackStatement.Build(result, "team").ShouldHaveSingleItem();

        statement.Currency.ShouldBe("USD");
        statement.Rules.ShouldBe(["gpu-cluster", "support"]);
        statement.Lines.Select(l => (l.Target, l.Direct, l.SharedByRule["gpu-cluster"], l.SharedByRule["support"], l.Idle, l.Total)).ShouldBe(
        [
            ("nlp", 42.50m, 37.50m, 8.50m, 0m, 88.50m),
            ("(idle)", 0m, 0m, 0m, 50.00m, 50.00m),
            ("vision", 7.50m, 12.50m, 1.50m, 0m, 21.50m),
            ("(untagged)", 3.00m, 0m, 0m, 0m, 3.00m),
        ]);
        statement.Total.ShouldBe(163.00m);
    }

    [Fact]
    public void Usage_DriverSummingToZero_WithoutCapacity_IsUnallocated()
    {
        var result = new AllocationEngine().Allocate([ClusterDay1], [GpuCluster()], [Usage(Day1, "gpu_hours", 0m, ("team", "nlp"))]);

        var line = result.Lines.ShouldHaveSingleItem();
        line.Kind.ShouldBe(AllocationKind.Unallocated);
        line.Explanation!.Note.ShouldBe("gpu_hours usage sums to zero in the period");
    }

    [Fact]
    public void Usage_NothingUsedOnAClusterWithKnownCapacity_IsAllIdle()
    {
        var result = new AllocationEngine().Allocate(
            [ClusterDay1],
            [GpuCluster(new IdleCapacity(IdleMode.Line) { CapacityPerDay = 192m })],
            [Usage(Day1, "gpu_hours", 0m, ("team", "nlp"))]);

        var line = result.Lines.ShouldHaveSingleItem();
        (line.Kind, line.Label, line.Amount).ShouldBe((AllocationKind.Idle, "(idle)", 100.00m));
    }

    [Fact]
    public void Even_WithoutTargetsAndNoDirectCost_IsUnallocated_NotDropped()
    {
        var rule = new AllocationRule("support", new PoolSelector { ServiceName = "AWS Support" }, "team", AllocationMethod.Even);

        var result = new AllocationEngine().Allocate([Row(Day1, 9.99m, "AWS Support")], [rule], []);

        var line = result.Lines.ShouldHaveSingleItem();
        (line.Kind, line.Label, line.Amount).ShouldBe((AllocationKind.Unallocated, "(unallocated: support)", 9.99m));
    }
}
