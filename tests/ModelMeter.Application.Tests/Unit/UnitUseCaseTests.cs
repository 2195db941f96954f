using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Unit;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Unit;

public sealed class UnitUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    /// <summary>October: ranker 300 USD, detector 100 USD (no traffic), 20 USD untagged.</summary>
    private void Import()
    {
        var bill = new FocusCsv()
            .Row(("EffectiveCost", "300"), ("Tags", "{\"model\":\"ranker\"}"), ("ResourceId", "i-ranker"))
            .Row(("EffectiveCost", "100"), ("Tags", "{\"model\":\"detector\"}"), ("ResourceId", "i-detector"))
            .Row(("EffectiveCost", "20"), ("Tags", ""), ("ResourceId", "bucket"));
        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [_app.Write(bill, "focus.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);
        _app.Get<ImportUsageUseCase>().Run(new ImportUsageRequest { Path = _app.WriteText("timestamp,model,metric,value\n2026-10-03,ranker,predictions,600000\n2026-10-20,ranker,predictions,400000\n", "usage.csv") });
        _app.Get<ImportMetricsUseCase>().Run(new ImportMetricsRequest
        {
            Path = _app.WriteText("period,model,metric,value\n2026-10,ranker,active_users,1500\n2026-10,ranker,revenue,1000\n2026-10,ranker,predictions_served,999\n", "metrics.csv"),
        });
        _app.Get<ImportLlmUsageUseCase>().Run(new ImportLlmUsageRequest
        {
            Path = _app.WriteText("""{"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1500000,"completion_tokens":500000},"tags":{"model":"ranker"}}""" + "\n", "calls.jsonl"),
        });
    }

    private UnitReport Run(string by = "tag:model", string? price = null, bool reconcile = false) =>
        _app.Get<UnitUseCase>().Run(new UnitRequest { Query = new CostQueryText { By = by, Month = "2026-10" }, Price = price, Reconcile = reconcile });

    [Fact]
    public void Unit_DividesTheBilledCostByPredictionsTokensUsersAndRevenue_PerScope()
    {
        Import();

        var report = Run(price: "0.001");

        var ranker = report.Rows.Single(r => r.Scope == "ranker");
        ranker.Cost.ShouldBe(300m);
        ranker.Predictions.ShouldBe(1_000_000m); // measured predictions win over the business metric's 999
        ranker.CostPerPrediction.ShouldBe(0.0003m);
        ranker.CostPerThousandPredictions.ShouldBe(0.3m);
        ranker.Tokens.ShouldBe(2_000_000m);
        ranker.CostPerMillionTokens.ShouldBe(150m);
        ranker.CostPerActiveUser.ShouldBe(0.2m);
        ranker.GrossMargin.ShouldBe(700m);
        ranker.MarginPerCall.ShouldBe(0.0007m);
        report.Latest.Single(r => r.Scope == "ranker").ShouldBe(ranker);
    }

    [Fact]
    public void UnitByTeam_CountsPredictionsThatNameOnlyTheirModel_ForTheTeamTheModelIsBilledUnder_AndNotForAModelOfSeveralTeams()
    {
        // Given serving metrics that carry the model, not the team (as the demo's Prometheus samples do).
        var bill = new FocusCsv()
            .Row(("EffectiveCost", "300"), ("Tags", "{\"model\":\"ranker\",\"team\":\"search\"}"), ("ResourceId", "i-ranker"))
            .Row(("EffectiveCost", "100"), ("Tags", "{\"model\":\"embed\",\"team\":\"search\"}"), ("ResourceId", "i-embed"))
            .Row(("EffectiveCost", "50"), ("Tags", "{\"model\":\"shared\",\"team\":\"nlp\"}"), ("ResourceId", "i-shared-1"))
            .Row(("EffectiveCost", "50"), ("Tags", "{\"model\":\"shared\",\"team\":\"vision\"}"), ("ResourceId", "i-shared-2"));
        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [_app.Write(bill, "focus.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);
        _app.Get<ImportUsageUseCase>().Run(new ImportUsageRequest
        {
            Path = _app.WriteText("timestamp,model,metric,value\n2026-10-03,ranker,predictions,600000\n2026-10-04,embed,predictions,200000\n2026-10-05,shared,predictions,1000\n", "usage.csv"),
        });

        // When unit costs are asked per team.
        var report = Run(by: "tag:team");

        // Then search's predictions are its two models', and the model billed under two teams counts for neither.
        var search = report.Rows.Single(r => r.Scope == "search");
        search.Predictions.ShouldBe(800_000m);
        search.CostPerPrediction.ShouldBe(0.0005m);
        report.Rows.Single(r => r.Scope == "nlp").Predictions.ShouldBeNull();
        report.Warnings.ShouldContain(w => w.Contains("several team values: shared", StringComparison.Ordinal));

        // Per model nothing changes: each model keeps its own traffic.
        Run().Rows.Single(r => r.Scope == "ranker").Predictions.ShouldBe(600_000m);
    }

    [Fact]
    public void Unit_ScopeWithoutTraffic_ShowsItsCost_NaUnitCosts_AndAWarning()
    {
        Import();

        var report = Run();

        var detector = report.Rows.Single(r => r.Scope == "detector");
        (detector.Cost, detector.CostPerPrediction, detector.Flags.Single()).ShouldBe((100m, (decimal?)null, "no_traffic"));
        report.Warnings.ShouldContain(w => w.Contains("detector", StringComparison.Ordinal));
    }

    [Fact]
    public void Unit_Reconcile_GivesBackTheBill()
    {
        Import();

        var check = Run(reconcile: true).Reconciliation.ShouldNotBeNull().ShouldHaveSingleItem();

        check.Billed.ShouldBe(420m);
        check.CostWithoutTraffic.ShouldBe(120m);
        check.Reconciles.ShouldBeTrue();
    }

    [Fact]
    public void Unit_TagConditions_KeepOnlyTheScopesTheyChoose()
    {
        Import();

        var report = _app.Get<UnitUseCase>().Run(new UnitRequest { Query = new CostQueryText { By = "tag:model", Month = "2026-10", Where = ["tag:model=detector"] } });

        report.Rows.Select(r => r.Scope).ShouldBe(["detector"]);
    }

    [Fact]
    public void Unit_WeeklyGrain_SplitsCostAndPredictionsByWeek()
    {
        Import();

        var weeks = _app.Get<UnitUseCase>().Run(new UnitRequest { Query = new CostQueryText { By = "tag:model", Month = "2026-10", Grain = "week" } });

        weeks.Rows.Where(r => r.Scope == "ranker" && r.Predictions is not null).Sum(r => r.Predictions!.Value).ShouldBe(1_000_000m);
        weeks.Grain.ShouldBe("week");
    }

    [Fact]
    public void Unit_ByAFocusColumn_OrAWrongPrice_IsAUserError()
    {
        Import();

        Should.Throw<UserInputException>(() => Run(by: "ServiceCategory")).Message.ShouldContain("per one tag");
        Should.Throw<UserInputException>(() => Run(price: "-1")).Message.ShouldContain("--price '-1'");
    }
}
