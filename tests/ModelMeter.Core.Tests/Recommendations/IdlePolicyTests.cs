using ModelMeter.Core.Recommendations;

namespace ModelMeter.Core.Tests.Recommendations;

/// <summary>The 30/60-day idle policy across runs on successive days (a fake calendar: each run passes its day).</summary>
public sealed class IdlePolicyTests
{
    private static readonly DateOnly Day0 = new(2026, 9, 1);
    private static readonly RecommendationSettings Settings = new();

    private static IdleState? Run(IdleState? previous, int day, bool idle = true, bool billed = true) =>
        IdlePolicy.Advance(previous, "nb-1", idle, billed, Day0, Day0.AddDays(day), Settings);

    [Fact]
    public void AResourceIdleEveryDay_IsWatchedUntilDay29_WarnedAt30_AnnouncedAt53_AndDueAt60()
    {
        var state = Run(null, 0);
        state!.Stage.ShouldBe(IdleStage.FirstSeen);
        state.StopDue.ShouldBe(Day0.AddDays(60));

        Run(state, 29)!.Stage.ShouldBe(IdleStage.FirstSeen);
        state = Run(Run(state, 29), 30)!;
        state.Stage.ShouldBe(IdleStage.Warned);
        state = Run(state, 52)!;
        state.Stage.ShouldBe(IdleStage.Warned);
        state = Run(state, 53)!;
        state.Stage.ShouldBe(IdleStage.StopAnnounced, "7 days before the stop at 60");
        state = Run(state, 60)!;
        state.Stage.ShouldBe(IdleStage.StopDue);
        state.FirstSeenIdle.ShouldBe(Day0, "the first idle day is kept across runs");

        Run(state, 61, idle: false, billed: false)!.Stage.ShouldBe(IdleStage.Stopped, "no longer billed after the stop was due");
    }

    [Fact]
    public void TheStateMovesOnlyForward_ARunOnAnEarlierDayChangesNothing()
    {
        var warned = Run(Run(null, 0), 30)!;

        Run(warned, 10).ShouldBe(warned, "the clock went back: the stored state stands");
        Run(warned, 31)!.Stage.ShouldBe(IdleStage.Warned);
    }

    [Fact]
    public void AResourceUsedAgain_LeavesThePolicy_AndStartsAgainAtDayZeroWhenIdleOnceMore()
    {
        var warned = Run(Run(null, 0), 35)!;

        Run(warned, 36, idle: false).ShouldBeNull("renewed use leaves the policy");
        var again = IdlePolicy.Advance(null, "nb-1", true, true, Day0.AddDays(40), Day0.AddDays(40), Settings)!;
        again.Stage.ShouldBe(IdleStage.FirstSeen);
        again.StopDue.ShouldBe(Day0.AddDays(100));
    }

    [Fact]
    public void TheDaysComeFromSettings()
    {
        var settings = new RecommendationSettings { IdleNotifyDays = 7, IdleStopDays = 14, StopNoticeDays = 2 };
        IdlePolicy.Advance(null, "x", true, true, Day0, Day0.AddDays(7), settings)!.Stage.ShouldBe(IdleStage.Warned);
        IdlePolicy.Advance(null, "x", true, true, Day0, Day0.AddDays(12), settings)!.Stage.ShouldBe(IdleStage.StopAnnounced);
        IdlePolicy.Advance(null, "x", true, true, Day0, Day0.AddDays(14), settings)!.Stage.ShouldBe(IdleStage.StopDue);
    }
}
