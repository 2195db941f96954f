using ModelMeter.Core.Forecasting;

namespace ModelMeter.Core.Anomalies;

/// <summary>A day whose cost departed from what was expected. <see cref="Score"/> is the detector's own measure.</summary>
public sealed record DetectedAnomaly(DateOnly Date, decimal Actual, decimal Expected, decimal Score)
{
    public decimal Impact => Actual - Expected;
}

/// <summary>What a detector is tuned with.</summary>
/// <param name="MinimumImpact">The smallest increase, in the scope's currency, worth telling anyone about.</param>
/// <param name="Threshold">The score at or above which a day is anomalous (robust z-score for seasonal, ratio − 1 for wow).</param>
public sealed record DetectorOptions(decimal MinimumImpact, decimal Threshold);

public interface IAnomalyDetector
{
    /// <summary>The name in output and <c>--detector</c>: <c>seasonal_mad</c>, <c>wow</c>.</summary>
    string Name { get; }

    DetectorOptions Defaults { get; }

    /// <summary>Every anomaly in a scope's contiguous daily run-rate series, each day judged only by the days before it.</summary>
    IReadOnlyList<DetectedAnomaly> Detect(IReadOnlyList<(DateOnly Day, decimal Value)> series, DetectorOptions options);
}

public static class AnomalyDetectors
{
    public static readonly IAnomalyDetector SeasonalMad = new SeasonalMadDetector();
    public static readonly IAnomalyDetector WeekOverWeek = new WeekOverWeekDetector();

    public static IReadOnlyList<IAnomalyDetector> All { get; } = [SeasonalMad, WeekOverWeek];

    public static IAnomalyDetector Default => SeasonalMad;

    /// <summary>The default minimum impact (currency units): pennies page nobody.</summary>
    public const decimal DefaultMinimumImpact = 100m;

    public static IAnomalyDetector? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? (string.Equals(name, "seasonal", StringComparison.OrdinalIgnoreCase) ? SeasonalMad : null);
}

/// <summary>
/// The seed's rule, kept as the simple alternative: a day more than 50% above the same weekday a week before. A step
/// change fires on seven days running, and a spike a week ago hides nothing and is echoed by nothing.
/// </summary>
public sealed class WeekOverWeekDetector : IAnomalyDetector
{
    public string Name => "wow";

    public DetectorOptions Defaults { get; } = new(AnomalyDetectors.DefaultMinimumImpact, 0.5m);

    public IReadOnlyList<DetectedAnomaly> Detect(IReadOnlyList<(DateOnly Day, decimal Value)> series, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var found = new List<DetectedAnomaly>();
        for (var t = 7; t < series.Count; t++)
        {
            var before = series[t - 7].Value;
            var now = series[t].Value;
            if (before > 0m && now > before * (1m + options.Threshold) && now - before >= options.MinimumImpact)
            {
                found.Add(new DetectedAnomaly(series[t].Day, now, before, Math.Round((now / before) - 1m, 4)));
            }
        }

        return found;
    }
}

/// <summary>
/// The default detector. Each day is compared with a seasonal baseline: the median cost of the
/// current regime's last four weeks (anomalous days left out; three weeks of history first) plus the day's weekday offset (<see cref="WeekdayProfile.Offset"/>); the scale is the
/// median absolute deviation of those days (at least 3% of the level, so a perfectly flat series does not turn pennies into
/// large scores). A day at least <see cref="DetectorOptions.Threshold"/> scales above it, and at least the minimum
/// impact, starts an incident, which is reported once: the days after it that stay off the baseline in the same
/// direction belong to the same incident, and an incident that lasts three days is a level shift: the baseline
/// restarts at its first day, so a step change alerts once and then is the new normal. A shorter incident (a spike,
/// a runaway job) is left out of later baselines. Decreases move the baseline the same way but are not reported.
/// </summary>
public sealed class SeasonalMadDetector : IAnomalyDetector
{
    private const int Window = 28;
    private const int Warmup = 21;
    private const int ShiftDays = 3;
    private const decimal RelativeFloor = 0.03m;

    public string Name => "seasonal_mad";

    public DetectorOptions Defaults { get; } = new(AnomalyDetectors.DefaultMinimumImpact, 4m);

    public IReadOnlyList<DetectedAnomaly> Detect(IReadOnlyList<(DateOnly Day, decimal Value)> series, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var found = new List<DetectedAnomaly>();
        var excluded = new bool[series.Count];
        var regimeStart = 0;
        var relativeScale = RelativeFloor;
        (int Start, int Direction, int Days)? incident = null;
        for (var t = 0; t < series.Count; t++)
        {
            var open = incident;
            bool Skip(int i) => excluded[i] || (open is { } o && i >= o.Start);
            var history = series.Take(t).ToList();
            var baseline = Enumerable.Range(Math.Max(regimeStart, t - Window), t - Math.Max(regimeStart, t - Window)).Where(i => !Skip(i)).ToList();
            var warm = t - regimeStart >= Warmup || (regimeStart > 0 && baseline.Count >= ShiftDays);
            if (!warm || baseline.Count < ShiftDays)
            {
                continue;
            }

            // The weekday profile's medians ignore spikes on their own; leaving out the days of a downward deviation would
            // leave out weekends while the profile is still being learnt.
            var profile = WeekdayProfile.Estimate(history);
            // Additive: a step change adds the same amount to every weekday, so the weekday pattern survives it.
            var deseasonalised = baseline.Select(i => series[i].Value - profile.Offset(series[i].Day)).ToList();
            var level = Robust.Median(deseasonalised);
            var mad = Robust.MadToSigma * Robust.Mad(deseasonalised);
            if (baseline.Count >= 7 && level > 0m)
            {
                relativeScale = Math.Max(RelativeFloor, mad / level);
            }

            // A short new regime borrows the relative scale of the one before it.
            var scale = Math.Max(baseline.Count >= 7 ? mad : 0m, Math.Abs(level) * relativeScale);
            if (scale <= 0m)
            {
                scale = Math.Max(options.MinimumImpact, 1m);
            }

            var expected = level + profile.Offset(series[t].Day);
            var actual = series[t].Value;
            var score = (actual - expected) / scale;
            var direction = score >= options.Threshold && actual - expected >= options.MinimumImpact ? 1
                : score <= -options.Threshold && expected - actual >= options.MinimumImpact ? -1
                : 0;

            if (direction != 0 && incident is { } current && current.Direction == direction)
            {
                incident = current with { Days = current.Days + 1 };
                if (incident.Value.Days >= ShiftDays)
                {
                    regimeStart = incident.Value.Start; // a level shift: the new normal starts where it began
                    incident = null;
                }

                continue;
            }

            if (incident is { } ended)
            {
                for (var i = ended.Start; i < t; i++)
                {
                    excluded[i] = true; // a spike: not part of any later baseline
                }

                incident = null;
            }

            if (direction != 0)
            {
                incident = (t, direction, 1);
                if (direction > 0)
                {
                    found.Add(new DetectedAnomaly(series[t].Day, actual, Math.Round(expected, 2), Math.Round(score, 2)));
                }
            }
        }

        return found;
    }
}
