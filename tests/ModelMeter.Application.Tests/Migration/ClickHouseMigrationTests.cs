using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Migration;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Unit;
using ModelMeter.Store;
using ModelMeter.Store.ClickHouse;
using ModelMeter.Store.DuckDb;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Migration;

/// <summary>
/// The demo (bill, history, usage, hourly series, business metrics, LLM calls, MLflow runs) plus state kept outside
/// imports, in a DuckDB file, migrated once to a fresh database on the two-shard test cluster.
/// </summary>
public sealed class MigratedDemoFixture : IDisposable
{
    public MigratedDemoFixture()
    {
        App.Get<DemoUseCase>().Run(new DemoRequest { Month = "2026-10" });
        using (var store = DuckDbCostStore.Open(App.StorePath, App.Clock))
        {
            var at = AppHarness.Now.UtcDateTime;
            store.AddAlertDelivery(new AlertDelivery("budget:search:2026-10:actual:80", "hook", "budget", "{\"a\":1}", AlertDeliveryStatus.Pending, 0, at, null, null, null, null));
            store.TryClaimAlertDelivery("budget:search:2026-10:actual:80", "hook", "run-1", at, at.AddMinutes(-10)).ShouldBeTrue();
            store.CompleteAlertDelivery("budget:search:2026-10:actual:80", "hook", "run-1", delivered: false, 3, "HTTP 503", at.AddSeconds(4)).ShouldBeTrue();
            store.RecordBudgetPeriod(new BudgetPeriodRecord("migration-test", "2026-10", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1), "UTC", "USD", 12_000m, 12_345.678901m, "over", at));
            store.RecordEstimate(new RecordedEstimate("train-7b", at, "examples/training-7b.yaml", "training", "7B fine-tune", 1234.5m, "USD", 36.25m));
            store.SaveFindingRecords([new Core.Recommendations.FindingRecord("idle-1", "idle", "nb-1", "USD", 2792.25m, 2792.25m, new DateOnly(2026, 10, 31), Core.Recommendations.FindingActionKind.Executed, new DateOnly(2026, 11, 3))]);
            store.RecordActionRun(new Core.Recommendations.ActionRun("idle-1", "nb-1", "stop nb-1", "./apply.sh", at, at.AddSeconds(2), 0, false));
            store.WriteUsageBatches([
                new UsageBatch("key-1", "sha-1", "search", 3, [new Core.Allocation.UsageSample(new DateOnly(2026, 10, 3), "predictions", 3m, new Dictionary<string, string?> { ["team"] = "search" })]),
            ]);
        }

        var keys = App.Get<KeysUseCase>();
        NlpKey = keys.Create(new KeysRequest(), "nlp", "writer", "nlp fleet").Key;
        keys.Revoke(new KeysRequest(), keys.Create(new KeysRequest(), null, "admin", "left the company").Record.Id);
        Url = ClickHouseTestCluster.NewStoreUrl("mm_migrate");
        Result = App.Get<MigrateUseCase>().Run(new MigrateRequest { To = Url });
    }

    internal AppHarness App { get; } = new();

    public string Url { get; }

    public MigrateResult Result { get; }

    /// <summary>A team key created on the DuckDB store before the migration.</summary>
    public string NlpKey { get; }

    /// <summary>The demo's policy and rules (budgets, units, KPIs), read with either store.</summary>
    public string Config => App.Temp.File(".modelmeter/demo/modelmeter.yaml");

    public void Dispose()
    {
        try
        {
            ClickHouseCostStore.Drop(ClickHouseOptions.Parse(Url), null);
        }
        finally
        {
            App.Dispose();
        }
    }
}

public sealed class ClickHouseMigrationTests(MigratedDemoFixture demo) : IClassFixture<MigratedDemoFixture>
{
    [Fact]
    public void Migrate_MovesTheApiKeysIntoTheCluster_SoAKeyMadeBeforeStillWorks_AndARevokedOneStaysRevoked()
    {
        var keys = demo.App.Get<KeysUseCase>();
        var onCluster = keys.RingFor(new KeysRequest { Store = new StoreOptions(demo.Url) });

        onCluster.Where.ShouldStartWith("clickhouse://", Case.Sensitive, "the store keeps them, not a file");
        var check = demo.Result.Checks.Single(c => c.Check == "api_keys");
        check.Source.ShouldBe(2m);
        check.Matches.ShouldBeTrue();
        var records = onCluster.Load();
        records.Count.ShouldBe(2);
        records.Single(r => r.RevokedAt is not null).Role.ShouldBe(ApiKeyRole.Admin);
        var nlp = ApiKeyRing.Verify(records, onCluster.Secret(), demo.NlpKey).ShouldNotBeNull();
        nlp.Team.ShouldBe("nlp");
        nlp.Role.ShouldBe(ApiKeyRole.Writer);
    }

