using ModelMeter.Core.Budgets;
using ModelMeter.Core.Forecasting;

namespace ModelMeter.Core.Tests.Forecasting;

public sealed class ForecasterTests
{
    private static readonly DateOnly Start = new(2026, 8, 1);

    /// <summary>Contiguous days from <see cref="Start"/> with the run rate <paramref name="rate"/> gives each.</summary>
    private static List<DailyCost> Series(int days, Func<DateOnly, decimal> rate, Func<DateOnly, decimal>? oneOff = null) =>
        Enumerable.Range(0, days).Select(i => Start.AddDays(i)).Select(d => new DailyCost(d, rate(d), oneOff?.Invoke(d) ?? 0m)).ToList();

    private static ForecastInput November(IReadOnlyList<DailyCost> history, int day) =>
        new(history, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), new DateOnly(2026, 11, day)) { Kind = BudgetPeriodKind.Month };

    [Fact]
    public void StraightLine_IsSpendSoFar_OverDaysElapsed_TimesTheRealDaysInThePeriod()
    {
        // February 2026 has 28 days: 10 days at 100 → 1,000 / 10 × 28.
        var history = Enumerable.Range(0, 10).Select(i => new DailyCost(new DateOnly(2026, 2, 1).AddDays(i), 100m, 0m)).ToList();
        var input = new ForecastInput(history, new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1), new DateOnly(2026, 2, 10));

        var result = Forecasters.StraightLine.Forecast(input);

        result.Spent.ShouldBe(1_000m);
        result.Forecast.ShouldBe(2_800m);
        result.Lower.ShouldBe(2_800m); // no variation, no width
        result.Upper.ShouldBe(2_800m);
    }

    [Fact]
    public void EveryForecaster_OnAConstantRunRate_ForecastsItExactly()
    {
        var history = Series(110, _ => 50m); // 1 August to 18 November

        foreach (var forecaster in Forecasters.All)
        {
            forecaster.Forecast(November(history, 18)).Forecast.ShouldBe(1_500m, forecaster.Name); // 30 days × 50
        }
    }

    [Fact]
    public void Seasonal_OnAWeekdayPattern_ForecastsTheRemainingWeekdaysExactly_WhereTheStraightLineCannot()
    {
        // Weekdays cost 100, weekends 20. November 2026: 21 weekdays and 9 weekend days = 2,280.
        static decimal Rate(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 20m : 100m;
        var history = Series(100, Rate); // to 8 November, a Sunday

        var seasonal = Forecasters.Seasonal.Forecast(November(history, 8));
        var straight = Forecasters.StraightLine.Forecast(November(history, 8));

        seasonal.Forecast.ShouldBe(2_280m, 0.01m);
        seasonal.Lower.ShouldBeLessThanOrEqualTo(seasonal.Forecast);
        seasonal.Upper.ShouldBeGreaterThanOrEqualTo(seasonal.Forecast);
        Math.Abs(straight.Forecast - 2_280m).ShouldBeGreaterThan(100m); // 8 days with 4 weekend days extrapolate to 2,100
    }

    [Fact]
    public void Seasonal_AfterALevelShift_ForecastsTheNewLevel_WhileTheTrailingMeanLags()
    {
        // 100 a day until 1 November, 200 a day from then (an endpoint scaled up).
        var history = Series(104, d => d < new DateOnly(2026, 11, 1) ? 100m : 200m); // to 12 November

        var seasonal = Forecasters.Seasonal.Forecast(November(history, 12));
        var trailing = Forecasters.Trailing.Forecast(November(history, 12));

        seasonal.Forecast.ShouldBe(6_000m, 0.01m); // 30 × 200
        trailing.Forecast.ShouldBeLessThan(5_500m);
    }

    [Fact]
    public void OneOffCharges_AreCountedOnce_NotExtrapolated_AndRecurWhereThePreviousPeriodHadThem()
    {
        // 100 a day, plus a 3,000 purchase on each 1st and a 600 tax on each month's last day.
        var history = Series(97, _ => 100m, d => d.Day == 1 ? 3_000m : d.AddDays(1).Day == 1 ? 600m : 0m); // to 5 November

        var seasonal = Forecasters.Seasonal.Forecast(November(history, 5));
        var trailing = Forecasters.Trailing.Forecast(November(history, 5));
        var straight = Forecasters.StraightLine.Forecast(November(history, 5));

        // 30 × 100 + the purchase already paid + October's last-day tax expected again.
        seasonal.Forecast.ShouldBe(6_600m, 0.01m);
        trailing.Forecast.ShouldBe(6_600m, 0.01m);
        straight.Forecast.ShouldBe(21_000m); // (5 × 100 + 3,000) / 5 × 30: the purchase taken as a run rate
    }

    [Fact]
    public void Seasonal_IgnoresARunawayDay_ButKeepsARegularBurst()
    {
        var history = Series(100, d => d == new DateOnly(2026, 11, 3) ? 2_000m : 100m);

        Forecasters.Seasonal.Forecast(November(history, 8)).Forecast.ShouldBe(2_000m + (29 * 100m), 0.01m);
    }

    [Fact]
    public void NoHistory_ForecastsNothing()
    {
        foreach (var forecaster in Forecasters.All)
        {
            forecaster.Forecast(new ForecastInput([], new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), new DateOnly(2026, 10, 31))).Forecast.ShouldBe(0m);
        }
    }
}

