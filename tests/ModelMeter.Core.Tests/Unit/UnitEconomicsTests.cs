using ModelMeter.Core.Unit;

namespace ModelMeter.Core.Tests.Unit;

public sealed class UnitEconomicsTests
{
    private static readonly DateOnly Oct = new(2026, 10, 1);
    private static readonly DateOnly Nov = new(2026, 11, 1);
    private static readonly DateOnly Dec = new(2026, 12, 1);
    private static readonly (DateOnly, DateOnly)[] TwoMonths = [(Oct, Nov), (Nov, Dec)];

    [Fact]
    public void Compute_DividesCostByEachUnit_AndGivesTheTrendAgainstThePreviousPeriod()
    {
        ScopeCost[] costs = [new("ranker", Oct, "USD", 300m), new("ranker", Nov, "USD", 240m)];
        ScopeUnits[] units =
        [
            new("ranker", Oct, UnitMetrics.Predictions, 1_000_000m), new("ranker", Nov, UnitMetrics.Predictions, 1_200_000m),
            new("ranker", Nov, UnitMetrics.Tokens, 2_000_000m), new("ranker", Nov, UnitMetrics.ActiveUsers, 400m), new("ranker", Nov, UnitMetrics.Revenue, 1000m),
        ];

        var rows = UnitEconomics.Compute(TwoMonths, costs, units, pricePerCall: 0.001m);

        rows.Count.ShouldBe(2);
        var nov = rows[1];
        nov.CostPerPrediction.ShouldBe(0.0002m);
        nov.CostPerThousandPredictions.ShouldBe(0.2m);
        nov.CostPerMillionTokens.ShouldBe(120m);
        nov.CostPerActiveUser.ShouldBe(0.6m);
        nov.GrossMargin.ShouldBe(760m);
        nov.CostPerPredictionChange!.Value.ShouldBe(-1m / 3m, 0.0000001m); // 0.0003 to 0.0002: a third cheaper
        nov.MarginPerCall.ShouldBe(0.0008m);
        rows[0].CostPerPredictionChange.ShouldBeNull();
    }

    [Fact]
    public void Compute_NoTraffic_IsNaWithTheCost_Flagged_NeverADivisionByZero()
    {
        ScopeCost[] costs = [new("idle-model", Oct, "USD", 50m)];
        ScopeUnits[] units = [new("idle-model", Oct, UnitMetrics.Predictions, 0m)];

        var row = UnitEconomics.Compute([(Oct, Nov)], costs, units, 0.01m).ShouldHaveSingleItem();

        row.Cost.ShouldBe(50m);
        row.CostPerPrediction.ShouldBeNull();
        row.CostPerThousandPredictions.ShouldBeNull();
        row.CostPerMillionTokens.ShouldBeNull();
        row.CostPerActiveUser.ShouldBeNull();
        row.MarginPerCall.ShouldBeNull();
        row.Flags.ShouldBe(["no_traffic"]);
    }

    [Fact]
    public void Reconcile_UnitCostTimesUnitsPlusCostWithoutTraffic_GivesBackTheBill()
    {
        ScopeCost[] costs = [new("a", Oct, "USD", 100m), new("b", Oct, "USD", 10m), new("(untagged)", Oct, "USD", 7m)];
        ScopeUnits[] units = [new("a", Oct, UnitMetrics.Predictions, 3m), new("b", Oct, UnitMetrics.Predictions, 7m)];
        var rows = UnitEconomics.Compute([(Oct, Nov)], costs, units, null);

        var check = UnitEconomics.Reconcile(rows, new Dictionary<string, decimal> { ["USD"] = 117m }).ShouldHaveSingleItem();

        check.CostWithoutTraffic.ShouldBe(7m);
        check.Reconciles.ShouldBeTrue();
        Math.Abs(check.Difference).ShouldBeLessThan(UnitEconomics.Tolerance);

        UnitEconomics.Reconcile(rows, new Dictionary<string, decimal> { ["USD"] = 120m }).Single().Reconciles.ShouldBeFalse();
    }
}
