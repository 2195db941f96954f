using ModelMeter.Application.Reporting;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>The store's SQL buckets periods exactly as <see cref="TimeBuckets"/> defines them, day by day.</summary>
public class TimeBucketSqlTests
{
    [Theory]
    [InlineData(TimeGrain.Day)]
    [InlineData(TimeGrain.Week)]
    [InlineData(TimeGrain.Month)]
    public void QueryCosts_ByGrain_PutsEveryDayInItsTimeBucketsPeriod(TimeGrain grain)
    {
        // Given one line item a day, at 23:00 (a late hour stays on its day), over two year ends and every month end
        // between, costing its day number so a day in the wrong bucket changes two sums.
        using var temp = new TempStore();
        var first = new DateOnly(2024, 12, 1);
        var days = Enumerable.Range(0, 800).Select(first.AddDays).ToList();
        temp.Import([.. days.Select(d => TempStore.Item(d.ToDateTime(new TimeOnly(23, 0), DateTimeKind.Utc), "Amazon EC2", "i-1", "111", d.DayNumber, tags: ("team", "nlp")))]);

        var rows = temp.Store.QueryCosts(new CostQuery { Grain = grain });
        var byTag = temp.Store.QueryCosts(new CostQuery { Grain = grain, By = [new TagDimension("team")] }, TagPolicy.Default);

        var expected = days.GroupBy(d => TimeBuckets.StartUtc(d, grain)).ToDictionary(g => g.Key, g => g.Sum(d => (decimal)d.DayNumber));
        rows.ToDictionary(r => r.Period!.Value, r => r.Cost).ShouldBe(expected, ignoreOrder: true);
        byTag.ToDictionary(r => r.Period!.Value, r => r.Cost).ShouldBe(expected, ignoreOrder: true, "the tag-set query buckets the same way");
    }
}
