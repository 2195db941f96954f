using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;
using ModelMeter.Store;

namespace ModelMeter.Tests.Support;

/// <summary>
/// A store that hands every call to another: tests derive from it and override only what they change (a gate before
/// a write, a cancellation at the commit), so a member added to <see cref="ICostStore"/> is added here once.
/// </summary>
internal abstract class DelegatingCostStore(ICostStore inner) : ICostStore
{
    protected ICostStore Inner { get; } = inner;

    public virtual ILineItemImportSession BeginLineItemImport(ImportKind kind) => Inner.BeginLineItemImport(kind);

    public virtual ImportRecord? FindImportByContentHash(string sha256) => Inner.FindImportByContentHash(sha256);

    public virtual IReadOnlyList<ImportRecord> ListImports() => Inner.ListImports();

    public virtual IReadOnlyList<CostRow> QueryCosts(CostQuery query) => Inner.QueryCosts(query);

    public virtual (DateTime First, DateTime Last)? ChargeRange() => Inner.ChargeRange();

    public virtual IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query, bool workloadFields = false) => Inner.QueryBilledCostRows(query, workloadFields);

    public virtual IReadOnlyList<TaggedCostRow> QueryTaggedCosts(CostQuery query, bool byAccount, bool byResource) => Inner.QueryTaggedCosts(query, byAccount, byResource);

    public virtual IUsageImportSession BeginUsageImport() => Inner.BeginUsageImport();

    public virtual IReadOnlyList<UsageSample> QueryUsage(DateOnly? firstDay, DateOnly? endDay) => Inner.QueryUsage(firstDay, endDay);

    public virtual ImportRecord ImportExchangeRates(IReadOnlyList<ExchangeRate> rates, ImportedFile file) => Inner.ImportExchangeRates(rates, file);

    public virtual IReadOnlyList<ExchangeRate> ExchangeRates() => Inner.ExchangeRates();

    public virtual bool AddAlertDelivery(AlertDelivery delivery) => Inner.AddAlertDelivery(delivery);

    public virtual bool TryClaimAlertDelivery(string findingKey, string sink, string runId, DateTime now, DateTime staleBefore) => Inner.TryClaimAlertDelivery(findingKey, sink, runId, now, staleBefore);

    public virtual bool CompleteAlertDelivery(string findingKey, string sink, string runId, bool delivered, int attempts, string? failure, DateTime now) => Inner.CompleteAlertDelivery(findingKey, sink, runId, delivered, attempts, failure, now);

    public virtual IReadOnlyList<AlertDelivery> AlertDeliveries() => Inner.AlertDeliveries();

    public virtual bool RecordBudgetPeriod(BudgetPeriodRecord record) => Inner.RecordBudgetPeriod(record);

    public virtual IReadOnlyList<BudgetPeriodRecord> BudgetPeriods(string? budget = null) => Inner.BudgetPeriods(budget);

    public virtual IReadOnlyList<UsageBatchReceipt> WriteUsageBatches(IReadOnlyList<UsageBatch> batches) => Inner.WriteUsageBatches(batches);

    public virtual UsageBatchReceipt? FindUsageBatch(string idempotencyKey) => Inner.FindUsageBatch(idempotencyKey);

    public virtual UsageBatchTotals UsageBatchTotals() => Inner.UsageBatchTotals();

    public virtual ImportRecord ImportRuns(IReadOnlyList<TrackedRun> runs, ImportedFile source) => Inner.ImportRuns(runs, source);

    public virtual IReadOnlyList<StoredRun> QueryRuns(RunQuery query) => Inner.QueryRuns(query);

    public virtual IReadOnlyList<Core.Recommendations.IdleState> IdleStates() => Inner.IdleStates();

    public virtual void SaveIdleStates(IReadOnlyList<Core.Recommendations.IdleState> states, IReadOnlyCollection<string> left) => Inner.SaveIdleStates(states, left);

    public virtual IReadOnlyList<Core.Recommendations.FindingRecord> FindingRecords() => Inner.FindingRecords();

    public virtual void SaveFindingRecords(IReadOnlyList<Core.Recommendations.FindingRecord> records) => Inner.SaveFindingRecords(records);

    public virtual void RecordActionRun(Core.Recommendations.ActionRun run) => Inner.RecordActionRun(run);

    public virtual IReadOnlyList<Core.Recommendations.ActionRun> ActionRuns() => Inner.ActionRuns();

    public virtual IReadOnlyList<ResourceDay> QueryResourceDays(DateTime first, DateTime until) => Inner.QueryResourceDays(first, until);

    public virtual IReadOnlyList<ResourceCharge> QueryResourceCharges(IReadOnlyCollection<string> resourceIds, DateTime first, DateTime until, CostMetric cost) => Inner.QueryResourceCharges(resourceIds, first, until, cost);

    public virtual IUsageImportSession BeginUsageImport(ImportKind kind) => Inner.BeginUsageImport(kind);

    public virtual IReadOnlyList<UsageStatistic> QueryUsageStatistics(UsageStatisticsQuery query) => Inner.QueryUsageStatistics(query);

    public virtual ImportRecord ImportLlmCalls(IReadOnlyList<LlmCall> calls, ImportedFile file) => Inner.ImportLlmCalls(calls, file);

    public virtual IReadOnlyList<LlmUsageRow> QueryLlmUsage(DateTime? first, DateTime? until, IReadOnlyList<string> tagKeys, long? promptAbove = null) => Inner.QueryLlmUsage(first, until, tagKeys, promptAbove);

    public virtual ImportRecord ImportBusinessMetrics(IReadOnlyList<BusinessMetricValue> values, ImportedFile file) => Inner.ImportBusinessMetrics(values, file);

    public virtual IReadOnlyList<BusinessMetricValue> QueryBusinessMetrics(DateOnly? first, DateOnly? until) => Inner.QueryBusinessMetrics(first, until);

    public virtual void RecordEstimate(RecordedEstimate estimate) => Inner.RecordEstimate(estimate);

    public virtual IReadOnlyList<RecordedEstimate> Estimates() => Inner.Estimates();

    public void Dispose()
    {
        Inner.Dispose();
        GC.SuppressFinalize(this);
    }
}
