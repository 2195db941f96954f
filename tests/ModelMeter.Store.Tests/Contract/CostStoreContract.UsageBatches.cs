using ModelMeter.Core.Allocation;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>Usage batches posted to the server: stored with the usage samples, counted once per idempotency key.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    private static UsageBatch Batch(string? key, long events, params UsageSample[] samples) =>
        new(key, "sha-" + (key ?? "none"), "nlp", events, samples);

    [Fact]
    public void WriteUsageBatches_StoresTheSamples_WithTheImportedOnes()
    {
        ImportUsage("a.csv", Sample(1, "gpu_hours", 10m, ("team", "nlp")));

        var receipts = Store.WriteUsageBatches(
        [
            Batch("k1", 3, Sample(1, "predictions", 2m, ("model", "bert")), Sample(2, "predictions", 1m, ("model", "bert"))),
            Batch(null, 2, Sample(1, "predictions", 5m, ("model", "bert")), Sample(1, "gpu_hours", 0.25m, ("team", "nlp"))),
        ]);

        receipts.Select(r => (r.IdempotencyKey, r.Events, r.Duplicate, r.ReceivedAt)).ShouldBe([("k1", 3L, false, Now), (null, 2L, false, Now)]);
        receipts[1].BatchId.ShouldBeGreaterThan(receipts[0].BatchId);
        Store.QueryUsage(null, null).Select(Describe).ShouldBe(
        [
            "2026-10-01 gpu_hours team=nlp 10.25",
            "2026-10-01 predictions model=bert 7",
            "2026-10-02 predictions model=bert 1",
        ], ignoreOrder: true);
        Store.UsageBatchTotals().ShouldBe(new UsageBatchTotals(2, 5));
    }

    [Fact]
    public void WriteUsageBatches_ABatchWithAKeySeenBefore_IsNotStoredAgain_AndGetsTheFirstReceipt()
    {
        var first = Store.WriteUsageBatches([Batch("retry-me", 1, Sample(1, "predictions", 1m))]).ShouldHaveSingleItem();

        // A retry in a later write, and the same key twice in one write: counted once.
        var again = Store.WriteUsageBatches([Batch("retry-me", 1, Sample(1, "predictions", 1m)), Batch("new", 1, Sample(1, "predictions", 4m)), Batch("new", 1, Sample(1, "predictions", 4m))]);

        again[0].ShouldBe(first with { Duplicate = true });
        again[1].Duplicate.ShouldBeFalse();
        again[2].ShouldBe(again[1] with { Duplicate = true });
        Store.QueryUsage(null, null).Sum(s => s.Value).ShouldBe(5m);
        Store.UsageBatchTotals().ShouldBe(new UsageBatchTotals(2, 2));
        Store.FindUsageBatch("retry-me").ShouldBe(first);
        Reader().FindUsageBatch("new")!.BatchId.ShouldBe(again[1].BatchId);
        Store.FindUsageBatch("never-sent").ShouldBeNull();
    }

    [Fact]
    public void UsageImport_OfTheSameMetricAndDays_LeavesPostedBatchesAlone()
    {
        Store.WriteUsageBatches([Batch("k", 1, Sample(1, "gpu_hours", 2m, ("team", "nlp")))]);
        ImportUsage("a.csv", Sample(1, "gpu_hours", 10m, ("team", "nlp")));
        ImportUsage("b.csv", Sample(1, "gpu_hours", 20m, ("team", "nlp")));

        // b.csv re-measured a.csv's day and replaced it; the posted events stay: 20 + 2.
        Store.QueryUsage(null, null).Select(Describe).ShouldBe(["2026-10-01 gpu_hours team=nlp 22"]);
    }
}
