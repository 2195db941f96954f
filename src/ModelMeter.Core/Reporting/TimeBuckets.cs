namespace ModelMeter.Core.Reporting;

/// <summary>
/// The one definition of the periods costs are bucketed in (<c>--grain</c>, <c>allocation.grain</c>), labelled by
/// their first day, in UTC:
/// <list type="bullet">
/// <item><b>hour</b>: the UTC hour, for hourly bills (reports only);</item>
/// <item><b>day</b>: the UTC day;</item>
/// <item><b>week</b>: the ISO 8601 week (Monday to Sunday), cut at the first of a month: a week spanning a month end
/// (and so a year end) is two buckets, the second starting on the 1st. Weeks therefore nest in months and years, a
/// month's weekly figures add up to its monthly figure, and an allocation pool never mixes two months' cost;</item>
/// <item><b>month</b>: the calendar month.</item>
/// </list>
/// The store computes the same buckets in SQL (its tests check them day by day against <see cref="Start(DateOnly, TimeGrain)"/>).
/// </summary>
public static class TimeBuckets
{
    /// <summary>The first day of the bucket <paramref name="day"/> falls in.</summary>
    public static DateOnly Start(DateOnly day, TimeGrain grain)
    {
        switch (grain)
        {
            case TimeGrain.Hour or TimeGrain.Day:
                return day;
            case TimeGrain.Week:
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                return monday.Month == day.Month ? monday : new DateOnly(day.Year, day.Month, 1);
            case TimeGrain.Month:
                return new DateOnly(day.Year, day.Month, 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(grain), grain, null);
        }
    }

    /// <summary>The start (midnight UTC) of the bucket a UTC day falls in, as reports label periods.</summary>
    public static DateTime StartUtc(DateOnly day, TimeGrain grain) => Start(day, grain).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
