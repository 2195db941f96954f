using ModelMeter.Application.Demo;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Errors;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Application.Tests.Demo;

/// <summary>The demo month, built once (a month of hourly line items takes seconds); the tests read its result.</summary>
public sealed class DemoMonthFixture : IDisposable
{
    internal AppHarness App { get; } = new();

    public DemoResult Result { get; }

    public DemoMonthFixture() => Result = App.Get<DemoUseCase>().Run(new DemoRequest { Month = "2026-10" });

    public void Dispose() => App.Dispose();
}

public sealed class DemoUseCaseTests(DemoMonthFixture demo) : IClassFixture<DemoMonthFixture>
{
    [Fact]
    public void Run_AllocatedTotal_EqualsTheReportTotalForTheMonth_ToTheCent()
    {
        // The figures are the cloud bill's and its allocation: the costs outside the bill (provider internal, 190,500 USD
        // of personnel, labelling, data and tooling) are imported after them.
        var report = demo.App.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Month = "2026-10", Where = ["ProviderName!=internal"] } });
        var everything = demo.App.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Month = "2026-10" } });
        var figures = demo.Result.Figures.ShouldNotBeNull();

        var usd = report.Totals["USD"];
        usd.ShouldBeGreaterThan(0m);
        everything.Totals["USD"].ShouldBe(usd + 190500m);
        figures.Showback.Statements.ShouldHaveSingleItem().Total.ShouldBe(usd);
        var check = figures.Showback.Conservation.ShouldHaveSingleItem();
        check.Billed.ShouldBe(usd);
        check.Allocated.ShouldBe(usd);
        check.Equal.ShouldBeTrue();
        figures.CostByTeam.Totals["USD"].ShouldBe(usd);
    }

    [Fact]
    public void Run_ImportsBothFilesThroughTheImportUseCases_AndShowsTheOverview()
    {
        var result = demo.Result;
        var imports = result.Imports.ShouldNotBeNull();
        var figures = result.Figures.ShouldNotBeNull();

        result.Month.ShouldBe(new DateOnly(2026, 10, 1));
        result.Store.ShouldBe(demo.App.StorePath);
        result.FocusFile.ShouldBe(demo.App.Temp.File(".modelmeter/demo/focus-2026-10.csv"));
        imports.Focus.Outcome.ShouldBe(ImportOutcome.Imported);
        imports.Focus.RowsValid.ShouldBe(result.LineItems);
        imports.Focus.Totals["USD"].BilledCost.ShouldBe(result.BilledTotal);
        imports.Usage.ShouldNotBeNull().Outcome.ShouldBe(ImportOutcome.Imported);
        imports.UsesOwnConfig.ShouldBeFalse();
        File.Exists(imports.ConfigFile).ShouldBeTrue();
        demo.App.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.Select(i => i.Kind).ShouldBe(["focus", "focus", "usage", "usage", "metrics", "llm-usage", "mlflow", "costs"]); // the month, its daily history, the job log, the ML sources, the costs outside the bill

        figures.CostByTeam.Dimensions.ShouldBe(["tag:team"]);
        figures.CostByTeam.Rows.Count.ShouldBeLessThanOrEqualTo(8);
        figures.DailyTrend.Rows.Count.ShouldBe(31);
        figures.TagCompliance.Currencies.ShouldHaveSingleItem().FullyTaggedPercent.ShouldBeInRange(50m, 100m);
        figures.Hierarchy.Levels[0].ShouldBe("cost_center");
        figures.Hierarchy.Totals.Keys.ShouldBe(["USD"]);
        figures.Showback.Statements[0].Lines.ShouldContain(l => l.Target == "(idle)" && l.Idle > 0m);
        result.PlantedWaste.ShouldNotBeEmpty();
    }

    [Fact]
    public void Run_ImportsTheMlSources_SoRunsUnitAndKpiAnswerTheTeamLeadsQuestions()
    {
        var ml = demo.Result.MlSources.ShouldNotBeNull();
        Directory.Exists(ml.MlrunsFolder).ShouldBeTrue();

        // What did each experiment cost, which runs were wasted (the failed fine-tune start, the killed vision trials)?
        var runs = demo.App.Get<Application.Runs.RunsUseCase>().Run(new Application.Runs.RunsRequest { By = "experiment" });
        runs.Runs.Count.ShouldBe(ml.Runs);
        var fineTune = runs.Groups.ShouldNotBeNull().Single(g => g.Group == "ft-7b-lora");
        (fineTune.CostBasis, fineTune.WasteRuns).ShouldBe(("billed", 1));
        fineTune.Cost.ShouldNotBeNull().ShouldBeGreaterThan(0m);
        runs.Groups.Single(g => g.Group == "aug-mosaic").WasteRuns.ShouldBe(5);

        // What does one prediction of each model cost, and is it trending down? The over-scaled ranker endpoint: up.
        var unit = demo.App.Get<Application.Unit.UnitUseCase>().Run(new Application.Unit.UnitRequest { Query = new CostQueryText { By = "tag:model", Month = "2026-10", Grain = "week" } });
        var ranker = unit.Rows.Where(r => r.Scope == "ranker-v3" && r.CostPerPrediction is not null).ToList();
        ranker.Count.ShouldBeGreaterThanOrEqualTo(4);
        ranker.ShouldContain(r => r.CostPerPredictionChange > 0);
        unit.Latest.Single(r => r.Scope == "assistant-rag").CostPerActiveUser.ShouldNotBeNull();

        // Are our KPIs on target? With the demo's config: the idle GPUs keep serving utilisation off target.
        var kpis = demo.App.Get<Application.Kpis.KpiUseCase>().Run(new Application.Kpis.KpiRequest
        {
            Store = new Hosting.StoreOptions { Config = demo.Result.Imports!.ConfigFile },
            Query = new CostQueryText { Month = "2026-10" },
        });
        var utilisation = kpis.Kpis.Single(k => k.Name == "gpu_utilisation_serving");
        utilisation.Values.Single().Value.ShouldNotBeNull().ShouldBeLessThan(70m);
        utilisation.Status.ShouldBe("off_target");
        kpis.Kpis.Single(k => k.Name == "ranker_cost_per_1k_predictions").Values.Single().Value.ShouldNotBeNull();
        kpis.Kpis.Single(k => k.Name == "ranker_training_cost_per_ndcg_point").Values.Single().Value.ShouldNotBeNull();
    }

    [Fact]
    public void Run_EveryBilledGpuResourceHasHourlyUtilisation_AndThePlantedIdleOnesSitBelowTheHealthyOnes()
    {
        // The GPU resources of the bill, by their instance type (EC2, SageMaker endpoints and notebooks).
        var billed = demo.App.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { By = "ResourceId,SkuId", Month = "2026-10" } });
        var gpuResources = billed.Rows
            .Where(r => System.Text.RegularExpressions.Regex.IsMatch(r.Values[1], @":(ml\.)?(g4dn|g5|p3|p4d|p5)\."))
            .Select(r => r.Values[0]).Distinct().ToList();
        gpuResources.Count.ShouldBeGreaterThanOrEqualTo(10);

        using var store = DuckDbCostStore.Open(demo.App.StorePath, demo.App.Clock);
        var month = new Store.UsageStatisticsQuery { From = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), To = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc) };
        var samples = store.QueryUsageStatistics(month with { Metrics = ["gpu_utilization_percent"] })
            .GroupBy(s => s.Dimensions.GetValueOrDefault("resource_id") ?? "")
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Sum) / g.Sum(s => s.Count));
        var memory = store.QueryUsageStatistics(month with { Metrics = ["gpu_memory_used_bytes"] })
            .Select(s => s.Dimensions.GetValueOrDefault("resource_id")).ToHashSet();
        gpuResources.ShouldAllBe(id => samples.ContainsKey(id) && memory.Contains(id), "every GPU resource the demo bills has utilisation and memory samples");

        // The planted waste among them (idle notebooks, the nightly batch instance, the over-scaled endpoint) shows.
        var planted = gpuResources.Where(id => demo.Result.PlantedWaste.Any(w => w.StartsWith(id + ": ", StringComparison.Ordinal))).ToList();
        planted.ShouldContain("arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/nb-vision-jdoe");
        planted.ShouldContain("arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/nb-vision-mlee");
        planted.ShouldContain("i-0a1b2c3d4e5f60004");
        planted.ShouldContain("arn:aws:sagemaker:us-east-1:222222222222:endpoint/ranker-v3-prod");
        var healthy = gpuResources.Except(planted).Select(id => samples[id]).ToList();
        healthy.ShouldAllBe(mean => mean >= 60m && mean <= 90m);
        planted.ShouldAllBe(id => samples[id] < 30m && samples[id] < healthy.Min(), "a planted idle or low-utilisation GPU resource is below every healthy one");
        planted.Where(id => id.Contains("notebook-instance", StringComparison.Ordinal)).ShouldAllBe(id => samples[id] < 1m, "the notebooks nobody uses are near 0%");
    }

    [Fact]
    public void Run_GenerateOnlyWithOut_WritesTheSameFileForTheSameSeed_AndTouchesNoStore()
    {
        using var app = new AppHarness();
        var use = app.Get<DemoUseCase>();

        var first = use.Run(new DemoRequest { GenerateOnly = true, Out = "a.csv", Seed = 7 });
        var second = use.Run(new DemoRequest { GenerateOnly = true, Out = "b.csv", Seed = 7 });

        // No --month: last month on the clock (2026-11-15).
        first.Month.ShouldBe(new DateOnly(2026, 10, 1));
        first.Store.ShouldBeNull();
        first.Imports.ShouldBeNull();
        File.ReadAllBytes(first.FocusFile).ShouldBe(File.ReadAllBytes(second.FocusFile));
        File.Exists(app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Run_WithRowsNotPositive_IsBadInput()
    {
        using var app = new AppHarness();

        Should.Throw<UserInputException>(() => app.Get<DemoUseCase>().Run(new DemoRequest { Rows = 0 })).Message.ShouldBe("--rows must be positive.");
    }
}
