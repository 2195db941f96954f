using System.Globalization;
using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Off-hours schedules: an always-on instance (not a serving endpoint) busy only in some hours of the week (a nightly
/// job, working hours) → a start/stop schedule that runs it in exactly those hours, in the owner's time zone. Saving =
/// the monthly cost × the share of the week's 168 hours it would be stopped.
/// </summary>
public sealed class OffHoursRule : IRecommendationRule
{
    public const string RuleName = "off-hours";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>The busy hours of the week come from GPU utilisation (requests add to them).</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [[UsageMetrics.GpuUtilization]];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        foreach (var pool in input.Pools.Where(p => p.IsHourly && !p.IsEndpoint && !claimed.Contains(p.ResourceId) && p.HoursBilled >= s.AlwaysOnShare * input.WindowHours))
        {
            var gpu = input.Metric(pool.ResourceId, UsageMetrics.GpuUtilization);
            if (gpu.Count < 24 * 7)
            {
                continue;
            }

            var zoneName = pool.Team is { } team && s.TeamTimeZones.TryGetValue(team, out var own) ? own : s.TimeZone;
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
            var work = UsageMetrics.Work.SelectMany(m => input.Metric(pool.ResourceId, m)).Where(h => h.Sum > 0m).Select(h => h.Hour);
            var busy = gpu.Where(h => h.Mean >= s.BusyGpuPercent).Select(h => h.Hour).Concat(work)
                .Select(h => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(h, DateTimeKind.Utc), zone))
                .Select(t => ((int)t.DayOfWeek * 24) + t.Hour)
                .ToHashSet();
            if (busy.Count == 0 || busy.Count > s.MaxBusyShare * 168m)
            {
                continue;
            }

            var off = 168 - busy.Count;
            var monthly = MonthlyRate(pool, input);
            var saving = monthly * off / 168m;
            var schedule = Describe(busy);
            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team,
                [
                    new Evidence("hours_billed", $"{pool.HoursBilled} of {N(input.WindowHours)}", input.From, input.To),
                    new Evidence(UsageMetrics.GpuUtilization, $"at or above {N(s.BusyGpuPercent)}% only in {busy.Count} of the week's 168 hours ({schedule}, {zoneName}); mean {P(gpu.Average(h => h.Mean))}%", input.From, input.To),
                ],
                Money(saving), Money(monthly), pool.Currency,
                $"{M(monthly, pool.Currency)} a month × {off}/168 hours stopped = {M(saving, pool.Currency)}",
                "medium", "low", $"run {pool.Name ?? pool.ResourceId} only {schedule} ({zoneName}) on a start/stop schedule; stopped the other {off} hours a week");
        }
    }

    /// <summary><c>daily 01:00–03:00</c> when every day has the same busy hours, else the hours per weekday.</summary>
    internal static string Describe(IReadOnlySet<int> hoursOfWeek)
    {
        var perDay = Enumerable.Range(0, 7).Select(d => Ranges(Enumerable.Range(0, 24).Where(h => hoursOfWeek.Contains((d * 24) + h)).ToList())).ToList();
        if (perDay.All(d => d == perDay[0]))
        {
            return "daily " + perDay[0];
        }

        var weekdays = perDay.Skip(1).Take(5).ToList();
        if (weekdays.All(d => d == weekdays[0]) && perDay[0].Length == 0 && perDay[6].Length == 0)
        {
            return "Mon–Fri " + weekdays[0];
        }

        return string.Join("; ", perDay.Select((d, i) => (d, i)).Where(x => x.d.Length > 0).Select(x => CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames[x.i] + " " + x.d));
    }

    private static string Ranges(List<int> hours)
    {
        var parts = new List<string>();
        for (var i = 0; i < hours.Count;)
        {
            var j = i;
            while (j + 1 < hours.Count && hours[j + 1] == hours[j] + 1)
            {
                j++;
            }

            parts.Add(FormattableString.Invariant($"{hours[i]:00}:00–{(hours[j] + 1) % 24:00}:00"));
            i = j + 1;
        }

        return string.Join(", ", parts);
    }
}
