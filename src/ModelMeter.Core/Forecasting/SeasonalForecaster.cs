namespace ModelMeter.Core.Forecasting;

/// <summary>
/// The forecaster that knows how ML spend behaves: spend so far, plus for each day left the current level times that
/// weekday's factor (<see cref="WeekdayProfile"/>), plus the one-off charges the previous period had in its remaining
/// days. The level is the mean deseasonalised run rate of the last four weeks, or of the days since a level shift (an
/// endpoint scaled up, a model launched) that has held for a week; days far above it (more than six robust standard
/// deviations and the level again: a runaway job) are anomalies, not run rate, and are left out. Regular bursts (weekly
/// retraining, a monthly fine-tune) stay in, since they will come again. One-off charges (Purchase, Tax) are never a
/// run rate. The 90% interval comes from the spread of the days the level was taken from.
/// </summary>
public sealed class SeasonalForecaster : IForecaster
{
    private const int LevelWindow = 28;
    private const int ShiftSearch = 35;
    private const int MinimumAfterShift = 7;
    private const decimal ShiftScore = 6m;
    private const decimal ShiftRelative = 0.10m;
    private const decimal OutlierSigmas = 6m;
    private const decimal OutlierRelative = 1.0m;

    public string Name => "seasonal";

    public ForecastResult Forecast(ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var known = input.Known;
        var spent = input.Spent;
        var oneOffs = Forecasters.ExpectedOneOffs(input);
        if (known.Count < 7)
        {
            // Under a week of history: no weekday pattern to learn, the mean run rate is the best guess.
            var rate = known.Count == 0 ? 0m : known.Average(d => d.RunRate);
            var sigma = Robust.StandardDeviation(known.Select(d => d.RunRate).ToList());
            return Forecasters.WithInterval(Name, spent, spent + (rate * input.DaysLeft) + oneOffs, Forecasters.HalfWidth(sigma, input.DaysLeft, known.Count));
        }

        var values = known.Select(d => (d.Day, d.RunRate)).ToList();
        var profile = WeekdayProfile.Estimate(values);
        var level = Level(values, profile, out var window);
        var sigmaDay = Robust.StandardDeviation(window);
        var remaining = input.Remaining.ToList();
        var future = remaining.Sum(day => level * profile.Factor(day));
        var meanFactor = remaining.Count == 0 ? 1m : remaining.Average(profile.Factor);
        var half = Forecasters.HalfWidth(sigmaDay * meanFactor, remaining.Count, window.Count);
        return Forecasters.WithInterval(Name, spent, spent + future + oneOffs, half);
    }

    /// <summary>The current deseasonalised level, and the values it was taken from (anomalies left out).</summary>
    internal static decimal Level(IReadOnlyList<(DateOnly Day, decimal Value)> values, WeekdayProfile profile, out List<decimal> window)
    {
        var s = values.Select(v => v.Value / profile.Factor(v.Day)).ToList();
        var n = s.Count;
        var start = Math.Max(0, n - LevelWindow);
        if (LatestShift(s) is { } k && k > start)
        {
            start = k;
        }

        var all = s.Skip(start).ToList();
        var median = Robust.Median(all);
        var bound = Math.Max(OutlierSigmas * Robust.MadToSigma * Robust.Mad(all), Math.Abs(median) * OutlierRelative);
        window = all.Where(v => Math.Abs(v - median) <= bound).ToList();
        return window.Count == 0 ? median : window.Average();
    }

    /// <summary>The start of the strongest level shift in the last five weeks that has held for at least a week, if any.</summary>
    internal static int? LatestShift(IReadOnlyList<decimal> s)
    {
        var n = s.Count;
        int? best = null;
        var (bestHeld, bestScore) = (0m, ShiftScore);
        for (var k = Math.Max(7, n - ShiftSearch); k <= n - MinimumAfterShift; k++)
        {
            var before = s.Skip(Math.Max(0, k - 14)).Take(k - Math.Max(0, k - 14)).ToList();
            var after = s.Skip(k).ToList();
            var medianBefore = Robust.Median(before);
            var newLevel = Robust.Median(after);
            var change = Math.Abs(newLevel - medianBefore);
            var scale = Math.Max(Robust.MadToSigma * Robust.Mad(before), Math.Abs(medianBefore) * 0.01m);
            if (scale <= 0m || change < Math.Abs(medianBefore) * ShiftRelative)
            {
                continue;
            }

            // A step holds: nearly every day after it is nearer the new level than the old one (a burst of a few days
            // is not a step). The candidate after which the most days hold is where it happened.
            var held = (decimal)after.Count(v => Math.Abs(v - newLevel) < Math.Abs(v - medianBefore)) / after.Count;
            var score = change / scale;
            if (held < 0.85m || score <= ShiftScore)
            {
                continue;
            }

            if (held > bestHeld || (held == bestHeld && score > bestScore))
            {
                (bestHeld, bestScore, best) = (held, score, k);
            }
        }

        return best;
    }

}
