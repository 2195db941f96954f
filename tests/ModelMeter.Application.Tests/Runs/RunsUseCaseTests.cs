using System.Globalization;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Runs;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;
using ModelMeter.Tests.Support;
using static ModelMeter.Tests.Support.MlflowStores;

namespace ModelMeter.Application.Tests.Runs;

public sealed class RunsUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    /// <summary>
    /// Experiment ranker (team search) on i-ranker, billed 8 USD an hour: a tuning parent 02:00-06:00 with two children
    /// inside it (one killed), then a training run. Experiment detector (team vision) on g5.xlarge, estimated: a failed run.
    /// </summary>
    private static List<TrackedRun> Runs() =>
    [
        Run("p1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T06:00:00Z",
            tags: new() { ["resource_id"] = "i-ranker", ["Team"] = "Search", ["estimator"] = "GridSearchCV(XGBRanker())" },
            metrics: [new RunMetric("ndcg", 0.61, 1, 1)]),
        Run("c1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T04:00:00Z",
            tags: new() { [TrackedRun.ParentRunTag] = "p1", ["resource_id"] = "i-ranker" }),
        Run("c2", "7", "ranker", RunStatus.Killed, "2026-10-05T03:00:00Z", "2026-10-05T05:30:00Z",
            tags: new() { [TrackedRun.ParentRunTag] = "p1", ["resource_id"] = "i-ranker" }),
        Run("t1", "7", "ranker", RunStatus.Finished, "2026-10-05T07:00:00Z", "2026-10-05T08:30:00Z",
            tags: new() { ["resource_id"] = "i-ranker", ["team"] = "search", ["estimator"] = "XGBRanker", [RunsUseCase.EstimateTag] = "est-0000000001" },
            metrics: [new RunMetric("ndcg", 0.65, 1, 1)]),
        Run("f1", "9", "detector", RunStatus.Failed, "2026-10-06T08:00:00Z", "2026-10-06T10:00:00Z",
            parameters: new() { ["instance_type"] = "g5.xlarge", ["instance_count"] = "2" }, tags: new() { ["team"] = "vision" }),
    ];

    /// <summary>i-ranker billed 8 USD an hour on 5 October, 00:00-12:00.</summary>
    private void ImportBilling()
    {
        var csv = new FocusCsv();
        for (var h = 0; h < 12; h++)
        {
            var start = new DateTime(2026, 10, 5, h, 0, 0, DateTimeKind.Utc);
            csv.Row(("ResourceId", "i-ranker"), ("ChargePeriodStart", Iso(start)), ("ChargePeriodEnd", Iso(start.AddHours(1))),
                ("BilledCost", "8"), ("EffectiveCost", "8"), ("ListCost", "8"), ("ContractedCost", "8"));
        }

        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [_app.Write(csv, "focus.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);
    }

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private Task<ImportMlflowResult> Import(string path) => _app.Get<ImportMlflowUseCase>().RunAsync(new ImportMlflowRequest { Path = path });

    [Fact]
    public async Task ImportMlflow_FromTheFileStoreSqliteAndRest_GivesTheSameRuns_AndTheSameRunsAgainIsANoOp()
    {
        var mlruns = WriteMlruns(_app.Temp.File("mlruns"), Runs());
        WriteSqlite(_app.Temp.File("mlflow.db"), Runs());
        var (experiments, pages) = RestPages(Runs(), 2);
        using var server = new RecordedMlflowServer(experiments, pages);

        var fromFiles = await Import("mlruns");
        var fromSqlite = await Import("mlflow.db");
        var fromRest = await _app.Get<ImportMlflowUseCase>().RunAsync(new ImportMlflowRequest { TrackingUri = server.Url });

        fromFiles.Outcome.ShouldBe(ImportOutcome.Imported);
        fromFiles.Format.ShouldBe("file");
        fromFiles.Runs.ShouldBe(5);
        fromFiles.Nested.ShouldBe(2);
        fromFiles.Experiments.ShouldBe(["detector: 1 run(s) 2026-10-06..2026-10-06", "ranker: 4 run(s) 2026-10-05..2026-10-05"]);
        (fromSqlite.Format, fromSqlite.Outcome, fromSqlite.Sha256).ShouldBe(("sqlite", ImportOutcome.AlreadyImported, fromFiles.Sha256));
        (fromRest.Format, fromRest.Outcome, fromRest.Sha256).ShouldBe(("rest", ImportOutcome.AlreadyImported, fromFiles.Sha256));
        mlruns.ShouldNotBeNull();
    }

    [Fact]
    public async Task ImportMlflow_ARunThatFinishedSinceTheLastImport_IsUpdatedInPlace()
    {
        var running = Runs();
        running[3] = running[3] with { Status = RunStatus.Running, End = null };
        WriteSqlite(_app.Temp.File("before.db"), running);
        WriteSqlite(_app.Temp.File("after.db"), Runs());
        ImportBilling();

        (await Import("before.db")).Updated.ShouldBe(0);
        var before = _app.Get<RunsUseCase>().Run(new RunsRequest()).Runs.Single(r => r.RunId == "t1");
        var after = await Import("after.db");
        var run = _app.Get<RunsUseCase>().Run(new RunsRequest()).Runs.Single(r => r.RunId == "t1");

        before.Open.ShouldBeTrue();
        before.End.ShouldBeNull();
        before.Cost.ShouldBe(5 * 8m, "costed to the billing data's end, 12:00: 07:00-12:00");
        after.Updated.ShouldBe(5);
        run.Status.ShouldBe("FINISHED");
        run.Open.ShouldBeFalse();
        run.Cost.ShouldBe(12m);
        _app.Get<RunsUseCase>().Run(new RunsRequest()).Runs.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Runs_CostBilledRunsFromTheBill_AndOthersFromTheCatalogue_RollingUpTreesOnce_WithWaste()
    {
        WriteMlruns(_app.Temp.File("mlruns"), Runs());
        await Import("mlruns");
        ImportBilling();

        var result = _app.Get<RunsUseCase>().Run(new RunsRequest { By = "experiment" });

        var runs = result.Runs.ToDictionary(r => r.RunId);
        (runs["p1"].Cost, runs["p1"].CostBasis).ShouldBe((32m, "billed"));
        (runs["c2"].Cost, runs["c2"].CostBasis).ShouldBe((20m, "billed"));
        runs["c2"].RootRunId.ShouldBe("p1");
        (runs["f1"].Cost, runs["f1"].CostBasis, runs["f1"].InstanceCount).ShouldBe((2 * 2 * 1.006m, "estimated", 2));
        runs["p1"].Estimator.ShouldBe("GridSearchCV");

        var ranker = result.Groups.Single(g => g.Group == "ranker");
        ranker.Runs.ShouldBe(4);
        ranker.RunTrees.ShouldBe(2);
        ranker.RunTimeSeconds.ShouldBe(5.5 * 3600, "02:00-06:00 and 07:00-08:30: the children add no time");
        ranker.Cost.ShouldBe(44m, "4 h + 1.5 h at 8 USD; never 32 + 16 + 20 + 12");
        ranker.CostBasis.ShouldBe("billed");
        (ranker.Killed, ranker.WasteRuns, ranker.WasteCost).ShouldBe((1, 1, 20m));
        var detector = result.Groups.Single(g => g.Group == "detector");
        (detector.Failed, detector.WasteCost, detector.WasteShare, detector.CostBasis).ShouldBe((1, 4.024m, 1m, "estimated"));
        result.Totals.Cost.ShouldBe(48.024m);
        result.Totals.RunTrees.ShouldBe(3);
    }

    [Fact]
    public async Task Runs_ByTag_ReadsTagsThroughThePolicy_AndChildrenTakeTheirParentsTag()
    {
        WriteMlruns(_app.Temp.File("mlruns"), Runs());
        await Import("mlruns");
        ImportBilling();

        var groups = _app.Get<RunsUseCase>().Run(new RunsRequest { By = "tag:team" }).Groups;

        groups.Select(g => (g.Group, g.Runs, g.Cost)).ShouldBe([("search", 4, (decimal?)44m), ("vision", 1, 4.024m)]);
    }

    [Fact]
    public async Task Runs_Metric_GivesCostPerPointGainedOverThePreviousBest()
    {
        WriteMlruns(_app.Temp.File("mlruns"), Runs());
        _app.WriteText("runs:\n  metrics:\n    ndcg: { direction: higher, point: 0.01 }\n", "modelmeter.yaml");
        await Import("mlruns");
        ImportBilling();

        var result = _app.Get<RunsUseCase>().Run(new RunsRequest { Metrics = ["ndcg"], Experiments = ["ranker"] });

        result.Metrics.ShouldBe([new MetricGoalDocument("ndcg", "higher", 0.01m, "config")]);
        var t1 = result.Runs.Single(r => r.RunId == "t1");
        t1.Metrics["ndcg"].ShouldBe(0.65m);
        var e = t1.Efficiency.ShouldHaveSingleItem();
        (e.PreviousBest, e.GainPoints, e.CostPerPoint).ShouldBe((0.61m, 4m, 3m));
    }

    [Fact]
    public async Task Runs_Reconcile_ComparesARecordedEstimateWithTheRunsTaggedWithItsId()
    {
        WriteMlruns(_app.Temp.File("mlruns"), Runs());
        await Import("mlruns");
        ImportBilling();
        _app.WriteText("kind: training\nname: ranker retrain\ninputs:\n  gpu_hours: 1\n  gpu: A10G\n  gpus: 1\n  price_per_gpu_hour: 8\n  checkpoints_kept: 0\n", "train.yaml");
        var estimate = _app.Get<EstimateUseCase>().Run(new EstimateRequest("train.yaml") { Record = true });
        estimate.EstimateId.ShouldStartWith("est-");
        estimate.RecordedIn.ShouldNotBeNull();

        // Tag the training run with the id the estimate printed.
        var runs = Runs();
        runs[3] = runs[3] with { Tags = new Dictionary<string, string>(runs[3].Tags) { [RunsUseCase.EstimateTag] = estimate.EstimateId! } };
        WriteSqlite(_app.Temp.File("tagged.db"), runs);
        await Import("tagged.db");

        var row = _app.Get<RunsUseCase>().Run(new RunsRequest { Reconcile = true }).Reconciliation.ShouldHaveSingleItem();

        row.EstimateId.ShouldBe(estimate.EstimateId);
        row.EstimatedCost.ShouldBe(estimate.Headline.Value);
        row.ActualCost.ShouldBe(12m);
        row.CostError.ShouldBe((12m - estimate.Headline.Value) / estimate.Headline.Value);
        row.EstimatedHours.ShouldBe(1m);
        row.ActualHours.ShouldBe(1.5m);
        row.TimeError.ShouldBe(0.5m);
    }

    [Fact]
    public async Task Runs_Chart_GivesRuntimeStripsStartsAndEstimators()
    {
        WriteMlruns(_app.Temp.File("mlruns"), Runs());
        await Import("mlruns");
        ImportBilling();

        var starts = _app.Get<RunsUseCase>().Run(new RunsRequest { Chart = "starts" }).Chart!;
        var runtime = _app.Get<RunsUseCase>().Run(new RunsRequest { Chart = "runtime" }).Chart!;
        var estimators = _app.Get<RunsUseCase>().Run(new RunsRequest { Chart = "estimators" }).Chart!;

        starts.Starts[0][2].ShouldBe(1, "the tuning tree started on Monday 02:00");
        starts.Starts[0][7].ShouldBe(1);
        starts.Starts[1][8].ShouldBe(1, "the detector run on Tuesday 08:00");
        starts.Starts.Sum(r => r.Sum()).ShouldBe(3, "one start per run tree");
        runtime.Runtime.Select(s => (s.Experiment, string.Join(",", s.Hours))).ShouldBe([("detector", "2"), ("ranker", "1.5,4")]);
        estimators.Estimators.Select(e => (e.Estimator, e.Runs)).ShouldContain(("GridSearchCV", 1));
        Should.Throw<UserInputException>(() => _app.Get<RunsUseCase>().Run(new RunsRequest { Chart = "pie" })).Message.ShouldContain("runtime, starts, estimators");
    }

    [Fact]
    public void Runs_OnAStoreWithoutRuns_SaysHowToImportThem()
    {
        Should.Throw<UserInputException>(() => _app.Get<RunsUseCase>().Run(new RunsRequest())).Message.ShouldContain("does not exist");
    }
}
