using System.Globalization;

namespace ModelMeter.Core.Time;

/// <summary>
/// The instants ModelMeter stores and reports on: from 1900-01-01T00:00:00Z up to 9999-01-01T00:00:00Z. Every period a
/// report, a week, a month or a usage window computes from a stored instant then stays inside .NET's and the store's
/// calendars (a week or month after the last instant still exists), so no date at either end can overflow.
/// </summary>
public static class SupportedRange
{
    public static readonly DateTime First = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The last instant allowed (a period may end here, none may start after it).</summary>
    public static readonly DateTime Last = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateOnly FirstDay = DateOnly.FromDateTime(First);

    /// <summary>The last day a date may name (a whole day, ending at <see cref="Last"/>).</summary>
    public static readonly DateOnly LastDay = DateOnly.FromDateTime(Last).AddDays(-1);

    /// <summary>How messages state the range.</summary>
    public static string Text => "1900-01-01T00:00:00Z to 9999-01-01T00:00:00Z";

    public static bool Contains(DateTime utc) => utc >= First && utc <= Last;

    public static bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    /// <summary>Ticks of a UTC instant given as ticks plus an offset, or null when it falls outside the range (or the calendar).</summary>
    public static DateTime? FromLocalTicks(long localTicks, int offsetMinutes)
    {
        var utcTicks = localTicks - (offsetMinutes * TimeSpan.TicksPerMinute);
        return utcTicks >= First.Ticks && utcTicks <= Last.Ticks ? new DateTime(utcTicks, DateTimeKind.Utc) : null;
    }

    public static string Show(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
