using ModelMeter.Application.Access;
using ModelMeter.Application.Runs;
using ModelMeter.Application.WhatIf;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;
using static ModelMeter.Tests.Support.MlflowStores;

namespace ModelMeter.Application.Tests.WhatIf;

/// <summary>
/// <c>what-if frequency</c>: an experiment's October run cost (no bill: estimated from the catalogue's on-demand prices,
/// g5.xlarge 1.006 and g5.12xlarge 5.672 USD an hour) scaled by a retraining frequency, worked by hand.
/// </summary>
public sealed class WhatIfFrequencyUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public WhatIfFrequencyUseCaseTests()
    {
        var search = new Dictionary<string, string> { ["team"] = "search" };
        var root = WriteMlruns(_app.Temp.File("mlruns"), [
            // ranker: a tuning tree (parent 4 h, children inside it) and a 1 h training run: 2 retrainings, 5 h of one g5.xlarge.
            Run("p1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T06:00:00Z", parameters: new() { ["instance_type"] = "g5.xlarge" }, tags: search),
            Run("c1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T04:00:00Z", parameters: new() { ["instance_type"] = "g5.xlarge" },
                tags: new() { [TrackedRun.ParentRunTag] = "p1" }),
            Run("c2", "7", "ranker", RunStatus.Killed, "2026-10-05T03:00:00Z", "2026-10-05T05:00:00Z", parameters: new() { ["instance_type"] = "g5.xlarge" },
                tags: new() { [TrackedRun.ParentRunTag] = "p1" }),
            Run("t1", "7", "ranker", RunStatus.Finished, "2026-10-19T07:00:00Z", "2026-10-19T08:00:00Z", parameters: new() { ["instance_type"] = "g5.xlarge" }, tags: search),
            // detector: 3 h and a failed 0.5 h on a g5.12xlarge, team vision.
            Run("d1", "9", "detector", RunStatus.Finished, "2026-10-06T22:00:00Z", "2026-10-07T01:00:00Z", parameters: new() { ["instance_type"] = "g5.12xlarge" },
                tags: new() { ["team"] = "vision" }),
            Run("d2", "9", "detector", RunStatus.Failed, "2026-10-07T09:00:00Z", "2026-10-07T09:30:00Z", parameters: new() { ["instance_type"] = "g5.12xlarge" },
                tags: new() { ["team"] = "vision" }),
        ]);
        _app.Get<ImportMlflowUseCase>().RunAsync(new ImportMlflowRequest { Path = root }).GetAwaiter().GetResult();
    }

    public void Dispose() => _app.Dispose();

    private WhatIfFrequencyReport Scale(string experiment, string x, AccessScope? access = null, string? month = "2026-10", string? from = null, string? to = null) =>
        _app.Get<WhatIfFrequencyUseCase>().Run(new WhatIfFrequencyRequest { Experiment = experiment, X = x, Month = month, From = from, To = to, Access = access ?? AccessScope.Everything });

    [Fact]
    public void TwiceAsOften_DoublesTheObservedRunCost()
    {
        var report = Scale("ranker", "2");

        // 5 h × 1.006 = 5.03 over 2 run trees (2.515 a retraining); × 2 = 10.06, 5.03 more, a calendar month.
        (report.Runs, report.RunTrees, report.RunTimeHours, report.CostBasis).ShouldBe((4, 2, 5m, "estimated"));
        (report.Actual, report.PerRetraining, report.WhatIf, report.Difference, report.MonthlyDifference).ShouldBe((5.03m, 2.515m, 10.06m, 5.03m, 5.03m));
        report.Working.ShouldContain(w => w.Contains("2 → 4 retrainings", StringComparison.Ordinal));
        report.Warnings.ShouldContain(w => w.Contains("1 of the 4 runs failed or were killed", StringComparison.Ordinal));
    }

    [Fact]
    public void HalfAsOften_Saves_AndAShorterPeriodIsScaledToAMonth()
    {
        // detector: (3 h + 0.5 h) × 5.672 = 19.852; × 0.5 = 9.926, 9.926 saved.
        var half = Scale("detector", "0.5");
        (half.Actual, half.WhatIf, half.Difference).ShouldBe((19.852m, 9.926m, -9.926m));

        // ranker from 1 to 11 October: the tuning tree only, 4 h × 1.006 = 4.024; × 2 → +4.024 over 10 days = 12.247850 a month (× 30.4375 ÷ 10).
        var tenDays = Scale("ranker", "2", month: null, from: "2026-10-01", to: "2026-10-11");
        (tenDays.RunTrees, tenDays.Difference, tenDays.MonthlyDifference).ShouldBe((1, 4.024m, 12.24805m));
    }

    [Fact]
    public void ATeamKeySeesItsExperimentsOnly_AndBadInputIsRefused()
    {
        Scale("ranker", "2", AccessScope.ForTeam("search")).Actual.ShouldBe(5.03m);
        Should.Throw<UserInputException>(() => Scale("detector", "2", AccessScope.ForTeam("search"))).Message.ShouldContain("experiments with runs then: ranker");
        Should.Throw<UserInputException>(() => Scale("nope", "2")).Message.ShouldContain("experiments with runs then: detector, ranker");
        Should.Throw<UserInputException>(() => Scale("ranker", "-1")).Message.ShouldContain("--x '-1' is not a frequency factor");
        Should.Throw<UserInputException>(() => Scale("ranker", "twice")).Message.ShouldContain("positive number");
    }
}
