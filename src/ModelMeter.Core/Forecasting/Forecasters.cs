using ModelMeter.Core.Budgets;

namespace ModelMeter.Core.Forecasting;

/// <summary>
/// What a forecaster is asked: the period-end spend of <see cref="Period"/>, knowing only the days up to and including
/// <see cref="AsOf"/> (<see cref="History"/>: contiguous days, possibly starting long before the period).
/// </summary>
public sealed record ForecastInput(IReadOnlyList<DailyCost> History, DateOnly PeriodStart, DateOnly PeriodEnd, DateOnly AsOf)
{
    /// <summary>The kind of period, so "the previous period" is a calendar one; null for a span of days.</summary>
    public BudgetPeriodKind? Kind { get; init; }

    public int DaysInPeriod => PeriodEnd.DayNumber - PeriodStart.DayNumber;

    public int DaysElapsed => Math.Clamp(AsOf.DayNumber - PeriodStart.DayNumber + 1, 0, DaysInPeriod);

    public int DaysLeft => DaysInPeriod - DaysElapsed;

    /// <summary>The days of the period known so far.</summary>
    public IEnumerable<DailyCost> InPeriod => History.Where(d => d.Day >= PeriodStart && d.Day <= AsOf && d.Day < PeriodEnd);

    /// <summary>Every known day up to <see cref="AsOf"/>.</summary>
    public IReadOnlyList<DailyCost> Known => History.Where(d => d.Day <= AsOf).ToList();

    public decimal Spent => InPeriod.Sum(d => d.Total);

    /// <summary>The days still to come in the period.</summary>
    public IEnumerable<DateOnly> Remaining
    {
        get
        {
            for (var day = PeriodStart.AddDays(DaysElapsed); day < PeriodEnd; day = day.AddDays(1))
            {
                yield return day;
            }
        }
    }
}

/// <summary>A period-end forecast: the spend so far, the expected total, and a 90% prediction interval.</summary>
public sealed record ForecastResult(string Forecaster, decimal Spent, decimal Forecast, decimal Lower, decimal Upper);

public interface IForecaster
{
    /// <summary>The name in output and <c>--forecaster</c>: <c>straight_line</c>, <c>trailing_28d</c>, <c>seasonal</c>.</summary>
    string Name { get; }

    ForecastResult Forecast(ForecastInput input);
}

/// <summary>The forecasters ModelMeter ships, in the order they are listed.</summary>
public static class Forecasters
{
    public static readonly IForecaster StraightLine = new StraightLineForecaster();
    public static readonly IForecaster Trailing = new TrailingRunRateForecaster();
    public static readonly IForecaster Seasonal = new SeasonalForecaster();

    public static IReadOnlyList<IForecaster> All { get; } = [StraightLine, Trailing, Seasonal];

    /// <summary>The default when the history holds no complete period to backtest on.</summary>
    public static IForecaster Designed => Seasonal;

    public static IForecaster? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// One-off charges expected in the rest of the period: those the previous period had after the same number of
    /// days (a tax invoiced on the last day recurs; one on the first day is already in the spend).
    /// </summary>
    internal static decimal ExpectedOneOffs(ForecastInput input)
    {
        var length = input.DaysInPeriod;
        var previousStart = input.Kind is { } k ? BudgetPeriod.Containing(k, input.PeriodStart.AddDays(-1)).Start : input.PeriodStart.AddDays(-length);
        var offset = input.DaysElapsed;
        return input.History
            .Where(d => d.Day >= previousStart && d.Day < input.PeriodStart && d.Day.DayNumber - previousStart.DayNumber >= offset)
            .Sum(d => d.OneOff);
    }

    /// <summary>A symmetric 90% interval around <paramref name="point"/>, never below what is already spent when costs only grow.</summary>
    internal static ForecastResult WithInterval(string name, decimal spent, decimal point, decimal halfWidth)
    {
        var lower = point - halfWidth;
        if (point >= spent && lower < spent)
        {
            lower = spent;
        }

        return new ForecastResult(name, spent, point, lower, point + halfWidth);
    }

    /// <summary>Uncertainty of <paramref name="days"/> future days each with standard deviation <paramref name="sigma"/>, estimated from <paramref name="n"/> days.</summary>
    internal static decimal HalfWidth(decimal sigma, int days, int n) =>
        n <= 0 || days <= 0 ? 0m : Robust.Z90 * sigma * Robust.Sqrt(days + ((decimal)days * days / n));
}

/// <summary>
/// The baseline: spend so far ÷ days elapsed × the days in the period (the real days: 28 to 31 for a month). It
/// extrapolates one-off charges too, and knows nothing before the period.
/// </summary>
public sealed class StraightLineForecaster : IForecaster
{
    public string Name => "straight_line";

    public ForecastResult Forecast(ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var days = input.InPeriod.Select(d => d.Total).ToList();
        var spent = days.Sum();
        if (input.DaysElapsed == 0)
        {
            return new ForecastResult(Name, 0m, 0m, 0m, 0m);
        }

        var point = spent / input.DaysElapsed * input.DaysInPeriod;
        var sigma = Robust.StandardDeviation(days);
        return Forecasters.WithInterval(Name, spent, point, Forecasters.HalfWidth(sigma, input.DaysLeft, days.Count));
    }
}

/// <summary>
/// Spend so far, plus the mean daily run rate of the last 28 known days (one-off charges apart) for each day left,
/// plus the one-off charges the previous period had in its remaining days.
/// </summary>
public sealed class TrailingRunRateForecaster : IForecaster
{
    private const int Window = 28;

    public string Name => "trailing_28d";

    public ForecastResult Forecast(ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var known = input.Known;
        var spent = input.Spent;
        if (known.Count == 0)
        {
            return new ForecastResult(Name, spent, spent, spent, spent);
        }

        var recent = known.Skip(Math.Max(0, known.Count - Window)).Select(d => d.RunRate).ToList();
        var rate = recent.Average();
        var point = spent + (rate * input.DaysLeft) + Forecasters.ExpectedOneOffs(input);
        return Forecasters.WithInterval(Name, spent, point, Forecasters.HalfWidth(Robust.StandardDeviation(recent), input.DaysLeft, recent.Count));
    }
}
