using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Budgets;

/// <summary>
/// A budget period in a time zone: the calendar month, quarter or year that contains an instant, as local days
/// [<see cref="Start"/>, <see cref="End"/>) and as the UTC instants [<see cref="StartUtc"/>, <see cref="EndUtc"/>)
/// a charge's <c>ChargePeriodStart</c> is compared with. A UTC budget's local days are UTC days; a budget in
/// <c>Europe/Berlin</c> starts its October at 2026-09-30T22:00Z, and its days follow daylight saving time.
/// </summary>
public sealed record BudgetWindow(BudgetPeriodKind Kind, DateOnly Start, DateOnly End, TimeZoneInfo Zone)
{
    public string Label => new BudgetPeriod(Kind, Start, End).Label;

    public DateTime StartUtc => ToUtc(Start, Zone);

    public DateTime EndUtc => ToUtc(End, Zone);

    /// <summary>Days in the period (28 to 31 for a month, 90 to 92 for a quarter, 365 or 366 for a year).</summary>
    public int Days => End.DayNumber - Start.DayNumber;

    public BudgetPeriod Period => new(Kind, Start, End);

    public BudgetWindow Previous => Containing(Kind, Start.AddDays(-1), Zone);

    public BudgetWindow Next => Containing(Kind, End, Zone);

    public bool Contains(DateOnly localDay) => localDay >= Start && localDay < End;

    /// <summary>The period of <paramref name="kind"/> containing the local day.</summary>
    public static BudgetWindow Containing(BudgetPeriodKind kind, DateOnly localDay, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var period = BudgetPeriod.Containing(kind, localDay);
        return new BudgetWindow(kind, period.Start, period.End, zone);
    }

    /// <summary>The period of <paramref name="kind"/> containing the instant, read on the zone's clock.</summary>
    public static BudgetWindow ContainingInstant(BudgetPeriodKind kind, DateTime instantUtc, TimeZoneInfo zone) =>
        Containing(kind, LocalDay(instantUtc, zone), zone);

    /// <summary>The local day an instant falls on.</summary>
    public static DateOnly LocalDay(DateTime instantUtc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var utc = DateTime.SpecifyKind(instantUtc, DateTimeKind.Utc);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));
    }

    /// <summary>The instant local midnight starts a day. A midnight skipped by daylight saving is the first local instant of the day.</summary>
    public static DateTime ToUtc(DateOnly localDay, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = localDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>
    /// A time zone by its IANA name (<c>Europe/Berlin</c>, <c>America/New_York</c>) or <c>UTC</c>; a name the
    /// system does not know is refused, naming <paramref name="where"/>.
    /// </summary>
    public static TimeZoneInfo ParseZone(string? name, string where)
    {
        if (string.IsNullOrWhiteSpace(name) || string.Equals(name.Trim(), "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"{where}: time zone '{name}' is not known; use an IANA name such as Europe/Berlin or America/New_York, or UTC."), e);
        }
    }

    /// <summary>How a zone is written back: its IANA id, or <c>UTC</c>.</summary>
    public static string ZoneName(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC" ? "UTC" : zone.Id;
    }
}
