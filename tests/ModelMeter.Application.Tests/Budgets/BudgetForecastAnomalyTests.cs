using ModelMeter.Application.Access;
using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Forecasting;
using ModelMeter.Application.Hosting;

namespace ModelMeter.Application.Tests.Budgets;

/// <summary>The demo month of October 2026 with its four months of daily history, built once; the clock is 2026-11-15.</summary>
public sealed class DemoHistoryFixture : IDisposable
{
    public const string DemoConfig = ".modelmeter/demo/modelmeter.yaml";

    internal AppHarness App { get; } = new();

    public DemoResult Result { get; }

    public DemoHistoryFixture() => Result = App.Get<DemoUseCase>().Run(new DemoRequest { Month = "2026-10" });

    public static StoreOptions Options => new(Config: DemoConfig);

    public void Dispose() => App.Dispose();
}

/// <summary>budget status, forecast and anomalies through their use cases, on the demo's history.</summary>
public sealed class BudgetForecastAnomalyTests(DemoHistoryFixture demo) : IClassFixture<DemoHistoryFixture>
{
    [Fact]
    public void Forecast_Backtest_DefaultIsTheWinner_AndBeatsTheStraightLine()
    {
        var report = demo.App.Get<ForecastUseCase>().Run(new ForecastRequest { By = "tag:team" });

        var straight = report.Forecasters.Single(f => f.Name == "straight_line");
        var chosen = report.Forecasters.Single(f => f.Default);
        chosen.Name.ShouldBe(report.DefaultForecaster);
        chosen.Name.ShouldNotBe("straight_line");
        chosen.Mape.ShouldNotBeNull().ShouldBeLessThan(straight.Mape.ShouldNotBeNull());
        report.Forecasters.Where(f => f.Mape is not null).Min(f => f.Mape).ShouldBe(chosen.Mape);
        chosen.Periods.ShouldBeGreaterThanOrEqualTo(2);
        report.Period.ShouldBe("2026-11");
        report.AsOf.ShouldBe(new DateOnly(2026, 11, 14)); // the demo writes daily history up to yesterday
        report.Scopes.ShouldContain(s => s.Values["tag:team"] == "nlp");
        report.Scopes.ShouldAllBe(s => s.Lower <= s.Forecast && s.Forecast <= s.Upper);
    }

    [Fact]
    public void Anomalies_DefaultDetector_BeatsWeekOverWeek_OnThePlantedLabels()
    {
        var report = demo.App.Get<AnomaliesUseCase>().Run(new AnomaliesRequest { By = "tag:team", Labels = demo.Result.History.ShouldNotBeNull().LabelsFile });

        var evaluation = report.Evaluation.ShouldNotBeNull();
        var seasonal = evaluation.Single(e => e.Detector == "seasonal_mad");
        var wow = evaluation.Single(e => e.Detector == "wow");
        seasonal.Labels.ShouldBeGreaterThanOrEqualTo(5);
        seasonal.F1.ShouldBeGreaterThan(wow.F1);
        seasonal.Precision.ShouldBeGreaterThan(wow.Precision);
        seasonal.Recall.ShouldBeGreaterThanOrEqualTo(0.8m);
        report.Detector.ShouldBe("seasonal_mad");
    }

    [Fact]
    public void AnomaliesWithSeries_AreTheSameAnomalies_WithEachScopesDailyRunRate_WhoseAnomalousDaysAreTheAnomaliesActual()
    {
        var anomalies = demo.App.Get<AnomaliesUseCase>();
        var request = new AnomaliesRequest { By = "tag:team", Last = "90d" };
        var plain = anomalies.Run(request);
        var charted = anomalies.RunWithSeries(request);

        ModelMeterJson.Serialize(charted.Report).ShouldBe(ModelMeterJson.Serialize(plain));
        charted.Series.Select(s => s.Dimensions["tag:team"]).ShouldBe(plain.Anomalies.Select(a => a.Dimensions["tag:team"]).Distinct().Order(StringComparer.Ordinal), ignoreOrder: true);
        foreach (var series in charted.Series)
        {
            series.Days.Select(d => d.Date).ShouldBe(Enumerable.Range(0, plain.To.DayNumber - plain.From.DayNumber + 1).Select(plain.From.AddDays), "every day of the window, in order");
            foreach (var anomaly in plain.Anomalies.Where(a => a.Dimensions["tag:team"] == series.Dimensions["tag:team"]))
            {
                series.Days.Single(d => d.Date == anomaly.Date).Actual.ShouldBe(anomaly.Actual);
            }
        }
    }

    [Fact]
    public void Anomalies_NameTheirDrivers_LargestFirst_AndReportImpactOverTheMinimum()
    {
        var report = demo.App.Get<AnomaliesUseCase>().Run(new AnomaliesRequest { By = "tag:team", Last = "90d" });

        report.Anomalies.ShouldNotBeEmpty();
        foreach (var anomaly in report.Anomalies)
        {
            anomaly.Impact.ShouldBe(anomaly.Actual - anomaly.Expected);
            anomaly.Impact.ShouldBeGreaterThanOrEqualTo(report.MinImpact);
            anomaly.Score.ShouldBeGreaterThanOrEqualTo(report.Threshold);
            anomaly.Dimensions.ShouldContainKey("tag:team");
            anomaly.Drivers.ShouldNotBeEmpty();
            anomaly.Drivers.Select(d => d.Impact).ShouldBeInOrder(SortDirection.Descending);
        }
    }

