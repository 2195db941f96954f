using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Recommendations;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Configuration;
using ModelMeter.Store;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Recommendations;

/// <summary>The demo month, built once; recommend runs on it.</summary>
public sealed class RecommendDemoFixture : IDisposable
{
    internal AppHarness App { get; } = new();

    public DemoResult Demo { get; }

    public RecommendDemoFixture() => Demo = App.Get<DemoUseCase>().Run(new DemoRequest { Month = "2026-10" });

    public void Dispose() => App.Dispose();
}

public sealed class RecommendDemoTests(RecommendDemoFixture fixture) : IClassFixture<RecommendDemoFixture>
{
    private RecommendationsReport Run(RecommendRequest? request = null) => fixture.App.Get<RecommendUseCase>().Run(request ?? new RecommendRequest { MinSaving = 0m });

    [Fact]
    public void OnTheDemo_EveryPlantedWasteIsFoundByTheRightRule_WithTheSavingThePlantedNumbersGive()
    {
        var window = Run();
        window.From.ShouldBe(new DateOnly(2026, 10, 2), "by default 30 days ending on the last day with both bill and metrics (the history after the month is daily, without metrics)");
        window.To.ShouldBe(new DateOnly(2026, 10, 31));

        // The planted savings are worked from the whole month.
        var report = Run(new RecommendRequest { MinSaving = 0m, From = "2026-10-01", To = "2026-10-31" });
        fixture.Demo.PlantedSavings.Count.ShouldBe(fixture.Demo.PlantedWaste.Count, "every planted waste says what it should save");
        foreach (var planted in fixture.Demo.PlantedSavings)
        {
            var finding = report.Findings.Where(f => f.Resources.Contains(planted.ResourceId)).ShouldHaveSingleItem($"{planted.ResourceId}: {planted.Waste}");
            finding.Rule.ShouldBe(planted.Rule, planted.Waste);
            finding.MonthlySaving.ShouldBe(planted.MonthlySaving, 0.01m * Math.Max(1m, planted.MonthlySaving / 100m), $"{planted.Waste}: {finding.How}");
        }
    }

    [Fact]
    public void OnTheDemo_NothingIsFlaggedOnTheHealthyResources()
    {
        var planted = fixture.Demo.PlantedSavings.Select(p => p.ResourceId).ToHashSet(StringComparer.Ordinal);

        Run().Findings.Where(f => !f.Resources.All(planted.Contains)).Select(f => $"{f.Rule} {f.Resources[0]}: {f.How}").ShouldBeEmpty();
    }

    [Fact]
    public void TheMinimumSaving_LeavesOutSmallFindings_AndCountsThem()
    {
        var all = Run();
        var large = Run(new RecommendRequest { MinSaving = 1_000m });

        large.Findings.ShouldAllBe(f => (f.MonthlySaving == 0m ? f.MonthlyCost : f.MonthlySaving) >= 1_000m);
        large.Hidden.ShouldBe(all.Findings.Count - large.Findings.Count);
        large.Totals.ShouldHaveSingleItem().MonthlySaving.ShouldBe(large.Findings.Sum(f => f.MonthlySaving));
    }

    [Fact]
    public void Explain_ReturnsTheOneFinding_AndAnUnknownIdIsAUserMistakeNamingTheIds()
    {
        var first = Run().Findings[0];

        var explained = Run(new RecommendRequest { Explain = first.Id }).Findings.ShouldHaveSingleItem();
        explained.Id.ShouldBe(first.Id);
        explained.How.ShouldBe(first.How);
        Should.Throw<Core.Errors.UserInputException>(() => Run(new RecommendRequest { Explain = "idle-00000000" })).Message.ShouldContain(first.Id);
    }

    [Fact]
    public void Where_AndATeamsKey_RestrictTheFindingsToThatTeam()
    {
        Run(new RecommendRequest { MinSaving = 0m, Where = ["tag:team=vision"] }).Findings.ShouldAllBe(f => f.Team == "vision");
        var scoped = Run(new RecommendRequest { MinSaving = 0m, Access = ModelMeter.Application.Access.AccessScope.ForTeam("search") });
        scoped.Findings.ShouldNotBeEmpty();
        scoped.Findings.ShouldAllBe(f => f.Team == "search");
    }

    [Fact]
    public void Thresholds_ComeFromTheConfigsRecommendationsSection()
    {
        var config = fixture.App.WriteText("recommendations:\n  min_saving: 3000\n  idle_stop_days: 40\n", "recommend-thresholds.yaml");

        var report = Run(new RecommendRequest { Store = new Hosting.StoreOptions(Config: config) });

        report.MinSaving.ShouldBe(3000m);
        report.Findings.ShouldAllBe(f => f.MonthlySaving >= 3000m || (f.MonthlySaving == 0m && f.MonthlyCost >= 3000m));
        var notebook = Run(new RecommendRequest { Store = new Hosting.StoreOptions(Config: config), MinSaving = 0m }).Findings.First(f => f.Rule == "idle");
        notebook.State.ShouldBe("stop_due", "first seen idle 2026-10-02, today 2026-11-15: 44 days, past the configured 40");
        Run(new RecommendRequest { MinSaving = 0m }).Findings.First(f => f.Id == notebook.Id).State.ShouldBe("warned", "the default stops at 60 days");
    }