public sealed class BacktestTests
{
    /// <summary>Forecasts what a fixed number says, to check the backtest's arithmetic by hand.</summary>
    private sealed class Fixed(decimal value, string name = "fixed") : IForecaster
    {
        public string Name => name;

        public ForecastResult Forecast(ForecastInput input) => new(Name, 0m, value, value, value);
    }

    [Fact]
    public void Backtest_IsTheMeanAbsolutePercentageError_OverEveryDayOfEveryCompletePeriod()
    {
        // February 2026 (28 days at 10 = 280) and March (31 days at 20 = 620), complete; April begins but is not complete.
        var days = Enumerable.Range(0, 70).Select(i => new DateOnly(2026, 2, 1).AddDays(i))
            .Select(d => new DailyCost(d, d.Month == 2 ? 10m : 20m, 0m)).ToList();

        var score = Backtest.Run([days], BudgetPeriodKind.Month, [new Fixed(310m)]).Single();

        // February: |310 − 280| / 280 on 28 days; March: |310 − 620| / 620 on 31 days.
        var expected = ((28 * (30m / 280m)) + (31 * (310m / 620m))) / 59m * 100m;
        score.Forecasts.ShouldBe(59);
        score.Periods.ShouldBe(2);
        score.Mape.ShouldBe(Math.Round(expected, 4));
    }

    [Fact]
    public void Backtest_OnlyReplaysPeriodsTheHistoryCovers_AndTheWinnerIsTheLowestError()
    {
        var days = Enumerable.Range(0, 45).Select(i => new DailyCost(new DateOnly(2026, 1, 15).AddDays(i), 10m, 0m)).ToList(); // 15 Jan to 28 Feb

        Backtest.CompletePeriods(days, BudgetPeriodKind.Month).Select(p => p.Label).ShouldBe(["2026-02"]);
        Backtest.CompletePeriods(days, BudgetPeriodKind.Quarter).ShouldBeEmpty();
        var scores = Backtest.Run([days], BudgetPeriodKind.Month, [new Fixed(1m, "one"), new Fixed(280m, "right")]);
        scores[1].Mape.ShouldBe(0m);
        Backtest.Winner([new BacktestScore("a", 5m, 1, 1), new BacktestScore("b", 3m, 1, 1)]).ShouldBe("b");
        Backtest.Winner([new BacktestScore("a", null, 0, 0)]).ShouldBe(Forecasters.Designed.Name);
    }
}
