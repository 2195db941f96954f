using System.Globalization;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Reporting;

public class TimeBucketsTests
{
    [Theory]
    [InlineData("2026-10-07", TimeGrain.Day, "2026-10-07")]
    [InlineData("2026-10-07", TimeGrain.Week, "2026-10-05")]
    [InlineData("2026-10-05", TimeGrain.Week, "2026-10-05")]
    [InlineData("2026-10-11", TimeGrain.Week, "2026-10-05")]
    [InlineData("2026-10-02", TimeGrain.Week, "2026-10-01")] // the week of Monday 28 September, cut at 1 October
    [InlineData("2026-09-30", TimeGrain.Week, "2026-09-28")]
    [InlineData("2026-12-31", TimeGrain.Week, "2026-12-28")] // the ISO week 2026-W53 ...
    [InlineData("2027-01-03", TimeGrain.Week, "2027-01-01")] // ... cut at the year end
    [InlineData("2027-01-04", TimeGrain.Week, "2027-01-04")]
    [InlineData("2026-10-31", TimeGrain.Month, "2026-10-01")]
    public void Buckets_StartOnTheDayMondayOrFirstOfMonth_AndWeeksNeverCrossAMonth(string day, TimeGrain grain, string expected) =>
        TimeBuckets.Start(Day(day), grain).ShouldBe(Day(expected));

    [Fact]
    public void Weeks_NestInMonths_AndCoverEveryDayOnce()
    {
        // Four years of days: each day's week starts on or before it, at most six days before, in the same month.
        for (var day = Day("2024-01-01"); day < Day("2028-01-01"); day = day.AddDays(1))
        {
            var week = TimeBuckets.Start(day, TimeGrain.Week);
            week.ShouldBeLessThanOrEqualTo(day);
            (day.DayNumber - week.DayNumber).ShouldBeLessThan(7);
            (week.Year, week.Month).ShouldBe((day.Year, day.Month));
            TimeBuckets.Start(week, TimeGrain.Week).ShouldBe(week, "a bucket's first day is in the bucket");
            (week.DayOfWeek == DayOfWeek.Monday || week.Day == 1).ShouldBeTrue();
        }
    }

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);
}
