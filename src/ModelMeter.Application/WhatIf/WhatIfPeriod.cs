using System.Globalization;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.WhatIf;

/// <summary>
/// The period every what-if reads (default the last complete month) and how a difference over it becomes a monthly
/// one: the difference itself for a calendar month, else scaled to an average month of 30.4375 days.
/// </summary>
internal static class WhatIfPeriod
{
    public const decimal AverageMonthDays = 30.4375m;

    public static (DateTime From, DateTime To) Resolve(string? from, string? to, string? last, string? month, DateTime now)
    {
        if (from is null && to is null && last is null && month is null)
        {
            var previous = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-1);
            return (previous, previous.AddMonths(1));
        }

        var (start, end) = ReportArguments.ParsePeriod(from, to, last, month, now);
        if (start is null || end is null)
        {
            throw new UserInputException("what-if needs a bounded period: --month 2026-10, --last 30d, or both --from and --to.");
        }

        return (start.Value, end.Value);
    }

    public static decimal Days(DateTime from, DateTime to) => (decimal)(to - from).TotalDays;

    public static bool IsCalendarMonth(DateTime from, DateTime to) => from.Day == 1 && from.TimeOfDay == TimeSpan.Zero && to == from.AddMonths(1);

    public static decimal Monthly(decimal difference, DateTime from, DateTime to)
    {
        var days = Days(from, to);
        return IsCalendarMonth(from, to) || days == 0 ? difference : Math.Round(difference * AverageMonthDays / days, 6);
    }

    /// <summary>How <see cref="Monthly"/> scaled, for the working.</summary>
    public static string Scaling(DateTime from, DateTime to) => IsCalendarMonth(from, to)
        ? " (the period is a calendar month)"
        : string.Create(CultureInfo.InvariantCulture, $" (× {AverageMonthDays} ÷ {Days(from, to):0.##} days)");

    public static string Describe(DateTime from, DateTime to) =>
        string.Create(CultureInfo.InvariantCulture, $"period: {from:yyyy-MM-dd} to {to:yyyy-MM-dd} (exclusive), {Days(from, to):0.##} days");
}
