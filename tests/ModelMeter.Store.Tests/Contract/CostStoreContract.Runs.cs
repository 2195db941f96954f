using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>MLflow runs: import, update in place, reading back with params, tags and metrics; resource charges for run costing.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    private static DateTime At(string instant) => LineItem.Utc(instant);

    private static TrackedRun Run(
        string id, string experiment = "bikes", RunStatus status = RunStatus.Finished, string start = "2026-10-01T10:00:00Z", string? end = "2026-10-01T12:00:00Z",
        IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyList<RunMetric>? metrics = null) =>
        new(id, "mlruns", "1", experiment, id + "-name", status, At(start), end is null ? null : At(end), "ana", "active",
            parameters ?? new Dictionary<string, string>(), tags ?? new Dictionary<string, string>(), metrics ?? []);

    [Fact]
    public void ImportRuns_StoresEachRunWithParamsTagsAndLatestMetrics_AsImported()
    {
        var record = Store.ImportRuns(
        [
            Run("r1", parameters: new Dictionary<string, string> { ["estimator"] = "xgboost", ["instance_type"] = "g5.xlarge" },
                tags: new Dictionary<string, string> { ["team"] = "search", ["resource_id"] = "i-001" },
                metrics: [new RunMetric("rmse", 0.25, 1_790_000_000_000, 10), new RunMetric("loss", double.NaN, 1_790_000_000_001, 3)]),
            Run("r2", status: RunStatus.Running, start: "2026-10-02T08:00:00Z", end: null,
                tags: new Dictionary<string, string> { [TrackedRun.ParentRunTag] = "r1" },
                metrics: [new RunMetric("score", -1.7976931348623157e308, 5, 0)]),
        ], File("mlruns", 2));

        record.Kind.ShouldBe(ImportKind.Mlflow);
        record.Rows.ShouldBe(2);
        record.ReplacedRows.ShouldBe(0);
        record.BillingPeriods.ShouldBe(["bikes: 2 run(s) 2026-10-01..2026-10-02"]);
        Store.ListImports().ShouldHaveSingleItem().Kind.ShouldBe(ImportKind.Mlflow);

        var runs = Store.QueryRuns(new RunQuery());
        runs.Select(r => r.Run.RunId).ShouldBe(["r1", "r2"]);
        runs.ShouldAllBe(r => r.ImportedAt == Now);
        var r1 = runs[0].Run;
        r1.Status.ShouldBe(RunStatus.Finished);
        r1.Start.ShouldBe(At("2026-10-01T10:00:00Z"));
        r1.Start!.Value.Kind.ShouldBe(DateTimeKind.Utc);
        r1.End.ShouldBe(At("2026-10-01T12:00:00Z"));
        r1.ExperimentName.ShouldBe("bikes");
        r1.RunName.ShouldBe("r1-name");
        r1.UserId.ShouldBe("ana");
        r1.Params.ShouldBe(new Dictionary<string, string> { ["estimator"] = "xgboost", ["instance_type"] = "g5.xlarge" }, ignoreOrder: true);
        r1.Tags["resource_id"].ShouldBe("i-001");
        r1.Metric("rmse").ShouldBe(new RunMetric("rmse", 0.25, 1_790_000_000_000, 10));
        double.IsNaN(r1.Metric("loss")!.Value).ShouldBeTrue("a NaN is kept as logged; figures judge it");

        var r2 = runs[1].Run;
        r2.Status.ShouldBe(RunStatus.Running);
        r2.End.ShouldBeNull();
        r2.ParentRunId.ShouldBe("r1");
        r2.Metric("score")!.Value.ShouldBe(-1.7976931348623157e308);
    }

    [Fact]
    public void ImportRuns_ARunImportedAgain_IsUpdatedInPlace_AndTheEmptiedImportIsSuperseded()
    {
        var first = Store.ImportRuns(
            [Run("r1", status: RunStatus.Running, end: null, parameters: new Dictionary<string, string> { ["lr"] = "0.1" }, metrics: [new RunMetric("acc", 0.5, 1, 1)])],
            File("poll-1", 1));

        var second = Store.ImportRuns(
            [Run("r1", status: RunStatus.Finished, end: "2026-10-01T13:00:00Z", metrics: [new RunMetric("acc", 0.9, 2, 5)]), Run("r3")],
            File("poll-2", 2));

        second.ReplacedRows.ShouldBe(1);
        var run = Store.QueryRuns(new RunQuery()).Single(r => r.Run.RunId == "r1").Run;
        run.Status.ShouldBe(RunStatus.Finished);
        run.End.ShouldBe(At("2026-10-01T13:00:00Z"));
        run.Params.ShouldBeEmpty("the new reading is the whole run: a param it no longer has is gone");
        run.Metrics.ShouldBe([new RunMetric("acc", 0.9, 2, 5)]);
        Store.QueryRuns(new RunQuery()).Count.ShouldBe(2);
        Store.ListImports().Single(i => i.ImportId == first.ImportId).SupersededBy.ShouldBe(second.ImportId);
    }

    [Fact]
    public void QueryRuns_SelectsByExperimentAndWindow_AndARunningRunMeetsEveryLaterInstant()
    {
        Store.ImportRuns(
        [
            Run("a", experiment: "bikes", start: "2026-10-01T10:00:00Z", end: "2026-10-01T11:00:00Z"),
            Run("b", experiment: "bikes", start: "2026-10-05T10:00:00Z", end: "2026-10-05T11:00:00Z"),
            Run("c", experiment: "ranker", start: "2026-10-02T00:00:00Z", end: null, status: RunStatus.Running),
        ], File("runs", 3));

        Store.QueryRuns(new RunQuery { Experiments = ["bikes"] }).Select(r => r.Run.RunId).ShouldBe(["a", "b"]);
        Store.QueryRuns(new RunQuery { From = At("2026-10-01T11:00:00Z"), To = At("2026-10-06T00:00:00Z") }).Select(r => r.Run.RunId)
            .ShouldBe(["c", "b"], "a ended when the window starts; c still runs");
        Store.QueryRuns(new RunQuery { From = At("2026-11-01T00:00:00Z") }).Select(r => r.Run.RunId).ShouldBe(["c"]);
        Store.QueryRuns(new RunQuery { To = At("2026-10-01T10:00:00Z") }).ShouldBeEmpty();
    }

    [Fact]
    public void QueryResourceCharges_SumsEachResourcesChargePeriodsThatMeetTheWindow()
    {
        Import(
            Item(2m).Text("ResourceId", "i-001").Charge("2026-10-01T09:00:00Z"),
            Item(3m).Text("ResourceId", "i-001").Charge("2026-10-01T10:00:00Z"),
            Item(0.5m).Text("ResourceId", "i-001").Charge("2026-10-01T10:00:00Z"),
            Item(7m).Text("ResourceId", "i-001").Charge("2026-10-01T12:00:00Z"),
            Item(4m).Text("ResourceId", "i-002").Charge("2026-10-01T10:00:00Z"),
            Item(9m).Text("ResourceId", "i-003").Charge("2026-10-01T10:00:00Z"));

        var charges = Store.QueryResourceCharges(["i-001", "i-002"], At("2026-10-01T09:30:00Z"), At("2026-10-01T12:00:00Z"), CostMetric.Effective);

        charges.Select(c => $"{c.ResourceId} {c.Start:HH:mm}-{c.End:HH:mm} {c.Currency} {Plain(c.Cost)}").ShouldBe(
        [
            "i-001 09:00-10:00 USD 2",
            "i-001 10:00-11:00 USD 3.5",
            "i-002 10:00-11:00 USD 4",
        ]);
        charges[0].Start.Kind.ShouldBe(DateTimeKind.Utc);
        Store.QueryResourceCharges([], At("2026-10-01T00:00:00Z"), At("2026-10-02T00:00:00Z"), CostMetric.Effective).ShouldBeEmpty();
    }
}
