using ModelMeter.Application.Demo;
using ModelMeter.Application.Recommendations;

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
}