    [Fact]
    public void ATeamsScope_SeesItsTeamsAnomaliesForecastsAndBudgets_Only()
    {
        var nlp = AccessScope.ForTeam("nlp");
        var anomalies = demo.App.Get<AnomaliesUseCase>();
        var all = anomalies.Run(new AnomaliesRequest { By = "tag:team", Last = "90d" });
        var scoped = anomalies.Run(new AnomaliesRequest { By = "tag:team", Last = "90d", Access = nlp });

        all.Anomalies.ShouldContain(a => a.Dimensions["tag:team"] != "nlp");
        scoped.Anomalies.ShouldAllBe(a => a.Dimensions["tag:team"] == "nlp");
        scoped.Anomalies.Select(a => a.Date).ShouldBe(all.Anomalies.Where(a => a.Dimensions["tag:team"] == "nlp").Select(a => a.Date));

        var forecast = demo.App.Get<ForecastUseCase>().Run(new ForecastRequest { By = "tag:team", Access = nlp });
        forecast.Scopes.Select(s => s.Values["tag:team"]).ShouldBe(["nlp"]);

        var budgets = demo.App.Get<BudgetsUseCase>();
        var status = budgets.Status(new BudgetStatusRequest { Store = DemoHistoryFixture.Options, AsOf = "2026-10-20", Access = nlp });
        var everything = budgets.Status(new BudgetStatusRequest { Store = DemoHistoryFixture.Options, AsOf = "2026-10-20" });
        status.Budgets.Select(b => b.Name).ShouldBe(["nlp"]);
        ModelMeterJson.Serialize(status.Budgets[0]).ShouldBe(ModelMeterJson.Serialize(everything.Budgets.Single(b => b.Name == "nlp")));
        budgets.List(DemoHistoryFixture.Options, AccessScope.ForTeam("vision")).Budgets.Select(b => b.Name).ShouldBe(["vision-quarter"]);
        Should.Throw<AccessDeniedException>(() => budgets.Status(new BudgetStatusRequest { Store = DemoHistoryFixture.Options, Name = "cc-100", Access = nlp }));
    }

    [Fact]
    public void BudgetStatus_IsATree_ChildrenCountTowardTheirParent()
    {
        var report = demo.App.Get<BudgetsUseCase>().Status(new BudgetStatusRequest { Store = DemoHistoryFixture.Options, AsOf = "2026-10-20" });

        var byName = report.Budgets.ToDictionary(b => b.Name);
        byName["acme-ml"].Depth.ShouldBe(0);
        byName["cc-100"].Parent.ShouldBe("acme-ml");
        byName["search"].Depth.ShouldBe(2);
        byName["search"].Period.ShouldBe("2026-10");
        byName["search"].AsOf.ShouldBe(new DateOnly(2026, 10, 20));
        byName["search"].DaysLeft.ShouldBe(11);
        (byName["search"].Spent + byName["nlp"].Spent).ShouldBeLessThanOrEqualTo(byName["cc-100"].Spent);
        byName["cc-100"].Spent.ShouldBeLessThanOrEqualTo(byName["acme-ml"].Spent);
        byName["search"].Spent.ShouldBeGreaterThan(0m);
        byName["vision-quarter"].Period.ShouldBe("2026-Q4");
        byName["vision-quarter"].TimeZone.ShouldBe("Europe/Berlin");
        report.Budgets.ShouldAllBe(b => b.Lower <= b.Forecast && b.Forecast <= b.Upper);
    }

    [Fact]
    public void ABreach_IsReportedAtTheLowestBudgetThatBreaks()
    {
        demo.App.WriteText("""
            store:
              path: .modelmeter/meter.duckdb
            budgets:
              - name: all
                scope: []
                amount: 1000
              - name: search
                parent: all
                scope: ["tag:team=search"]
                amount: 500
              - name: vision
                parent: all
                scope: ["tag:team=vision"]
                amount: 1000000

            """, "nested.yaml");

        var report = demo.App.Get<BudgetsUseCase>().Status(new BudgetStatusRequest { Store = new StoreOptions(Config: "nested.yaml"), AsOf = "2026-10-20" });

        var byName = report.Budgets.ToDictionary(b => b.Name);
        byName["all"].Status.ShouldBe("over");
        byName["search"].Status.ShouldBe("over");
        byName["vision"].Status.ShouldBe("ok");
        byName["all"].BreachReportedAt.ShouldBe(["search"]);
        byName["all"].Crossings.Single(c => c is { Kind: "actual", Threshold: 100m }).ReportedAt.ShouldBe(["search"]);
        byName["all"].Crossings.Single(c => c is { Kind: "actual", Threshold: 50m }).ReportedAt.ShouldBeEmpty();
        byName["search"].BreachReportedAt.ShouldBeEmpty();
        byName["search"].Scope.ShouldBe("tag:team=search");
    }

    [Fact]
    public void BudgetStatus_KeepsEachClosedPeriod_Once()
    {
        var budgets = demo.App.Get<BudgetsUseCase>();

        var first = budgets.Status(new BudgetStatusRequest { Store = DemoHistoryFixture.Options });
        var second = budgets.Status(new BudgetStatusRequest { Store = DemoHistoryFixture.Options });

        second.Recorded.ShouldBe(0);
        var search = second.Budgets.Single(b => b.Name == "search");
        search.Period.ShouldBe("2026-11");
        search.History.Select(h => h.Period).ShouldContain("2026-10");
        var october = search.History.Single(h => h.Period == "2026-10");
        october.Spent.ShouldBeGreaterThan(0m);
        october.Percent.ShouldBe(october.Spent / october.Amount * 100m, 0.01m);
        (first.Recorded + second.Recorded).ShouldBeGreaterThan(0);
    }
}
