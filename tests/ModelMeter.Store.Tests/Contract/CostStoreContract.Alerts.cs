using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.Contract;

/// <remarks>This part: the hour grain budgets in a time zone read, alert deliveries (each finding once per sink) and budgets' closed periods.</remarks>
public abstract partial class CostStoreContract<TFixture>
{
    private static AlertDelivery Delivery(string key, string sink = "hook", string payload = "{}") =>
        new(key, sink, "budget", payload, AlertDeliveryStatus.Pending, 0, Now, null, null, null, null);

    [Fact]
    public void HourGrain_BucketsByUtcHourOfChargePeriodStart()
    {
        Import(Item(1m).Charge("2026-10-01T22:00:00Z"), Item(2m).Charge("2026-10-01T22:30:00Z", "2026-10-01T23:00:00Z"), Item(4m).Charge("2026-10-01T23:00:00Z"));

        var rows = Store.QueryCosts(new CostQuery { Grain = TimeGrain.Hour }).OrderBy(r => r.Period).ToList();

        rows.Select(r => (r.Period, r.Cost)).ShouldBe([(LineItem.Utc("2026-10-01T22:00:00Z"), 3m), (LineItem.Utc("2026-10-01T23:00:00Z"), 4m)]);
    }

    [Fact]
    public void AlertDelivery_IsRecordedOnce_PerFindingAndSink()
    {
        Store.AddAlertDelivery(Delivery("budget:search:2026-11:actual:80", payload: "{\"a\":1}")).ShouldBeTrue();
        Store.AddAlertDelivery(Delivery("budget:search:2026-11:actual:80", payload: "{\"a\":2}")).ShouldBeFalse();
        Store.AddAlertDelivery(Delivery("budget:search:2026-11:actual:80", sink: "slack")).ShouldBeTrue();

        var all = Store.AlertDeliveries();
        all.Count.ShouldBe(2);
        var first = all.Single(d => d.Sink == "hook");
        first.Payload.ShouldBe("{\"a\":1}"); // the second add changed nothing
        first.Status.ShouldBe(AlertDeliveryStatus.Pending);
        first.Attempts.ShouldBe(0);
        first.CreatedAt.ShouldBe(Now);
        first.Kind.ShouldBe("budget");
    }

    [Fact]
    public void AlertDelivery_ClaimedByOneRun_IsNotClaimedByAnother_UntilItsClaimIsStale()
    {
        Store.AddAlertDelivery(Delivery("k"));

        Store.TryClaimAlertDelivery("k", "hook", "run-1", Now, Now.AddMinutes(-10)).ShouldBeTrue();
        Store.TryClaimAlertDelivery("k", "hook", "run-2", Now.AddMinutes(1), Now.AddMinutes(-9)).ShouldBeFalse();
        Store.AlertDeliveries().Single().Status.ShouldBe(AlertDeliveryStatus.Sending);
        Store.AlertDeliveries().Single().ClaimedBy.ShouldBe("run-1");

        // run-1 died while sending: after the lease, another run may take it over.
        Store.TryClaimAlertDelivery("k", "hook", "run-3", Now.AddMinutes(20), Now.AddMinutes(10)).ShouldBeTrue();
        Store.AlertDeliveries().Single().ClaimedBy.ShouldBe("run-3");
        Store.CompleteAlertDelivery("k", "hook", "run-1", delivered: true, 1, null, Now.AddMinutes(21)).ShouldBeFalse(); // no longer its claim
        Store.TryClaimAlertDelivery("unknown", "hook", "run-3", Now, Now).ShouldBeFalse();
    }

    [Fact]
    public void AlertDelivery_Sent_IsNeverClaimedAgain_Failed_IsClaimedByTheNextRun()
    {
        Store.AddAlertDelivery(Delivery("sent"));
        Store.AddAlertDelivery(Delivery("failed"));
        Store.TryClaimAlertDelivery("sent", "hook", "run-1", Now, Now.AddMinutes(-10)).ShouldBeTrue();
        Store.TryClaimAlertDelivery("failed", "hook", "run-1", Now, Now.AddMinutes(-10)).ShouldBeTrue();

        Store.CompleteAlertDelivery("sent", "hook", "run-1", delivered: true, 1, null, Now.AddSeconds(5)).ShouldBeTrue();
        Store.CompleteAlertDelivery("failed", "hook", "run-1", delivered: false, 4, "HTTP 503", Now.AddSeconds(9)).ShouldBeTrue();

        var sent = Store.AlertDeliveries().Single(d => d.FindingKey == "sent");
        sent.Status.ShouldBe(AlertDeliveryStatus.Sent);
        sent.SentAt.ShouldBe(Now.AddSeconds(5));
        sent.Attempts.ShouldBe(1);
        var failed = Store.AlertDeliveries().Single(d => d.FindingKey == "failed");
        failed.Status.ShouldBe(AlertDeliveryStatus.Failed);
        failed.LastError.ShouldBe("HTTP 503");
        failed.Attempts.ShouldBe(4);
        failed.SentAt.ShouldBeNull();

        Store.TryClaimAlertDelivery("sent", "hook", "run-2", Now.AddHours(1), Now.AddMinutes(50)).ShouldBeFalse();
        Store.TryClaimAlertDelivery("failed", "hook", "run-2", Now.AddHours(1), Now.AddMinutes(50)).ShouldBeTrue();
        Store.CompleteAlertDelivery("failed", "hook", "run-2", delivered: true, 1, null, Now.AddHours(1)).ShouldBeTrue();
        Store.AlertDeliveries().Single(d => d.FindingKey == "failed").Attempts.ShouldBe(5);
    }

    [Fact]
    public void AlertDeliveries_AreSeenByAnotherConnection()
    {
        Store.AddAlertDelivery(Delivery("k"));

        var reader = Reader();

        reader.AlertDeliveries().Single().FindingKey.ShouldBe("k");
        reader.AddAlertDelivery(Delivery("k")).ShouldBeFalse();
        reader.TryClaimAlertDelivery("k", "hook", "run-2", Now, Now.AddMinutes(-10)).ShouldBeTrue();
        Store.TryClaimAlertDelivery("k", "hook", "run-1", Now, Now.AddMinutes(-10)).ShouldBeFalse();
    }

    [Fact]
    public void BudgetPeriod_IsKeptOnce_AndListedByBudgetThenPeriod()
    {
        var october = new BudgetPeriodRecord("search", "2026-10", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1), "UTC", "USD", 12_000m, 12_345.678901m, "over", Now);
        var september = october with { Period = "2026-09", PeriodStart = new DateOnly(2026, 9, 1), PeriodEnd = new DateOnly(2026, 10, 1), Spent = 9_000m, Status = "warning" };

        Store.RecordBudgetPeriod(october).ShouldBeTrue();
        Store.RecordBudgetPeriod(october with { Spent = 1m }).ShouldBeFalse();
        Store.RecordBudgetPeriod(september).ShouldBeTrue();
        Store.RecordBudgetPeriod(october with { Budget = "nlp" }).ShouldBeTrue();

        Store.BudgetPeriods("search").ShouldBe([september, october]);
        Store.BudgetPeriods().Select(p => (p.Budget, p.Period)).ShouldBe([("nlp", "2026-10"), ("search", "2026-09"), ("search", "2026-10")]);
        Store.BudgetPeriods("none").ShouldBeEmpty();
    }
}
