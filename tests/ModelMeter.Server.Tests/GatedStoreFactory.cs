using ModelMeter.Application.Stores;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Server.Tests;

/// <summary>The real store factory, whose stores' usage writes wait for a gate: a writer flooded for as long as a test wants.</summary>
internal sealed class GatedStoreFactory(ICostStoreFactory inner, ManualResetEventSlim gate) : ICostStoreFactory
{
    public StoreLocation Locate(ModelMeter.Core.Configuration.ModelMeterConfig config, string? storeOption) => inner.Locate(config, storeOption);

    public bool Exists(StoreLocation location) => inner.Exists(location);

    public ICostStore Open(StoreLocation location, StoreAccess access) => new GatedStore(inner.Open(location, access), gate);

    public void Discard(StoreLocation location) => inner.Discard(location);

    private sealed class GatedStore(ICostStore inner, ManualResetEventSlim gate) : ICostStore
    {
        public IReadOnlyList<UsageBatchReceipt> WriteUsageBatches(IReadOnlyList<UsageBatch> batches)
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return inner.WriteUsageBatches(batches);
        }

        public ILineItemImportSession BeginLineItemImport(ImportKind kind) => inner.BeginLineItemImport(kind);

        public ImportRecord? FindImportByContentHash(string sha256) => inner.FindImportByContentHash(sha256);

        public IReadOnlyList<ImportRecord> ListImports() => inner.ListImports();

        public IReadOnlyList<CostRow> QueryCosts(CostQuery query) => inner.QueryCosts(query);

        public (DateTime First, DateTime Last)? ChargeRange() => inner.ChargeRange();

        public IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query) => inner.QueryBilledCostRows(query);

        public IReadOnlyList<TaggedCostRow> QueryTaggedCosts(CostQuery query, bool byAccount, bool byResource) => inner.QueryTaggedCosts(query, byAccount, byResource);

        public IUsageImportSession BeginUsageImport() => inner.BeginUsageImport();

        public IReadOnlyList<UsageSample> QueryUsage(DateOnly? firstDay, DateOnly? endDay) => inner.QueryUsage(firstDay, endDay);

        public ImportRecord ImportExchangeRates(IReadOnlyList<ExchangeRate> rates, ImportedFile file) => inner.ImportExchangeRates(rates, file);

        public IReadOnlyList<ExchangeRate> ExchangeRates() => inner.ExchangeRates();

        public UsageBatchReceipt? FindUsageBatch(string idempotencyKey) => inner.FindUsageBatch(idempotencyKey);

        public UsageBatchTotals UsageBatchTotals() => inner.UsageBatchTotals();

        public bool AddAlertDelivery(AlertDelivery delivery) => inner.AddAlertDelivery(delivery);

        public bool TryClaimAlertDelivery(string findingKey, string sink, string runId, DateTime now, DateTime staleBefore) => inner.TryClaimAlertDelivery(findingKey, sink, runId, now, staleBefore);

        public bool CompleteAlertDelivery(string findingKey, string sink, string runId, bool delivered, int attempts, string? failure, DateTime now) =>
            inner.CompleteAlertDelivery(findingKey, sink, runId, delivered, attempts, failure, now);

        public IReadOnlyList<AlertDelivery> AlertDeliveries() => inner.AlertDeliveries();

        public bool RecordBudgetPeriod(BudgetPeriodRecord record) => inner.RecordBudgetPeriod(record);

        public IReadOnlyList<BudgetPeriodRecord> BudgetPeriods(string? budget = null) => inner.BudgetPeriods(budget);

        public void Dispose() => inner.Dispose();
    }
}
