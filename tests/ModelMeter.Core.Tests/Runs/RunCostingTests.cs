using System.Globalization;
using ModelMeter.Core.Runs;

namespace ModelMeter.Core.Tests.Runs;

public sealed class RunCostingTests
{
    private static DateTime T(string hhmm, int day = 5) =>
        DateTime.SpecifyKind(DateTime.ParseExact($"2026-10-{day:00} {hhmm}", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static TrackedRun Run(string id, string start, string? end, RunStatus status = RunStatus.Finished, string? parent = null,
        string? resource = null, string? instanceType = null, string? count = null, string experiment = "exp", List<RunMetric>? metrics = null)
    {
        var tags = new Dictionary<string, string>();
        var parameters = new Dictionary<string, string>();
        if (parent is not null)
        {
            tags[TrackedRun.ParentRunTag] = parent;
        }

        if (resource is not null)
        {
            tags["resource_id"] = resource;
        }

        if (instanceType is not null)
        {
            parameters["instance_type"] = instanceType;
        }

        if (count is not null)
        {
            parameters["instance_count"] = count;
        }

        return new TrackedRun(id, "test", "1", experiment, id, status, T(start), end is null ? null : T(end), null, "active", parameters, tags, metrics ?? []);
    }

    /// <summary>Hourly charges of 6 USD for i-1 from 08:00 to 16:00 on day 5.</summary>
    private static CostingInputs Inputs(DateTime? dataEnd = null, decimal perHour = 6m, string resource = "i-1", int hours = 8) => new(
        new Dictionary<string, IReadOnlyList<HourlyCharge>>
        {
            [resource] = Enumerable.Range(8, hours).Select(h => new HourlyCharge(T("00:00").AddHours(h), T("00:00").AddHours(h + 1), "USD", perHour)).ToList(),
            ["i-daily"] = [new HourlyCharge(T("00:00"), T("00:00", 6), "USD", 240m)],
        },
        new Dictionary<string, HourlyRate>(StringComparer.OrdinalIgnoreCase) { ["g5.xlarge"] = new("g5.xlarge", 1.006m, "USD", "AWS list price") },
        dataEnd ?? T("16:00"));

    [Fact]
    public void BilledRun_IsProRatedByItsOverlapWithEachHourlyCharge()
    {
        // 10:20-12:30: 40 minutes of the 10:00 hour, all of 11:00, 30 minutes of 12:00 at 6 USD an hour.
        var costed = RunCosting.Cost([Run("a", "10:20", "12:30", resource: "i-1")], new RunKeys(), Inputs()).Single();

        costed.Basis.ShouldBe(CostBasis.Billed);
        costed.Cost.ShouldBe(4m + 6m + 3m);
        costed.Currency.ShouldBe("USD");
        costed.DurationSeconds!.Value.ShouldBe(130 * 60, 0.001);
    }

    [Fact]
    public void RunWithoutBilling_IsDurationTimesCatalogueRateTimesCount_MarkedEstimated()
    {
        var costed = RunCosting.Cost([Run("a", "10:00", "13:00", instanceType: "G5.XLARGE", count: "4")], new RunKeys(), Inputs()).Single();

        costed.Basis.ShouldBe(CostBasis.Estimated);
        costed.Cost.ShouldBe(3m * 1.006m * 4);
        costed.Count.ShouldBe(4);
    }

    [Fact]
    public void ResourceBilledCoarserThanHourly_FallsBackToTheEstimate_AndSaysWhy()
    {
        var costed = RunCosting.Cost([Run("a", "10:00", "11:00", resource: "i-daily", instanceType: "g5.xlarge")], new RunKeys(), Inputs()).Single();

        costed.Basis.ShouldBe(CostBasis.Estimated);
        costed.Cost.ShouldBe(1.006m);
        costed.Notes.ShouldContain(n => n.Contains("coarser than hourly", StringComparison.Ordinal));
    }

    [Fact]
    public void RunWithNeitherBillNorCatalogue_HasAnUnknownCost_NeverZero()
    {
        var costed = RunCosting.Cost([Run("a", "10:00", "11:00", instanceType: "x9.mega")], new RunKeys(), Inputs()).Single();

        costed.Basis.ShouldBe(CostBasis.Unknown);
        costed.Cost.ShouldBeNull();
        costed.Notes.ShouldContain("instance type 'x9.mega' is not in the price catalogue: cost unknown");
    }

    [Fact]
    public void RunningRun_IsCostedUpToTheDataEnd_AndMarkedOpen()
    {
        var costed = RunCosting.Cost([Run("a", "14:00", null, RunStatus.Running, resource: "i-1")], new RunKeys(), Inputs(dataEnd: T("15:30"))).Single();

        costed.Open.ShouldBeTrue();
        costed.Window!.Value.End.ShouldBe(T("15:30"));
        costed.Cost.ShouldBe(9m);
        costed.Notes.ShouldContain(n => n.StartsWith("still RUNNING: costed up to the data's end", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedRuns_OfOneTree_AreCountedOnce_InTimeAndInCost()
    {
        // A tuning parent 10:00-12:00 with two children inside it, overlapping each other, all on i-1.
        var runs = RunCosting.Cost(
        [
            Run("p", "10:00", "12:00", resource: "i-1"),
            Run("c1", "10:00", "11:00", parent: "p", resource: "i-1"),
            Run("c2", "10:30", "11:45", parent: "p", resource: "i-1"),
        ], new RunKeys(), Inputs());

        runs.Select(r => r.RootRunId).ShouldAllBe(id => id == "p");
        runs.Sum(r => r.Cost!.Value).ShouldBe(12m + 6m + 7.5m, "each run alone pays its own window");
        RunCosting.GroupTime(runs).ShouldBe(TimeSpan.FromHours(2));
        RunCosting.GroupCost(runs, Inputs()).ShouldBe(new Dictionary<string, decimal> { ["USD"] = 12m });
    }

    [Fact]
    public void ConcurrentTrees_OnDifferentMachines_AddUp_ButTheirTimeIsTheUnion()
    {
        var inputs = Inputs() with
        {
            Charges = new Dictionary<string, IReadOnlyList<HourlyCharge>>(Inputs().Charges)
            {
                ["i-2"] = Enumerable.Range(8, 8).Select(h => new HourlyCharge(T("00:00").AddHours(h), T("00:00").AddHours(h + 1), "USD", 2m)).ToList(),
            },
        };
        var runs = RunCosting.Cost(
        [
            Run("a", "10:00", "12:00", resource: "i-1"),
            Run("b", "11:00", "13:00", resource: "i-2"),
            Run("e1", "10:00", "11:00", instanceType: "g5.xlarge"),
            Run("e2", "10:00", "11:00", instanceType: "g5.xlarge"),
        ], new RunKeys(), inputs);

        RunCosting.GroupTime(runs).ShouldBe(TimeSpan.FromHours(3));
        RunCosting.GroupCost(runs, inputs)["USD"].ShouldBe(12m + 4m + 1.006m + 1.006m, "two estimated trees are two machines");
    }

    [Fact]
    public void ARunThatEndsBeforeItStarts_CountsAsNoTime_AndSaysSo()
    {
        var costed = RunCosting.Cost([Run("a", "12:00", "11:00", resource: "i-1")], new RunKeys(), Inputs()).Single();

        costed.DurationSeconds.ShouldBe(0);
        costed.Cost.ShouldBe(0m);
        costed.Notes.ShouldContain(n => n.Contains("before it starts", StringComparison.Ordinal));
    }

    [Fact]
    public void ExperimentMapping_GivesTheResource_WhenTheRunNamesNone()
    {
        var keys = new RunKeys { ExperimentResources = new Dictionary<string, string> { ["exp"] = "i-1" } };

        RunCosting.Cost([Run("a", "09:00", "10:00")], keys, Inputs()).Single().Cost.ShouldBe(6m);
    }

    [Theory]
    [InlineData("GridSearchCV(estimator=XGBRegressor())", "GridSearchCV")]
    [InlineData("KIND='BaselineSklearnModel' max_depth=20", "BaselineSklearnModel")]
    [InlineData("bikes.core.models.BaselineSklearnModel", "BaselineSklearnModel")]
    [InlineData("xgboost", "xgboost")]
    public void EstimatorName_IsTheClassNameOfWhatAutologgingRecorded(string logged, string name) =>
        RunCosting.EstimatorName(logged).ShouldBe(name);

    [Fact]
    public void Intervals_Union_MergesOverlapsAndTouchingIntervals()
    {
        Intervals.Union([new(T("10:00"), T("11:00")), new(T("10:30"), T("12:00")), new(T("12:00"), T("12:30")), new(T("14:00"), T("15:00")), new(T("16:00"), T("16:00"))])
            .ShouldBe([new Interval(T("10:00"), T("12:30")), new Interval(T("14:00"), T("15:00"))]);
    }

    [Fact]
    public void Efficiency_IsCostPerPointGainedOverThePreviousBest_AndGarbageNeverBlowsUp()
    {
        List<RunMetric> Acc(double v) => [new RunMetric("accuracy", v, 0, 0)];
        var runs = RunCosting.Cost(
        [
            Run("r1", "08:00", "09:00", resource: "i-1", metrics: Acc(0.80)),
            Run("r2", "09:00", "10:00", resource: "i-1", metrics: Acc(0.84)),
            Run("r3", "10:00", "11:00", resource: "i-1", metrics: Acc(double.NaN)),
            Run("r4", "11:00", "12:00", resource: "i-1", metrics: Acc(1.7976931348623157e308)),
            Run("r5", "12:00", "13:00", resource: "i-1", metrics: Acc(0.83)),
            Run("r6", "13:00", "14:00", resource: "i-1", status: RunStatus.Failed, metrics: Acc(0.99)),
            Run("r7", "14:00", "15:00", resource: "i-1", metrics: Acc(0.87)),
        ], new RunKeys(), Inputs());

        var results = RunEfficiency.Evaluate(runs, new MetricGoal("accuracy", MetricDirection.Higher, 0.01m, "config"));

        results.Select(r => (r.RunId, r.Gain, r.CostPerPoint)).ShouldBe(
        [
            ("r1", (decimal?)null, (decimal?)null),
            ("r2", 4m, 1.5m),
            ("r3", null, null),
            ("r4", null, null),
            ("r5", -1m, null),
            ("r6", 15m, 0.4m),
            ("r7", 3m, 2m),
        ]);
        results[2].Invalid.ShouldBe(double.NaN);
        results[3].Invalid.ShouldBe(1.7976931348623157e308);
        results[6].PreviousBest.ShouldBe(0.84m, "a failed run's value is never the best to beat");
    }

    [Fact]
    public void Efficiency_SignFlippedScorer_IsJudgedByDifference_HigherBeingBetter()
    {
        List<RunMetric> Score(double v) => [new RunMetric("neg_mean_squared_error", v, 0, 0)];
        var runs = RunCosting.Cost(
            [Run("a", "08:00", "09:00", resource: "i-1", metrics: Score(-2845.0)), Run("b", "09:00", "10:00", resource: "i-1", metrics: Score(-711.8))],
            new RunKeys(), Inputs());
        var goal = new MetricGoal("neg_mean_squared_error", MetricGoal.InferDirection("neg_mean_squared_error"), 1m, "inferred");

        goal.Direction.ShouldBe(MetricDirection.Higher);
        RunEfficiency.Evaluate(runs, goal)[1].Gain.ShouldBe(2133.2m);
        MetricGoal.InferDirection("val_loss").ShouldBe(MetricDirection.Lower);
        MetricGoal.InferDirection("rmse").ShouldBe(MetricDirection.Lower);
        MetricGoal.InferDirection("mean_test_score").ShouldBe(MetricDirection.Higher);
    }
}
