using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Reporting;

public class CostTableTests
{
    private static readonly CostQuery ByTeam = new() { By = [new TagDimension("team")] };

    private static CostRow Row(string team, decimal cost, string currency = "USD", DateTime? period = null) => new(period, [team], currency, cost);

    [Fact]
    public void Build_OrdersByCostDescending_WithSharesOfTheTotal()
    {
        var table = CostTable.Build(ByTeam, [Row("nlp", 25m), Row("search", 50m), Row("vision", 25m)], top: null);

        table.Lines.Select(l => l.Values[0]).ShouldBe(["search", "nlp", "vision"]);
        table.Lines.Select(l => l.Share).ShouldBe([0.5m, 0.25m, 0.25m]);
        table.Totals.ShouldBe(new Dictionary<string, decimal> { ["USD"] = 100m });
        table.Dimensions.ShouldBe(["tag:team"]);
    }

    [Fact]
    public void Build_Top_FoldsTheRestIntoOther_AndKeepsTheTotal()
    {
        var rows = new[] { Row("a", 40m), Row("b", 30m), Row("c", 20m), Row("d", 7m), Row("e", 3m) };

        var table = CostTable.Build(ByTeam, rows, top: 2);

        table.Lines.Select(l => (l.Values[0], l.Cost)).ShouldBe([("a", 40m), ("b", 30m), (MissingValue.Other, 30m)]);
        table.Lines.Sum(l => l.Cost).ShouldBe(100m);
        table.Lines[^1].Share.ShouldBe(0.3m);
        table.Totals["USD"].ShouldBe(100m);
    }

    [Fact]
    public void Build_OtherComesLast_EvenWhenLargerThanTheKeptGroups()
    {
        var rows = new[] { Row("a", 10m), Row("b", 9m), Row("c", 8m), Row("d", 8m) };

        var table = CostTable.Build(ByTeam, rows, top: 1);

        table.Lines.Select(l => l.Values[0]).ShouldBe(["a", MissingValue.Other]);
        table.Lines[^1].Cost.ShouldBe(25m);
    }

    [Fact]
    public void Build_TopLargerThanGroupCount_HasNoOther()
    {
        var table = CostTable.Build(ByTeam, [Row("a", 1m), Row("b", 2m)], top: 5);

        table.Lines.ShouldNotContain(l => l.Values[0] == MissingValue.Other);
        table.Lines.Count.ShouldBe(2);
    }

    [Fact]
    public void Build_FoldsEveryDimensionOfAnOtherLine()
    {
        var query = new CostQuery { By = [new TagDimension("team"), new ColumnDimension("ServiceCategory")] };
        var rows = new[] { new CostRow(null, ["a", "Compute"], "USD", 5m), new CostRow(null, ["b", "Storage"], "USD", 1m) };

        var table = CostTable.Build(query, rows, top: 1);

        table.Lines[^1].Values.ShouldBe([MissingValue.Other, MissingValue.Other]);
    }

    [Fact]
    public void Build_KeepsCurrenciesApart_NeverAddingThem()
    {
        var rows = new[] { Row("nlp", 100m, "USD"), Row("nlp", 80m, "EUR"), Row("vision", 20m, "EUR") };

        var table = CostTable.Build(ByTeam, rows, top: null);

        table.Totals.ShouldBe(new Dictionary<string, decimal> { ["EUR"] = 100m, ["USD"] = 100m });
        table.Lines.Select(l => (l.Currency, l.Values[0], l.Share)).ShouldBe([("EUR", "nlp", 0.8m), ("EUR", "vision", 0.2m), ("USD", "nlp", 1m)]);
    }

    [Fact]
    public void Build_Top_PicksTheLargestGroupsPerCurrency()
    {
        var rows = new[] { Row("a", 1000m, "USD"), Row("b", 900m, "USD"), Row("x", 5m, "EUR"), Row("y", 4m, "EUR") };

        var table = CostTable.Build(ByTeam, rows, top: 1);

        table.Lines.Select(l => (l.Currency, l.Values[0])).ShouldBe([("EUR", "x"), ("EUR", MissingValue.Other), ("USD", "a"), ("USD", MissingValue.Other)]);
        table.Totals["EUR"].ShouldBe(9m);
    }

    [Fact]
    public void Build_TimeSeries_KeepsTopGroupsOverTheWholePeriod_AndFoldsPerPeriod()
    {
        var d1 = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var d2 = d1.AddDays(1);
        var query = ByTeam with { Grain = TimeGrain.Day };
        var rows = new[] { Row("a", 10m, period: d1), Row("b", 1m, period: d1), Row("b", 5m, period: d2), Row("c", 4m, period: d2), Row("a", 1m, period: d2) };

        var table = CostTable.Build(query, rows, top: 1);

        // a (11) is kept over the month even though b and c out-spend it on day 2.
        table.Lines.Select(l => (l.Period, l.Values[0], l.Cost)).ShouldBe([
            (d1, "a", 10m), (d1, MissingValue.Other, 1m),
            (d2, "a", 1m), (d2, MissingValue.Other, 9m),
        ]);
        table.Lines.Sum(l => l.Share).ShouldBe(1m);
    }

    [Fact]
    public void Build_CreditsReduceTheTotal_AndAZeroTotalGivesZeroShares()
    {
        var table = CostTable.Build(ByTeam, [Row("nlp", 10m), Row("credits", -10m)], top: null);

        table.Totals["USD"].ShouldBe(0m);
        table.Lines.ShouldAllBe(l => l.Share == 0m);
    }

    [Fact]
    public void Build_NoRows_IsAnEmptyTable()
    {
        var table = CostTable.Build(ByTeam, [], top: 3);

        table.Lines.ShouldBeEmpty();
        table.Totals.ShouldBeEmpty();
    }

    [Fact]
    public void Build_Ungrouped_IgnoresTop()
    {
        var table = CostTable.Build(new CostQuery(), [new CostRow(null, [], "USD", 12.5m)], top: 1);

        table.Lines.Single().Cost.ShouldBe(12.5m);
        table.Lines.Single().Share.ShouldBe(1m);
    }
}
