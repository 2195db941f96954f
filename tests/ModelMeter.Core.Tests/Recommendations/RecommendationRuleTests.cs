using ModelMeter.Core.Catalog;
using ModelMeter.Core.Recommendations;

namespace ModelMeter.Core.Tests.Recommendations;

/// <summary>Each rule on small constructed data, its saving worked by hand.</summary>
public sealed class RecommendationRuleTests
{
    private static readonly DateOnly From = new(2026, 10, 1);
    private static readonly DateOnly To = new(2026, 10, 10); // 10 days = 240 hours
    private static readonly PriceCatalog Catalog = PriceCatalog.Load();

    private static ResourcePool Hourly(string id, string type, decimal price, Func<int, decimal> instances, string resourceType = "Instance", string? team = "search", string pricing = "Standard", params (string Key, string Value)[] tags)
    {
        var days = Enumerable.Range(0, 10).Select(d =>
        {
            var counts = Enumerable.Range(0, 24).Select(h => instances((d * 24) + h)).ToList();
            return new PoolDay(From.AddDays(d), counts.Sum(), counts.Min(), counts.Max(), counts.Count(c => c > 0), counts.Sum() * price);
        }).ToList();
        var all = tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        if (team is not null)
        {
            all["team"] = team;
        }

        return new ResourcePool
        {
            ResourceId = id, Currency = "USD", Provider = "AWS", Name = id, ResourceType = resourceType, SkuId = "USE1-BoxUsage:" + type, PricingUnit = "Hours",
            PricingCategory = pricing, Account = "111", Tags = all, Days = days,
        };
    }

    private static IReadOnlyList<MetricHour> Hours(Func<int, decimal> value) =>
        Enumerable.Range(0, 240).Select(h => new MetricHour(From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(h), value(h), value(h), value(h))).ToList();

    private static RecommendationInput Input(IReadOnlyList<ResourcePool> pools, Dictionary<string, Dictionary<string, IReadOnlyList<MetricHour>>>? usage = null, RecommendationSettings? settings = null) => new()
    {
        From = From, To = To, Today = To, Pools = pools, Catalog = Catalog, Settings = settings ?? new RecommendationSettings(),
        Usage = (usage ?? []).ToDictionary(u => u.Key, u => (IReadOnlyDictionary<string, IReadOnlyList<MetricHour>>)u.Value, StringComparer.Ordinal),
    };

    [Fact]
    public void Idle_FindsANotebookWithGpuNearZeroAndNoRequests_SavingItsWholeMonthlyCost()
    {
        var pool = Hourly("nb-1", "g4dn.xlarge", 0.74m, _ => 1m, "Notebook Instance", tags: ("owner", "j.doe"));
        var input = Input([pool], new() { ["nb-1"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h % 2 == 0 ? 0.5m : 0m) } });

        var finding = new IdleRule().Evaluate(input, new HashSet<string>()).ShouldHaveSingleItem();

