using ModelMeter.Core.Anomalies;

namespace ModelMeter.Core.Tests.Anomalies;

public sealed class DetectorTests
{
    private static readonly DateOnly Start = new(2026, 8, 3); // a Monday

    /// <summary>A noisy weekday pattern: weekdays about 1,000, weekends about 400, with a deterministic wobble of ±3%.</summary>
    private static List<(DateOnly Day, decimal Value)> Normal(int days, Func<int, decimal>? extra = null) =>
        Enumerable.Range(0, days).Select(i =>
        {
            var day = Start.AddDays(i);
            var baseline = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 400m : 1_000m;
            var wobble = 1m + ((((i * 7919) % 13) - 6) / 200m);
            return (day, Math.Round(baseline * wobble, 2) + (extra?.Invoke(i) ?? 0m));
        }).ToList();

    private static readonly DetectorOptions Seasonal = AnomalyDetectors.SeasonalMad.Defaults;
    private static readonly DetectorOptions Wow = AnomalyDetectors.WeekOverWeek.Defaults;

    [Fact]
    public void SeasonalMad_FindsPlantedSpikes_OfSeveralSizes_AndNothingElse()
    {
        var series = Normal(90, i => i switch { 40 => 600m, 55 => 2_500m, 70 => 250m, _ => 0m });

        var found = AnomalyDetectors.SeasonalMad.Detect(series, Seasonal);

        found.Select(a => a.Date).ShouldBe([Start.AddDays(40), Start.AddDays(55), Start.AddDays(70)]);
        found[1].Impact.ShouldBe(2_500m, 60m);
        found.ShouldAllBe(a => a.Score >= Seasonal.Threshold);
    }

    [Fact]
    public void SeasonalMad_StepChange_AlertsOnce_ThenIsTheNewNormal()
    {
        var series = Normal(100, i => i >= 50 ? 500m : 0m);

        var found = AnomalyDetectors.SeasonalMad.Detect(series, Seasonal);

        found.Select(a => a.Date).ShouldBe([Start.AddDays(50)]);
    }

    [Fact]
    public void WeekOverWeek_StepChange_KeepsAlertingForAWeek()
    {
        var series = Normal(100, i => i >= 50 ? 800m : 0m);

        var found = AnomalyDetectors.WeekOverWeek.Detect(series, Wow);

        found.Count.ShouldBeGreaterThanOrEqualTo(5); // every day of the week after the step is "more than 50% up"
        found[0].Date.ShouldBe(Start.AddDays(50));
    }

    [Fact]
    public void SeasonalMad_RunawayOfThreeDays_IsOneAlert_AndTheDaysAfterAreNormal()
    {
        var series = Normal(90, i => i is >= 40 and < 43 ? 1_500m : i == 70 ? 900m : 0m);

        var found = AnomalyDetectors.SeasonalMad.Detect(series, Seasonal);

        found.Select(a => a.Date).ShouldBe([Start.AddDays(40), Start.AddDays(70)]);
    }

    [Fact]
    public void MinimumImpact_KeepsSmallRisesQuiet_EvenWithAHighScore()
    {
        var series = Normal(60, i => i == 40 ? 150m : 0m); // about six scales above a weekday, but only 150 of money

        AnomalyDetectors.SeasonalMad.Detect(series, Seasonal with { MinimumImpact = 200m }).ShouldBeEmpty();
        AnomalyDetectors.SeasonalMad.Detect(series, Seasonal with { MinimumImpact = 10m }).Select(a => a.Date).ShouldBe([Start.AddDays(40)]);
    }

    [Fact]
    public void Weekends_AreNotAnomalies_BecauseTheBaselineIsSeasonal()
    {
        // A wow rule on "the day before" would fire every Monday; the seasonal baseline knows Mondays.
        AnomalyDetectors.SeasonalMad.Detect(Normal(120), Seasonal).ShouldBeEmpty();
        AnomalyDetectors.WeekOverWeek.Detect(Normal(120), Wow).ShouldBeEmpty();
    }

    [Fact]
    public void Drivers_AreTheChildrenWhoseCostRoseMost_LargestFirst_WithTheirShare()
    {
        var day = new DateOnly(2026, 10, 30);
        IReadOnlyDictionary<string, string> Id(string resource) => new Dictionary<string, string> { ["ResourceId"] = resource };
        IReadOnlyDictionary<DateOnly, decimal> Days(decimal before, decimal on) =>
            Enumerable.Range(1, 4).ToDictionary(w => day.AddDays(-7 * w), _ => before).Append(new KeyValuePair<DateOnly, decimal>(day, on)).ToDictionary();

        var drivers = Drivers.Explain([(Id("sync"), Days(370m, 1_110m)), (Id("endpoint"), Days(72m, 218m)), (Id("steady"), Days(50m, 50m)), (Id("new-notebook"), new Dictionary<DateOnly, decimal> { [day] = 100m })], day, 986m);

        drivers.Select(d => d.Dimensions["ResourceId"]).ShouldBe(["sync", "endpoint", "new-notebook"]);
        drivers[0].Impact.ShouldBe(740m);
        drivers[0].Expected.ShouldBe(370m);
        drivers[0].Share.ShouldBe(Math.Round(740m / 986m, 4));
        drivers[2].Expected.ShouldBe(0m);
    }

    [Fact]
    public void Evaluation_CountsTheFirstAlertOfEachLabelAsFound_RepeatsAsFalsePositives()
    {
        LabelledAnomaly[] labels = [new(new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 3), "", "runaway"), new(new DateOnly(2026, 9, 20), new DateOnly(2026, 9, 20), "", "spike")];
        (DateOnly, string)[] alerts = [(new DateOnly(2026, 9, 2), ""), (new DateOnly(2026, 9, 3), ""), (new DateOnly(2026, 9, 10), ""), (new DateOnly(2026, 9, 20), "tag:team=x")];

        var score = DetectorEvaluation.Score("d", alerts, labels);

        score.TruePositives.ShouldBe(1);
        score.FalsePositives.ShouldBe(3); // the repeat, an unlabelled day, and a day in another scope
        score.FalseNegatives.ShouldBe(1);
        score.Precision.ShouldBe(0.25m);
        score.Recall.ShouldBe(0.5m);
        score.F1.ShouldBe(Math.Round(2m * 0.25m * 0.5m / 0.75m, 4));
    }
}
