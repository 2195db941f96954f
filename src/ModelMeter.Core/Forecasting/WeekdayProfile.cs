namespace ModelMeter.Core.Forecasting;

/// <summary>
/// How a scope's spend varies by day of the week (weekday training, quieter weekends): one factor per weekday,
/// averaging 1, from the last eight weeks. Each day is compared with the mean of the week ending on it, so a level
/// shift does not read as a weekday pattern; the median per weekday ignores one-day spikes.
/// </summary>
public sealed class WeekdayProfile
{
    private const int Weeks = 8;

    /// <summary>Weekday factors are floored here, so a weekday that is usually free still scales a forecast.</summary>
    private const decimal Floor = 0.05m;

    private readonly decimal[] _factors;
    private readonly decimal[] _offsets;

    private WeekdayProfile(decimal[] factors, decimal[] offsets)
    {
        _factors = factors;
        _offsets = offsets;
    }

    public static WeekdayProfile Flat { get; } = new([1m, 1m, 1m, 1m, 1m, 1m, 1m], [0m, 0m, 0m, 0m, 0m, 0m, 0m]);

    /// <summary>
    /// The weekday's difference from the week's mean, in currency (the additive view: weekday workloads on top of
    /// always-on cost, which a step change adds to without changing the weekday pattern).
    /// </summary>
    public decimal Offset(DateOnly day) => _offsets[(int)day.DayOfWeek];

    public decimal this[DayOfWeek day] => _factors[(int)day];

    public decimal Factor(DateOnly day) => _factors[(int)day.DayOfWeek];

    /// <summary>The profile of <paramref name="days"/> (contiguous, in order); flat with fewer than two weeks of data.</summary>
    /// <param name="days">The days and their values.</param>
    /// <param name="skip">Days to leave out (anomalies).</param>
    public static WeekdayProfile Estimate(IReadOnlyList<(DateOnly Day, decimal Value)> days, Func<int, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        var start = Math.Max(6, days.Count - (Weeks * 7));
        var ratios = new List<decimal>[7];
        var differences = new List<decimal>[7];
        for (var i = 0; i < 7; i++)
        {
            ratios[i] = [];
            differences[i] = [];
        }

        for (var t = start; t < days.Count; t++)
        {
            if (skip?.Invoke(t) == true)
            {
                continue;
            }

            var mean = 0m;
            for (var k = t - 6; k <= t; k++)
            {
                mean += days[k].Value;
            }

            mean /= 7m;
            differences[(int)days[t].Day.DayOfWeek].Add(days[t].Value - mean);
            if (mean > 0m)
            {
                ratios[(int)days[t].Day.DayOfWeek].Add(days[t].Value / mean);
            }
        }

        if (ratios.Any(r => r.Count < 2))
        {
            return Flat;
        }

        var factors = ratios.Select(r => Math.Max(Floor, Robust.Median(r))).ToArray();
        var average = factors.Average();
        var offsets = differences.Select(Robust.Median).ToArray();
        var meanOffset = offsets.Average();
        return new WeekdayProfile(factors.Select(f => f / average).ToArray(), offsets.Select(o => o - meanOffset).ToArray());
    }
}
