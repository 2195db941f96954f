using ModelMeter.Core.Recommendations;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>The per-resource daily aggregates the recommendation rules read.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    [Fact]
    public void QueryResourceDays_SumsEachResourcesUsageChargesPerDay_WithItsLargestAndSmallestLineAndHoursBilled()
    {
        static LineItem Hour(string resource, string start, decimal instances, decimal cost) =>
            Item(cost).Text("ResourceId", resource).Text("ResourceType", "Endpoint").Text("SkuId", "USE1-Host:ml.g5.xlarge").Text("PricingUnit", "Hours")
                .Text("AvailabilityZone", "us-east-1b").Text("PricingCategory", "Standard").Quantity(instances).Charge(start);

        Import(
            Hour("ep-1", "2026-10-01T09:00:00Z", 2m, 3m),
            Hour("ep-1", "2026-10-01T10:00:00Z", 6m, 9m),
            Hour("ep-1", "2026-10-02T10:00:00Z", 6m, 9m),
            Hour("ep-2", "2026-10-01T10:00:00Z", 1m, 1.5m),
            Hour("ep-2", "2026-09-30T23:00:00Z", 1m, 1.5m),
            Item(-5m).Text("ResourceId", "ep-1").Text("ChargeCategory", "Credit").Charge("2026-10-01T09:00:00Z"),
            Item(4m).Text("ResourceId", "").Charge("2026-10-01T09:00:00Z"));

        var days = Store.QueryResourceDays(LineItem.Utc("2026-10-01T00:00:00Z"), LineItem.Utc("2026-11-01T00:00:00Z"));

        days.Select(d => $"{d.Day:MM-dd} {d.ResourceId} {d.Currency} {d.ResourceType} {d.SkuId} {d.AvailabilityZone} {d.PricingUnit} q={Plain(d.Quantity)} min={Plain(d.MinQuantity)} max={Plain(d.MaxQuantity)} h={d.ChargePeriods} {Plain(d.EffectiveCost)} {Plain(d.ListCost)}")
            .ShouldBe(
            [
                "10-01 ep-1 USD Endpoint USE1-Host:ml.g5.xlarge us-east-1b Hours q=8 min=2 max=6 h=2 12 12",
                "10-02 ep-1 USD Endpoint USE1-Host:ml.g5.xlarge us-east-1b Hours q=6 min=6 max=6 h=1 9 9",
                "10-01 ep-2 USD Endpoint USE1-Host:ml.g5.xlarge us-east-1b Hours q=1 min=1 max=1 h=1 1.5 1.5",
            ], "credits and charges without a resource are not usage of a resource; the window is on ChargePeriodStart");
        days[0].ProviderName.ShouldBe("AWS");
        days[0].SubAccountId.ShouldBe("111");
    }

    [Fact]
    public void IdleStates_AreKeptBetweenRuns_MoveOnlyForward_AndAResourceUsedAgainLeaves()
    {
        var day = new DateOnly(2026, 10, 1);
        Store.IdleStates().ShouldBeEmpty();

        Store.SaveIdleStates([new IdleState("nb-1", day, IdleStage.FirstSeen, day.AddDays(60), day), new IdleState("nb-2", day, IdleStage.FirstSeen, day.AddDays(60), day)], []);
        Store.SaveIdleStates([new IdleState("nb-1", day, IdleStage.Warned, day.AddDays(60), day.AddDays(30))], []);
        Store.SaveIdleStates([new IdleState("nb-1", day.AddDays(5), IdleStage.FirstSeen, day.AddDays(65), day.AddDays(10))], ["nb-2"]);

        Store.IdleStates().ShouldBe([new IdleState("nb-1", day, IdleStage.Warned, day.AddDays(60), day.AddDays(30))],
            "the run of day 10 came after the run of day 30 was kept: it changes nothing; nb-2 was used again");
    }
}

/// <summary>The recommendations' history and the action runs of <c>recommend --exec</c>.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    [Fact]
    public void FindingRecords_AreKeptByFindingId_AndASaveReplacesTheStoredRecord()
    {
        var day = new DateOnly(2026, 10, 31);
        Store.FindingRecords().ShouldBeEmpty();
        var found = new FindingRecord("idle-1234abcd", "idle", "nb-1", "USD", 2792.25m, 2792.250000000001m, day, FindingActionKind.Found, day.AddDays(1));
        var other = new FindingRecord("untagged-0000abcd", "untagged", "vol-1", "EUR", 0m, 160m, day, FindingActionKind.Found, day.AddDays(1));

        Store.SaveFindingRecords([found, other]);
        Store.SaveFindingRecords([found with { Kind = FindingActionKind.Executed, ActionOn = day.AddDays(3) }]);

        Store.FindingRecords().ShouldBe([found with { Kind = FindingActionKind.Executed, ActionOn = day.AddDays(3) }, other], "ordered by finding id, decimals exact");
    }

    [Fact]
    public void ActionRuns_AreAppendedInTheOrderTheyStarted_WithTheirExitCodeOrTimeout()
    {
        var at = new DateTime(2026, 11, 15, 12, 0, 0, DateTimeKind.Utc);
        Store.ActionRuns().ShouldBeEmpty();
        var late = new ActionRun("idle-1", "nb-1", "stop nb-1", "./apply.sh", at.AddMinutes(5), at.AddMinutes(6), 0, false);
        var first = new ActionRun("idle-2", "nb-2", "stop nb-2", "./apply.sh", at, at.AddSeconds(30), null, true);
        var same = new ActionRun("idle-3", "nb-3", "stop nb-3", "./apply.sh", at, at, 3, false);

        Store.RecordActionRun(late);
        Store.RecordActionRun(first);
        Store.RecordActionRun(same);
        Store.RecordActionRun(same);

        Store.ActionRuns().ShouldBe([first, same, same, late], "by start; runs of the same instant in the order recorded; a rerun is another run");
        Store.ActionRuns()[0].StartedAt.Kind.ShouldBe(DateTimeKind.Utc);
    }
}
