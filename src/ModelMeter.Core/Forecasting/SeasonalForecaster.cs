namespace ModelMeter.Core.Forecasting;

/// <summary>
/// The forecaster that knows how ML spend behaves: spend so far, plus for each day left the current level times that
/// weekday's factor (<see cref="WeekdayProfile"/>), plus the one-off charges the previous period had in its remaining
/// days. The level is the median of the deseasonalised run rate since the latest level shift (an endpoint scaled
/// up, a new model launched) within the last two weeks, so a one-day spike does not move it and a step does within
/// days. One-off charges (Purchase, Tax) are never a run rate. The 90% interval comes from the median absolute
/// deviation of the days the level was taken from.
/// </summary>
public sealed class SeasonalForecaster : IForecaster
{
    private const int LevelWindow = 14;
    private const int ShiftSearch = 28;
    private const int MinimumAfterShift = 3;
    private const decimal ShiftScore = 6m;
    private const decimal ShiftRelative = 0.10m;

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
        var deviations = window.Select(v => v - level).ToList();
        var sigmaDay = Robust.MadToSigma * Robust.Median(deviations.Select(Math.Abs));
        var remaining = input.Remaining.ToList();
        var future = remaining.Sum(day => level * profile.Factor(day));
        var meanFactor = remaining.Count == 0 ? 1m : remaining.Average(profile.Factor);
        var half = Forecasters.HalfWidth(sigmaDay * meanFactor, remaining.Count, window.Count);
        return Forecasters.WithInterval(Name, spent, spent + future + oneOffs, half);
    }

    /// <summary>The current deseasonalised level, and the values it was taken from.</summary>
    internal static decimal Level(IReadOnlyList<(DateOnly Day, decimal Value)> values, WeekdayProfile profile, out List<decimal> window)
    {
        var s = values.Select(v => v.Value / profile.Factor(v.Day)).ToList();
        var n = s.Count;
        var start = Math.Max(0, n - LevelWindow);
        var shift = LatestShift(s);
        if (shift is { } k && k > start)
        {
            start = k;
        }

        window = s.Skip(start).ToList();
        return Robust.Median(window);
    }

    /// <summary>The start of the strongest level shift in the last four weeks with at least three days after it, if any.</summary>
    internal static int? LatestShift(IReadOnlyList<decimal> s)
    {
        var n = s.Count;
        int? best = null;
        var bestScore = ShiftScore;
        for (var k = Math.Max(7, n - ShiftSearch); k <= n - MinimumAfterShift; k++)
        {
            var before = s.Skip(Math.Max(0, k - 14)).Take(k - Math.Max(0, k - 14)).ToList();
            var after = s.Skip(k).ToList();
            var medianBefore = Robust.Median(before);
            var change = Math.Abs(Robust.Median(after) - medianBefore);
            var scale = Math.Max(Robust.MadToSigma * Robust.Mad(before), Math.Abs(medianBefore) * 0.01m);
            if (scale <= 0m || change < Math.Abs(medianBefore) * ShiftRelative)
            {
                continue;
            }

            var score = change / scale;
            if (score > bestScore)
            {
                bestScore = score;
                best = k;
            }
        }

        return best;
    }
}