    [Fact]
    public void Migrate_CopiesEveryTable_AndEveryTotalMatches()
    {
        var result = demo.Result;

        result.TotalsMatch.ShouldBeTrue(string.Join("; ", result.Checks.Where(c => !c.Matches).Select(c => $"{c.Check} {c.Currency}: {c.Source} vs {c.Target}")));
        result.Imports.ShouldAllBe(i => i.Status == "copied");
        var tables = result.Checks.Select(c => c.Check).ToHashSet(StringComparer.Ordinal);
        foreach (var table in new[] { "BilledCost", "EffectiveCost", "line_items", "imports", "usage_statistics", "runs", "llm_calls", "business_metrics", "estimates", "alert_deliveries", "budget_periods", "usage_batches", "recommendation_findings", "recommendation_actions" })
        {
            tables.ShouldContain(table);
        }

        result.Checks.Single(c => c.Check == "runs").Target.ShouldBeGreaterThan(0m);
        result.Checks.Single(c => c.Check == "llm_calls").Target.ShouldBeGreaterThan(0m);
        result.Checks.Single(c => c.Check == "business_metrics").Target.ShouldBeGreaterThan(0m);
        result.Checks.Single(c => c.Check == "usage_batches").Target.ShouldBe(3m);
    }

    [Fact]
    public void Migrate_KeepsTheStateOutsideImports_AsItWas()
    {
        using var store = ClickHouseCostStore.Open(ClickHouseOptions.Parse(demo.Url), null, demo.App.Clock);

        var delivery = store.AlertDeliveries().ShouldHaveSingleItem();
        delivery.Status.ShouldBe(AlertDeliveryStatus.Failed);
        delivery.Attempts.ShouldBe(3);
        delivery.LastError.ShouldBe("HTTP 503");
        store.FindUsageBatch("key-1").ShouldNotBeNull().Events.ShouldBe(3);
        store.Estimates().ShouldHaveSingleItem().Hours.ShouldBe(36.25m);
        store.BudgetPeriods("migration-test").ShouldHaveSingleItem().Spent.ShouldBe(12_345.678901m);
        store.FindingRecords().ShouldHaveSingleItem().Kind.ShouldBe(Core.Recommendations.FindingActionKind.Executed);
        store.ActionRuns().ShouldHaveSingleItem("copied once, however often migrate runs").ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Migrate_Again_FindsEveryImportThere_AndCopiesNothing()
    {
        var again = demo.App.Get<MigrateUseCase>().Run(new MigrateRequest { To = demo.Url });

        again.Imports.ShouldAllBe(i => i.Status == "already_there");
        again.TotalsMatch.ShouldBeTrue();
    }

    [Fact]
    public void TheSameCommands_GiveTheSameFigures_OnBothStores()
    {
        // report, allocate, unit, budget status and runs: the same documents, figure for figure, whichever store they read.
        foreach (var (name, run) in Commands())
        {
            var onDuckDb = run(new StoreOptions(demo.App.StorePath, demo.Config));
            var onClickHouse = run(new StoreOptions(demo.Url, demo.Config));
            onClickHouse.ShouldBe(onDuckDb, name);
        }
    }

    private IEnumerable<(string Name, Func<StoreOptions, string> Run)> Commands()
    {
        var month = new CostQueryText { Month = "2026-10" };
        yield return ("report --by tag:team", s => ModelMeterJson.Serialize(demo.App.Get<ReportUseCase>().Run(new ReportRequest { Store = s, Query = month with { By = "tag:team" } })));
        yield return ("report --by ServiceName --grain day", s => ModelMeterJson.Serialize(demo.App.Get<ReportUseCase>().Run(new ReportRequest { Store = s, Query = month with { By = "ServiceName", Grain = "day" } })));
        yield return ("allocate", s => ModelMeterJson.Serialize(demo.App.Get<AllocationUseCase>().Run(new AllocationRequest { Store = s, Query = month })));
        yield return ("unit", s => ModelMeterJson.Serialize(demo.App.Get<UnitUseCase>().Run(new UnitRequest { Store = s })));
        yield return ("budget status", s => ModelMeterJson.Serialize(demo.App.Get<BudgetsUseCase>().Status(new BudgetStatusRequest { Store = s })));
        yield return ("runs", s => ModelMeterJson.Serialize(demo.App.Get<RunsUseCase>().Run(new RunsRequest { Store = s })));
    }
}
