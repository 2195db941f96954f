using ModelMeter.Core.Recommendations;

namespace ModelMeter.Core.Tests.Recommendations;

/// <summary>The action plan, the findings' history and the realised saving, worked by hand.</summary>
public sealed class ActionPlanTests
{
    private static readonly DateOnly Today = new(2026, 11, 3);

    private static Finding Finding(string rule, decimal saving, DateOnly? due = null) =>
        new(global::ModelMeter.Core.Recommendations.Finding.StableId(rule, "r-" + rule), rule, ["r-" + rule], "j.doe", "vision", [], saving, saving * 2m, "USD", "how", "low", "low", "stop r-" + rule, DueDate: due);

    [Fact]
    public void ThePlan_HasOneActionPerFinding_DueOnTheIdleStopDate_OrAfterTheNoticeDays()
    {
        var actions = ActionPlan.From([Finding("idle", 2792.25m, new DateOnly(2026, 12, 1)), Finding("off-hours", 812.5m)], Today, new RecommendationSettings { StopNoticeDays = 5 });

        actions.Select(a => $"{a.Rule} {a.Resource} {a.DueDate:yyyy-MM-dd} {a.Owner} {a.Team} {a.MonthlySaving} {a.Currency} {a.Action}").ShouldBe(
        [
            "idle r-idle 2026-12-01 j.doe vision 2792.25 USD stop r-idle",
            "off-hours r-off-hours 2026-11-08 j.doe vision 812.5 USD stop r-off-hours",
        ]);
    }

    [Fact]
    public void ARecordedFinding_KeepsItsFirstEstimateAndBaseline_AndItsActionMovesOnlyForward()
    {
        var found = new FindingRecord("idle-1", "idle", "nb-1", "USD", 2792.25m, 2792.25m, new DateOnly(2026, 10, 31), FindingActionKind.Found, new DateOnly(2026, 11, 1));
        var again = found with { EstimatedMonthlySaving = 1m, BaselineMonthlyCost = 1m, RecordedOn = new DateOnly(2026, 11, 30), ActionOn = new DateOnly(2026, 12, 1) };
        var planned = again with { Kind = FindingActionKind.Planned, ActionOn = new DateOnly(2026, 12, 7) };
        var executed = again with { Kind = FindingActionKind.Executed, ActionOn = new DateOnly(2026, 12, 3) };

        FindingRecord.Merge(null, found).ShouldBe(found);
        FindingRecord.Merge(found, again).ShouldBe(found, "found again: the first baseline (the cost before any change) stays");
        var afterPlan = FindingRecord.Merge(found, planned);
        afterPlan.ShouldBe(found with { Kind = FindingActionKind.Planned, ActionOn = new DateOnly(2026, 12, 7) });
        var afterExec = FindingRecord.Merge(afterPlan, executed);
        afterExec.ShouldBe(found with { Kind = FindingActionKind.Executed, ActionOn = new DateOnly(2026, 12, 3) });
        FindingRecord.Merge(afterExec, planned).ShouldBe(afterExec, "a plan after the action ran does not move it back");
    }

    [Fact]
    public void TheRealisedSaving_IsTheBaselineLessTheMonthlyCostTheBillShowsAfterTheActionDate()
    {
        // Baseline: an instance at 1.40 USD an hour, always on: 1.40 × 730 = 1,022.00 USD a month.
        // After the action on 2026-11-01 the bill charges it 4 more days (24 h × 1.40 = 33.60 a day), then nothing
        // until 2026-11-10: 4 × 33.60 = 134.40 USD over 10 days = 240 h → 134.40 ÷ 240 × 730 = 408.80 USD a month.
        // Realised: 1,022.00 − 408.80 = 613.20 USD a month.
        var days = Enumerable.Range(0, 4).Select(d => new PoolDay(new DateOnly(2026, 11, 1).AddDays(d), 24m, 1m, 1m, 24, 33.60m))
            .Prepend(new PoolDay(new DateOnly(2026, 10, 31), 24m, 1m, 1m, 24, 33.60m))
            .ToList();

        var observed = RealisedSaving.ObservedMonthlyCost(days, "Hours", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 10), 730m);

        observed.ShouldBe(408.80m, "the day before the action is not counted; days without a charge count as 0");
        (1022.00m - observed).ShouldBe(613.20m);
    }

    [Fact]
    public void StorageObserved_IsWhatIsStoredOnTheLastDayAtItsPrice_AndADeletedVolumeCostsNothing()
    {
        // 2,000 GB billed daily as 2,000 ÷ 30 GB-months at 0.08 USD: 2,000 ÷ 30 × 30 days × 0.08 = 160.00 USD a month.
        var gbMonths = 2_000m / 30m;
        var days = Enumerable.Range(0, 30).Select(d => new PoolDay(new DateOnly(2026, 11, 1).AddDays(d), gbMonths, gbMonths, gbMonths, 1, gbMonths * 0.08m)).ToList();

        Math.Round(RealisedSaving.ObservedMonthlyCost(days, "GB-Mo", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), 730m), 6).ShouldBe(160m);
        RealisedSaving.ObservedMonthlyCost(days.Take(10).ToList(), "GB-Mo", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), 730m).ShouldBe(0m, "no longer billed on the last day: deleted");
    }
}