    [Fact]
    public void ARecordedRun_KeepsTheIdlePolicyInTheStore_AndAReadOnlyRunDoesNot()
    {
        int before;
        using (var store = ModelMeter.Store.DuckDb.DuckDbCostStore.Open(fixture.App.StorePath, fixture.App.Clock, readOnly: true))
        {
            before = store.IdleStates().Count;
        }

        Run(new RecommendRequest { MinSaving = 0m });
        using (var again = ModelMeter.Store.DuckDb.DuckDbCostStore.Open(fixture.App.StorePath, fixture.App.Clock, readOnly: true))
        {
            again.IdleStates().Count.ShouldBe(before);
        }

        Run(new RecommendRequest { MinSaving = 0m, RecordPolicy = true });
        using var after = ModelMeter.Store.DuckDb.DuckDbCostStore.Open(fixture.App.StorePath, fixture.App.Clock, readOnly: true);
        after.IdleStates().Select(s => $"{s.ResourceId.Split('/')[^1]} {s.Stage} {s.FirstSeenIdle:yyyy-MM-dd}")
            .ShouldBe(["nb-vision-jdoe Warned 2026-10-02", "nb-vision-mlee Warned 2026-10-02"]);
    }

    [Fact]
    public void OnTheDemo_TheUnattachedVolumeIsFoundFromVolumeIo_AndTheAttachedOneIsNot()
    {
        var report = Run(new RecommendRequest { MinSaving = 0m, From = "2026-10-01", To = "2026-10-31" });

        // 2,000 GB of gp3 at 0.08 USD per GB-month, no volume_io_ops sample; the attached 200 GB one is read every hour.
        var volume = report.Findings.Where(f => f.Rule == "unattached-volume").ShouldHaveSingleItem();
        volume.Resources.ShouldBe(["vol-0deadbeef0000001"]);
        volume.MonthlySaving.ShouldBe(160.00m, volume.How);
        volume.Evidence[0].Value.ShouldBe("no samples in the window");
        report.Findings.ShouldNotContain(f => f.Resources.Contains("vol-0feed5eed0000001"));
    }

    [Fact]
    public void OnTheDemo_TheMissingMetricsWarning_NamesOnlyBatching_WhichHasNoBatchSizeOrRequestsByResource()
    {
        Run().Warnings.ShouldBe(["No usage metrics keyed by resource_id in the window for these rules, which found nothing to judge: batching (batch_size, requests or predictions). Import them with `import usage`, `import prometheus` or `import nvidia-smi`."]);
    }

    [Theory]
    [InlineData("volume_io_ops", "batching (batch_size, requests or predictions); unattached-volume (volume_io_ops)")]
    [InlineData("gpu_utilization_percent", "idle (gpu_utilization_percent or requests or predictions); scale-down (gpu_utilization_percent); off-hours (gpu_utilization_percent); low-gpu-utilisation (gpu_utilization_percent); batching (batch_size, gpu_utilization_percent, requests or predictions)")]
    [InlineData("gpu_memory_used_bytes", "batching (batch_size, requests or predictions)")]
    public void RemovingAMetricFromTheStore_TheWarningNamesExactlyTheRulesThatNeedIt(string metric, string rules)
    {
        // The demo's store read through one that has lost a metric; the demo's predictions are by model, not resource_id.
        using var app = new AppHarness(services => services.AddSingleton<ICostStoreFactory>(provider =>
            new WithoutMetricFactory(new CostStoreFactory(provider.GetRequiredService<Hosting.ModelMeterEnvironment>()), metric)));

        var report = app.Get<RecommendUseCase>().Run(new RecommendRequest { MinSaving = 0m, Store = new Hosting.StoreOptions(Store: fixture.App.StorePath) });

        report.Warnings.ShouldHaveSingleItem().ShouldStartWith($"No usage metrics keyed by resource_id in the window for these rules, which found nothing to judge: {rules}. Import");
        if (metric == "volume_io_ops")
        {
            report.Findings.ShouldNotContain(f => f.Rule == "unattached-volume", "without volume I/O nothing says the volume is unattached");
        }
    }

    private sealed class WithoutMetricFactory(ICostStoreFactory inner, string metric) : ICostStoreFactory
    {
        public StoreLocation Locate(ModelMeterConfig config, string? storeOption) => inner.Locate(config, storeOption);

        public bool Exists(StoreLocation location) => inner.Exists(location);

        public ICostStore Open(StoreLocation location, StoreAccess access) => new Store(inner.Open(location, access), metric);

        public void Discard(StoreLocation location) => inner.Discard(location);

        private sealed class Store(ICostStore inner, string metric) : DelegatingCostStore(inner)
        {
            public override IReadOnlyList<UsageStatistic> QueryUsageStatistics(UsageStatisticsQuery query) =>
                Inner.QueryUsageStatistics(query).Where(u => u.Metric != metric).ToList();
        }
    }
}
