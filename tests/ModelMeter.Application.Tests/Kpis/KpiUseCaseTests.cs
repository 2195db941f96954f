using ModelMeter.Application.Imports;
using ModelMeter.Application.Kpis;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;
using ModelMeter.Tests.Support;
using static ModelMeter.Tests.Support.MlflowStores;

namespace ModelMeter.Application.Tests.Kpis;

public sealed class KpiUseCaseTests : IDisposable
{
    private const string Config = """
        kpis:
          reduce_churn:
            description: Keep subscribers.
          churn_model_recall:
            parent: reduce_churn
            formula: run_metric(churn, recall)
            target: 0.8
            direction: above
          cost_per_prediction:
            parent: reduce_churn
            formula: cost(tag:model=churn) / usage(predictions, model=churn)
            target: 0.0005
            direction: below
            unit: USD
          gpu_utilisation_serving:
            formula: mean(gpu_utilization_percent, model=churn)
            target: 70
            direction: above
            unit: "%"
          cost_per_active_user:
            formula: cost() / business(active_users)
            target: 0.5
          cost_change:
            formula: cost() / previous(cost()) - 1
            target: 0.5
        """;

    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private async Task Import()
    {
        var bill = new FocusCsv();
        foreach (var (month, next, cost) in new[] { ("2026-09", "2026-10", "100"), ("2026-10", "2026-11", "300") })
        {
            bill.Row(("BillingPeriodStart", $"{month}-01T00:00:00Z"), ("BillingPeriodEnd", $"{next}-01T00:00:00Z"), ("ChargePeriodStart", $"{month}-05T00:00:00Z"), ("ChargePeriodEnd", $"{month}-05T01:00:00Z"),
                ("EffectiveCost", cost), ("BilledCost", cost), ("Tags", "{\"model\":\"churn\"}"));
        }

        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [_app.Write(bill, "focus.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);
        _app.Get<ImportUsageUseCase>().Run(new ImportUsageRequest
        {
            Path = _app.WriteText("timestamp,model,metric,value\n2026-10-03,churn,predictions,1000000\n2026-10-03,churn,gpu_utilization_percent,40\n2026-10-04,churn,gpu_utilization_percent,60\n", "usage.csv"),
        });
        _app.Get<ImportMetricsUseCase>().Run(new ImportMetricsRequest { Path = _app.WriteText("period,metric,value\n2026-10,active_users,1000\n", "metrics.csv") });
        var root = WriteMlruns(_app.Temp.File("mlruns"), [
            MlflowStores.Run("r1", "3", "churn", RunStatus.Finished, "2026-10-10T01:00:00Z", "2026-10-10T02:00:00Z", metrics: [new RunMetric("recall", 0.72, 1_791_594_000_000, 0)]),
        ]);
        await _app.Get<ImportMlflowUseCase>().RunAsync(new ImportMlflowRequest { Path = root });
        _app.WriteText(Config.Replace("\r", "", StringComparison.Ordinal) + "\n", "modelmeter.yaml");
    }

    private KpiReport Run() => _app.Get<KpiUseCase>().Run(new KpiRequest { Query = new CostQueryText { Grain = "month" } });

    [Fact]
    public async Task Kpis_AreEvaluatedPerPeriod_WithStatusAgainstTarget()
    {
        await Import();

        var report = Run();

        report.Periods.ShouldBe([new DateOnly(2026, 9, 1), new DateOnly(2026, 10, 1)]);
        KpiResult Kpi(string name) => report.Kpis.Single(k => k.Name == name);
        Kpi("cost_per_prediction").Values[^1].Value.ShouldBe(0.0003m);
        Kpi("cost_per_prediction").Status.ShouldBe("on_target");
        Kpi("cost_per_prediction").Values[0].Status.ShouldBe("no_data");
        Kpi("gpu_utilisation_serving").Values[^1].Value.ShouldBe(50m);
        Kpi("gpu_utilisation_serving").Status.ShouldBe("off_target");
        Kpi("cost_per_active_user").Values[^1].Value.ShouldBe(0.3m);
        Kpi("cost_change").Values[^1].Value.ShouldBe(2m);
        Kpi("cost_change").Status.ShouldBe("off_target");
        Kpi("churn_model_recall").Values[^1].Value.ShouldBe(0.72m);
    }

    [Fact]
    public async Task Kpis_FormATree_GoalsBeforeTheKpisUnderThem_OffTargetWhenAChildIs()
    {
        await Import();

        var report = Run();

        var names = report.Kpis.Select(k => (k.Name, k.Depth)).ToList();
        names.IndexOf(("reduce_churn", 0)).ShouldBeLessThan(names.IndexOf(("churn_model_recall", 1)));
        names.ShouldContain(("cost_per_prediction", 1));
        report.Kpis.Single(k => k.Name == "reduce_churn").Status.ShouldBe("off_target");
    }

    [Fact]
    public async Task Kpis_AnUnknownFunction_IsAUserError()
    {
        await Import();
        _app.WriteText("kpis:\n  x:\n    formula: banana(1)\n    target: 1\n", "modelmeter.yaml");

        Should.Throw<UserInputException>(Run).Message.ShouldContain("'banana' is neither a KPI nor a function");
    }
}