        // 240 h × 0.74 = 177.60 in the window; ÷ 240 h × 730 h = 540.20 a month.
        finding.MonthlySaving.ShouldBe(540.20m);
        finding.Owner.ShouldBe("j.doe");
        finding.Id.ShouldBe(Finding.StableId("idle", "nb-1"));
        finding.How.ShouldContain("177.60 USD ÷ 240 h × 730 h/month = 540.20 USD");
        finding.State.ShouldBe("first_seen", "9 days idle: not yet 30");
    }

    [Fact]
    public void Idle_LeavesAResourceWithRequestsOrARunOrABusyGpu()
    {
        var pool = Hourly("ep-1", "g5.xlarge", 1.408m, _ => 1m, "Endpoint");
        var requests = Input([pool], new() { ["ep-1"] = new() { [UsageMetrics.GpuUtilization] = Hours(_ => 0m), [UsageMetrics.Requests] = Hours(h => h == 5 ? 1m : 0m) } });
        new IdleRule().Evaluate(requests, new HashSet<string>()).ShouldBeEmpty();

        var busy = Input([pool], new() { ["ep-1"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h == 5 ? 40m : 0m) } });
        new IdleRule().Evaluate(busy, new HashSet<string>()).ShouldBeEmpty("one hour at 40% is above the 10% peak");

        var zeroInvocations = Input([pool], new() { ["ep-1"] = new() { [UsageMetrics.Requests] = Hours(_ => 0m) } });
        new IdleRule().Evaluate(zeroInvocations, new HashSet<string>()).ShouldHaveSingleItem().MonthlySaving.ShouldBe(1027.84m, "1.408 × 730: an endpoint with zero invocations");
        new IdleRule().Evaluate(zeroInvocations with { ResourcesWithRuns = new HashSet<string> { "ep-1" } }, new HashSet<string>()).ShouldBeEmpty();
    }

    [Fact]
    public void ScaleDown_FindsAFleetScaledUpAndNeverBack_AndSavesTheInstancesItsPeakDoesNotNeed()
    {
        // 2 instances for 3 days, then 6; demand peaks at 120 instance-% (20% on each of 6): ceil(120 / 70) = 2 needed.
        var pool = Hourly("ep-r", "g5.2xlarge", 1.515m, h => h < 72 ? 2m : 6m, "Endpoint");
        var input = Input([pool], new() { ["ep-r"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h < 72 ? 60m : h % 24 == 12 ? 20m : 10m) } });

        var finding = new ScaleDownRule().Evaluate(input, new HashSet<string>()).ShouldHaveSingleItem();

        finding.MonthlySaving.ShouldBe(4423.80m, "(6 − 2) × 1.515 × 730");
        finding.Evidence.ShouldContain(e => e.Metric == "scaled_up" && e.Value.StartsWith("from 2 to 6", StringComparison.Ordinal));
        finding.Action.ShouldContain("from 6 to 2");
    }

    [Fact]
    public void ScaleDown_LeavesAFleetWhosePeakNeedsEveryInstance_AndTheTargetComesFromSettings()
    {
        var pool = Hourly("ep-q", "g5.xlarge", 1.408m, _ => 2m, "Endpoint");
        var usage = new Dictionary<string, Dictionary<string, IReadOnlyList<MetricHour>>> { ["ep-q"] = new() { [UsageMetrics.GpuUtilization] = Hours(_ => 40m) } };
        new ScaleDownRule().Evaluate(Input([pool], usage), new HashSet<string>()).ShouldBeEmpty("2 × 40% = 80 instance-%: ceil(80 / 70) = 2, every instance");

        var looser = Input([pool], usage, new RecommendationSettings { TargetGpuPercent = 90m });
        new ScaleDownRule().Evaluate(looser, new HashSet<string>()).ShouldHaveSingleItem().MonthlySaving.ShouldBe(1027.84m, "ceil(80 / 90) = 1: (2 − 1) × 1.408 × 730");
    }

    [Fact]
    public void OffHours_PutsAnAlwaysOnInstanceBusyTwoHoursANightOnASchedule()
    {
        var pool = Hourly("i-nightly", "g5.2xlarge", 1.212m, _ => 1m);
        var input = Input([pool], new() { ["i-nightly"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h % 24 is 1 or 2 ? 80m : 0m) } });

        var finding = new OffHoursRule().Evaluate(input, new HashSet<string>()).ShouldHaveSingleItem();

        // 1.212 × 730 = 884.76 a month; stopped 154 of 168 hours: 884.76 × 154 / 168 = 811.03.
        finding.MonthlySaving.ShouldBe(811.03m);
        finding.Action.ShouldContain("daily 01:00–03:00 (UTC)");
    }

    [Fact]
    public void OffHours_WritesTheScheduleInTheTeamsTimeZone()
    {
        var pool = Hourly("i-nightly", "g5.2xlarge", 1.212m, _ => 1m, team: "vision");
        var settings = new RecommendationSettings { TeamTimeZones = new Dictionary<string, string> { ["vision"] = "Europe/Berlin" } };
        var input = Input([pool], new() { ["i-nightly"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h % 24 is 1 or 2 ? 80m : 0m) } }, settings);

        new OffHoursRule().Evaluate(input, new HashSet<string>()).ShouldHaveSingleItem().Action.ShouldContain("03:00–05:00 (Europe/Berlin)", Case.Sensitive, "01:00 UTC is 03:00 in Berlin in early October (CEST)");
    }

    [Fact]
    public void LowGpu_MovesALightlyUsedInstanceToTheCheapestCatalogueTypeThatHoldsItsPeak()
    {
        // g5.2xlarge (A10G, 125 TFLOPS fp16) at 10-20%: peak 20% of 125 = 25 TFLOPS, ÷ 0.7 = 35.7 needed; 8 GiB used.
        var pool = Hourly("i-low", "g5.2xlarge", 1.212m, _ => 1m);
        var gib = 1024m * 1024m * 1024m;
        var input = Input([pool], new()
        {
            ["i-low"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h % 2 == 0 ? 10m : 20m), [UsageMetrics.GpuMemoryUsed] = Hours(_ => 8m * gib) },
        });

        var finding = new LowGpuRule().Evaluate(input, new HashSet<string>()).ShouldHaveSingleItem();

        var target = Catalog.Instance(finding.Action.Split(" to ")[1].Split(' ')[0]);
        var current = Catalog.Instance("g5.2xlarge");
        target.OnDemandPerHour.ShouldBeLessThan(current.OnDemandPerHour);
        Catalog.Gpu(target.GpuKey).MemoryGb.ShouldBeGreaterThanOrEqualTo(8m);

        // (1.212 − 1.212 × target ÷ current) × 240 h ÷ 240 h × 730 h.
        finding.MonthlySaving.ShouldBe(Math.Round((1.212m - (1.212m * target.OnDemandPerHour / current.OnDemandPerHour)) * 730m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void StorageTiering_MovesWhatIsOlderThanThirtyDaysOfABucketThatOnlyGrows()
    {
        // 40,000 GB + 1,100 GB a day, as GB-month charged daily (÷ 31 days of October) at 0.023.
        var days = Enumerable.Range(0, 10).Select(d => new PoolDay(From.AddDays(d), (40_000m + (1_100m * d)) / 31m, 0, 0, 1, (40_000m + (1_100m * d)) / 31m * 0.023m)).ToList();
        var pool = new ResourcePool { ResourceId = "arn:aws:s3:::ckpt", Currency = "USD", Provider = "AWS", ResourceType = "Bucket", PricingUnit = "GB-Mo", Days = days };

        var finding = new StorageTieringRule().Evaluate(Input([pool]), new HashSet<string>()).ShouldHaveSingleItem();

        // Now 49,900 GB; 1,100 × 30 = 33,000 GB are younger than 30 days; 16,900 GB × (0.023 − 0.004 glacier instant) = 321.10.
        finding.MonthlySaving.ShouldBe(321.10m);
        finding.Action.ShouldContain("aws-s3-glacier-instant");
    }

    [Fact]
    public void StorageTiering_LeavesABucketThatDoesNotGrow()
    {
        var days = Enumerable.Range(0, 10).Select(d => new PoolDay(From.AddDays(d), 120_000m / 31m, 0, 0, 1, 120_000m / 31m * 0.023m)).ToList();
        var pool = new ResourcePool { ResourceId = "arn:aws:s3:::datasets", Currency = "USD", Provider = "AWS", ResourceType = "Bucket", PricingUnit = "GB-Mo", Days = days };
        new StorageTieringRule().Evaluate(Input([pool]), new HashSet<string>()).ShouldBeEmpty();
    }

    [Fact]
    public void Transfer_CoLocatingARecurringCrossZoneSyncSavesItsCost_AndInternetEgressIsLeft()
    {
        var sync = new ResourcePool
        {
            ResourceId = "sync", Currency = "USD", Provider = "AWS", SkuId = "USE1-DataTransfer-Regional-Bytes", PricingUnit = "GB",
            Days = Enumerable.Range(0, 10).Select(d => new PoolDay(From.AddDays(d), 36_000m, 0, 0, 1, 360m)).ToList(),
        };
        var egress = sync with { ResourceId = "egress", SkuId = "USE1-DataTransfer-Out-Bytes" };

        var finding = new TransferRule().Evaluate(Input([sync, egress]), new HashSet<string>()).ShouldHaveSingleItem();

        // 3,600 in 240 h; same-zone transfer is free (catalogue aws-same-zone): 3,600 ÷ 240 × 730 = 10,950.
        finding.MonthlySaving.ShouldBe(10_950m);
        finding.Resources.ShouldBe(["sync"]);
    }

    [Fact]
    public void Untagged_ListsTheLargestUntaggedResources_WithTheTeamTheirAccountSuggests()
    {
        var tagged = Hourly("i-a", "m5.2xlarge", 1m, _ => 1m, team: "nlp");
        var untagged = Hourly("i-b", "m5.2xlarge", 0.384m, _ => 1m, team: null);

        var finding = new UntaggedRule().Evaluate(Input([tagged, untagged]), new HashSet<string>()).ShouldHaveSingleItem();

        finding.Resources.ShouldBe(["i-b"]);
        finding.MonthlySaving.ShouldBe(0m);
        finding.MonthlyCost.ShouldBe(280.32m, "0.384 × 730");
        finding.Team.ShouldBe("nlp");
        finding.Action.ShouldContain("team=nlp");
    }

    [Fact]
    public void Spot_MovesInterruptibleOnDemandTrainingToTheCataloguesSpotPrice_NeverAnEndpoint()
    {
        var training = Hourly("i-train", "p4d.24xlarge", 21.957642m, h => h % 24 < 10 ? 1m : 0m, tags: ("interruptible", "true"));
        var endpoint = Hourly("ep", "p4d.24xlarge", 21.957642m, _ => 1m, "Endpoint", tags: ("interruptible", "true"));

        var finding = new SpotRule().Evaluate(Input([training, endpoint]), new HashSet<string>()).ShouldHaveSingleItem();

        // 100 h on demand; spot = on-demand × 0.5 (catalogue); (21.957642 − 10.978821) × 100 = 1,097.88 in the window; ÷ 240 × 730 = 3,339.39.
        finding.MonthlySaving.ShouldBe(3_339.39m);
    }

    [Fact]
    public void Engine_RanksBySaving_AndAResourceFoundIdleIsNotAlsoPutOnASchedule()
    {
        var notebook = Hourly("nb", "g4dn.xlarge", 0.74m, _ => 1m, "Notebook Instance");
        var nightly = Hourly("i-nightly", "g5.2xlarge", 1.212m, _ => 1m);
        var input = Input([notebook, nightly], new()
        {
            ["nb"] = new() { [UsageMetrics.GpuUtilization] = Hours(_ => 0m) },
            ["i-nightly"] = new() { [UsageMetrics.GpuUtilization] = Hours(h => h % 24 is 1 or 2 ? 80m : 0m) },
        });

        var findings = RecommendationEngine.Run(input);

        findings.Select(f => $"{f.Rule} {f.Resources[0]} {f.MonthlySaving}").ShouldBe(["off-hours i-nightly 811.03", "idle nb 540.20"]);
    }

    [Fact]
    public void Batching_ServesThePeakWithFewerInstances_FromTheEndpointsOwnRequestsAndMeasuredRps()
    {
        // 4 instances all window at 1.50 USD; 72,000 requests an hour, one peak hour of 144,000.
        // Measured: (239 × 72,000 + 144,000) requests ÷ 960 instance-hours ÷ 3,600 s = 17,352,000 ÷ 3,456,000 = 5.020833 rps per instance.
        // Batched (gain 2): 10.041667 rps per instance; peak 144,000 ÷ 3,600 = 40 rps → ceil(40 ÷ 10.041667) = ceil(3.98) = 4: nothing saved.
        // With the peak at 108,000 (30 rps; 5.010417 rps per instance → 10.020833): ceil(2.994) = 3 → (4 − 3) × 1.50 × 730 = 1,095.00 USD.
        var pool = Hourly("ep-b", "g5.xlarge", 1.5m, _ => 4m, "Endpoint");
        Dictionary<string, IReadOnlyList<MetricHour>> Metrics(decimal peak, decimal batch, decimal gpu) => new()
        {
            [UsageMetrics.BatchSize] = Hours(_ => batch), [UsageMetrics.GpuUtilization] = Hours(_ => gpu),
            [UsageMetrics.Requests] = Hours(h => h == 100 ? peak : 72_000m),
        };

        new BatchingRule().Evaluate(Input([pool], new() { ["ep-b"] = Metrics(144_000m, 1.5m, 12m) }), new HashSet<string>()).ShouldBeEmpty("the peak needs all 4 even batched");
        var finding = new BatchingRule().Evaluate(Input([pool], new() { ["ep-b"] = Metrics(108_000m, 1.5m, 12m) }), new HashSet<string>()).ShouldHaveSingleItem();

        finding.MonthlySaving.ShouldBe(1095.00m);
        finding.How.ShouldContain("ceil(30 peak rps ÷ (5.01 rps × 2 throughput gain))");
        new BatchingRule().Evaluate(Input([pool], new() { ["ep-b"] = Metrics(108_000m, 6m, 12m) }), new HashSet<string>()).ShouldBeEmpty("batches of 6 are not small (under 4)");
        new BatchingRule().Evaluate(Input([pool], new() { ["ep-b"] = Metrics(108_000m, 1.5m, 45m) }), new HashSet<string>()).ShouldBeEmpty("45% GPU is not low (under 30%)");
        new BatchingRule().Evaluate(Input([pool], new() { ["ep-b"] = Metrics(108_000m, 6m, 12m) }, new RecommendationSettings { SmallBatch = 8m }), new HashSet<string>())
            .ShouldHaveSingleItem("small_batch 8 from the config");
        var slow = Metrics(108_000m, 1.5m, 12m);
        slow[UsageMetrics.LatencyP99] = Hours(h => h == 7 ? 250m : 90m);
        new BatchingRule().Evaluate(Input([pool], new() { ["ep-b"] = slow }), new HashSet<string>()).ShouldBeEmpty("p99 already reaches the 200 ms SLA: no room for the batch wait");
    }

    [Fact]
    public void Commitment_CoversTheStableBaselineOnly_AtTheCataloguesOneYearRate_WithTheBreakEven()
    {
        // Two on-demand g5.12xlarge: one always on, the other on 8 of the 10 days; a third runs 2 hours a day.
        // Each day's fewest instances running all day: 2 on 8 days, 1 on 2 days → p10 of [1,1,2,2,2,2,2,2,2,2] = 1.
        var price = Catalog.Instance("g5.12xlarge").OnDemandPerHour;
        var always = Hourly("i-a", "g5.12xlarge", price, _ => 1m, team: "vision");
        var mostly = Hourly("i-b", "g5.12xlarge", price, h => h / 24 is 3 or 7 ? 0m : 1m, team: "vision");
        var bursts = Hourly("i-c", "g5.12xlarge", price, h => h % 24 < 2 ? 1m : 0m, team: "vision");
        var catalogue = Catalog.Instance("g5.12xlarge");
        var rate = catalogue.Commitment1y!.PerHour; // the bill pays the catalogue's on-demand price: the rate is the catalogue's

        var finding = new CommitmentRule().Evaluate(Input([always, mostly, bursts]), new HashSet<string>()).ShouldHaveSingleItem();

        finding.Resources.ShouldBe(["i-a", "i-b", "i-c"]);
        finding.MonthlySaving.ShouldBe(Math.Round(1m * (price - rate) * 730m, 2, MidpointRounding.AwayFromZero), "1 instance × (on-demand − 1-year rate) × 730 h");
        finding.How.ShouldContain($"break-even utilisation {Math.Round(rate / price * 100m, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%");
        finding.Evidence[0].Value.ShouldStartWith("p10 of the 10 days' fewest instances running all day = 1");
        new CommitmentRule().Evaluate(Input([always, mostly, bursts], settings: new RecommendationSettings { CommitmentPercentile = 50m }), new HashSet<string>())
            .ShouldHaveSingleItem().MonthlySaving.ShouldBe(Math.Round(2m * (price - rate) * 730m, 2, MidpointRounding.AwayFromZero), "the median day runs 2 all day");
        new CommitmentRule().Evaluate(Input([bursts]), new HashSet<string>()).ShouldBeEmpty("no instance runs every hour: no baseline");
        new CommitmentRule().Evaluate(Input([Hourly("ep-c", "g5.12xlarge", price, _ => 1m, "Endpoint")]), new HashSet<string>()).ShouldBeEmpty("endpoints commit through the ML service's own plans");
        new CommitmentRule().Evaluate(Input([always]), new HashSet<string> { "i-a" }).ShouldBeEmpty("a resource another rule resizes or stops is not committed to");
    }

    private static ResourcePool Volume(string id, decimal gb) => new()
    {
        // gp3 billed daily: GB ÷ 31 GB-months a day at 0.08 USD per GB-month.
        ResourceId = id, Currency = "USD", ResourceType = "Volume", SkuId = "USE1-EBS:VolumeUsage.gp3", PricingUnit = "GB-Mo", Account = "444",
        Days = Enumerable.Range(0, 10).Select(d => new PoolDay(From.AddDays(d), gb / 31m, gb / 31m, gb / 31m, 1, gb / 31m * 0.08m)).ToList(),
    };

    [Fact]
    public void UnattachedVolume_FindsABilledVolumeWithoutIo_WhenVolumeIoIsMeasured_SavingItsMonthlyCost()
    {
        var attached = new Dictionary<string, IReadOnlyList<MetricHour>> { [UsageMetrics.VolumeIoOps] = Hours(h => 1_500m + h) };
        var input = Input([Volume("vol-1", 2_000m), Volume("vol-2", 500m)], new() { ["vol-2"] = attached });

        var finding = new UnattachedVolumeRule().Evaluate(input, new HashSet<string>()).ShouldHaveSingleItem();

        // 2,000 GB stored on the last day (2,000 ÷ 31 GB-months × 31 days) × 0.08 USD/GB-month = 160.00 USD a month, all of it.
        finding.Resources.ShouldBe(["vol-1"]);
        finding.MonthlySaving.ShouldBe(160.00m);
        finding.MonthlyCost.ShouldBe(160.00m);
        finding.Evidence[0].ShouldBe(new Evidence(UsageMetrics.VolumeIoOps, "no samples in the window", From, To));
        finding.How.ShouldBe("2000 GB × 0.08 USD/GB-month = 160.00 USD a month, all of it once deleted");

        // Sampled, but zero in every hour: unattached too.
        var zeros = Input([Volume("vol-1", 2_000m), Volume("vol-2", 500m)], new() { ["vol-2"] = attached, ["vol-1"] = new() { [UsageMetrics.VolumeIoOps] = Hours(_ => 0m) } });
        new UnattachedVolumeRule().Evaluate(zeros, new HashSet<string>()).ShouldHaveSingleItem().Evidence[0].Value.ShouldBe("0 in all 240 hours sampled");
        RecommendationEngine.Run(input).Select(f => f.Rule + " " + f.Resources[0]).ShouldBe(["unattached-volume vol-1", "untagged vol-2"], "an untagged volume to delete is not also asked to be tagged");
    }

    [Fact]
    public void UnattachedVolume_LeavesAVolumeThatIsReadOrWritten_EvenOnce()
    {
        var input = Input([Volume("vol-2", 500m)], new() { ["vol-2"] = new() { [UsageMetrics.VolumeIoOps] = Hours(h => h == 3 ? 40m : 0m) } });

        new UnattachedVolumeRule().Evaluate(input, new HashSet<string>()).ShouldBeEmpty("40 operations in one hour of the window: attached");
    }

    [Fact]
    public void UnattachedVolume_WithoutAnyVolumeIoSamples_FindsNothing_AndTheWarningNamesIt()
    {
        // GPU metrics are imported, volume I/O is not: "no samples" says nothing about a volume's attachment.
        var input = Input([Volume("vol-1", 2_000m)], new() { ["i-1"] = new() { [UsageMetrics.GpuUtilization] = Hours(_ => 50m) } });

        new UnattachedVolumeRule().Evaluate(input, new HashSet<string>()).ShouldBeEmpty();
        var warning = RecommendationEngine.MissingMetricsWarning(new HashSet<string> { UsageMetrics.GpuUtilization, UsageMetrics.Requests, UsageMetrics.BatchSize });
        warning.ShouldNotBeNull();
        warning.ShouldContain("which found nothing to judge: unattached-volume (volume_io_ops).");
        warning.ShouldContain("neither FOCUS nor CUR has one");
    }

    [Theory]
    [InlineData(UsageMetrics.GpuUtilization, "scale-down,off-hours,low-gpu-utilisation,batching")]
    [InlineData(UsageMetrics.BatchSize, "batching")]
    [InlineData(UsageMetrics.VolumeIoOps, "unattached-volume")]
    [InlineData(UsageMetrics.Requests, "")]
    [InlineData(UsageMetrics.LatencyP99, "")]
    [InlineData(UsageMetrics.GpuMemoryUsed, "")]
    public void MissingMetrics_NameExactlyTheRulesThatNeedTheMetricRemoved(string removed, string rules)
    {
        // Idle needs GPU utilisation or a work counter, batching requests or predictions: removing one of a pair blinds nothing.
        var measured = UsageMetrics.All.Where(m => m != removed).ToHashSet(StringComparer.Ordinal);

        var missing = RecommendationEngine.MissingMetrics(measured);

        string.Join(",", missing.Select(m => m.Rule)).ShouldBe(rules);
        missing.ShouldAllBe(m => m.Needs.All(n => n.Contains(removed)));
        (RecommendationEngine.MissingMetricsWarning(measured) is null).ShouldBe(rules.Length == 0);
    }

    [Fact]
    public void MissingMetrics_WithNoMetricsAtAll_NameEveryRuleThatReadsThem_AndNotTheBillOnlyRules()
    {
        var warning = RecommendationEngine.MissingMetricsWarning(new HashSet<string>());

        warning.ShouldBe(
            "No usage metrics keyed by resource_id in the window for these rules, which found nothing to judge: idle (gpu_utilization_percent or requests or predictions); "
            + "scale-down (gpu_utilization_percent); off-hours (gpu_utilization_percent); low-gpu-utilisation (gpu_utilization_percent); "
            + "batching (batch_size, gpu_utilization_percent, requests or predictions); unattached-volume (volume_io_ops). Import them with `import usage`, `import prometheus` or `import nvidia-smi`. "
            + "The bill has no column that says a volume is attached (neither FOCUS nor CUR has one): only volume I/O samples (CloudWatch VolumeReadOps + VolumeWriteOps as volume_io_ops) tell an unattached volume.");
        RecommendationEngine.Rules.Where(r => r.NeededMetrics.Count == 0).Select(r => r.Name)
            .ShouldBe(["spot-training", "commitment", "storage-tiering", "cross-zone-transfer", "untagged"], "they read the bill (and runs and tags) only");
    }
}
