using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store;

/// <summary>
/// The query layer every surface reads through. Aggregation happens in the engine; what comes back are cost pools
/// at the grain asked for (thousands of rows), never the millions of line items. Every implementation passes the
/// store contract suite (tests/ModelMeter.Store.Tests/Contract), which is the precise statement of this interface.
/// </summary>
public partial interface ICostStore : IDisposable
{
    /// <summary>Starts an all-or-nothing import. Nothing is visible to readers until <see cref="ILineItemImportSession.Commit"/>.</summary>
    ILineItemImportSession BeginLineItemImport(ImportKind kind);

    /// <summary>The live (not superseded) import that recorded a file with this SHA-256, if any.</summary>
    ImportRecord? FindImportByContentHash(string sha256);

    /// <summary>Every import of every kind, superseded ones included, in the order they were made.</summary>
    IReadOnlyList<ImportRecord> ListImports();

    /// <summary>
    /// One row per period (UTC, weeks as <see cref="Core.Reporting.TimeBuckets"/> cuts them, in order) × FOCUS column
    /// values × currency, filtered by the query's period and column conditions: amounts in different currencies are never
    /// added, and a missing column value reads <c>(none)</c>. Tags are not read here: a tag's key and value mean what the
    /// tag policy says, so tag dimensions and conditions go through the application's policy-aware query over
    /// <see cref="QueryTaggedCosts"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The query groups or filters by a tag.</exception>
    IReadOnlyList<CostRow> QueryCosts(CostQuery query);

    /// <summary>The first ChargePeriodStart and last ChargePeriodEnd in the store, or null when it holds no line items.</summary>
    (DateTime First, DateTime Last)? ChargeRange();

    /// <summary>
    /// The billing aggregates attribution and allocation work on: one row per UTC day × currency × service × resource ×
    /// account × provider allocation columns × raw tag map, with <see cref="CostQuery.Cost"/> summed. Honours the
    /// query's period and column filters (tag conditions are the caller's, after the policy: see
    /// <see cref="TagConditions"/>); its grouping and grain are ignored. With <paramref name="workloadFields"/>, the
    /// groups are also by the columns the workload category rules read (<see cref="BilledWorkloadFields"/>: provider,
    /// service category, resource type, SKU, usage type, charge description) and carry them, so the allocated view
    /// can classify; without, <see cref="BilledCostRow.Workload"/> is null.
    /// </summary>
    IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query, bool workloadFields = false);

    /// <summary>
    /// Costs grouped by the query's period and dimensions (which must not be tags) and by raw tag set, and by account
    /// and resource when asked (a policy that inherits tags from them needs them): the input of a tag report under a
    /// configured tag policy. Rows with the same tag set share one map. A tag dimension (in grouping or filters) is an
    /// <see cref="ArgumentException"/>.
    /// </summary>
    IReadOnlyList<TaggedCostRow> QueryTaggedCosts(CostQuery query, bool byAccount, bool byResource);

    /// <summary>Starts an all-or-nothing usage import (<c>modelmeter import usage</c>).</summary>
    IUsageImportSession BeginUsageImport();

    /// <summary>
    /// Usage samples of the days in [<paramref name="firstDay"/>, <paramref name="endDay"/>), summed per day, metric and
    /// dimension values. Dimension keys and values are as imported (raw); the tag policy normalises them.
    /// </summary>
    IReadOnlyList<UsageSample> QueryUsage(DateOnly? firstDay, DateOnly? endDay);

    /// <summary>
    /// Stores a rate table in one transaction (<c>modelmeter import rates</c>): a rate of a pair and day already stored
    /// is replaced by the new one; provenance is recorded as an import of kind <see cref="ImportKind.Rates"/>.
    /// </summary>
    ImportRecord ImportExchangeRates(IReadOnlyList<ExchangeRate> rates, ImportedFile file);

    /// <summary>Every stored exchange rate.</summary>
    IReadOnlyList<ExchangeRate> ExchangeRates();

    /// <summary>
    /// Records a finding to deliver to a sink, as <see cref="AlertDeliveryStatus.Pending"/> with no attempts: true when it
    /// is new, false when the same finding key and sink are already recorded (by this run or any other, in any status),
    /// which is left unchanged. Safe when two runs record the same delivery at once: exactly one gets true.
    /// </summary>
    bool AddAlertDelivery(AlertDelivery delivery);

    /// <summary>
    /// Claims a delivery for <paramref name="runId"/> to send: true when it was pending or failed, or claimed by a run
    /// before <paramref name="staleBefore"/> (which died sending); it is then <see cref="AlertDeliveryStatus.Sending"/>,
    /// claimed by the run at <paramref name="now"/>. False when it is sent, claimed by a live run, or unknown. When two
    /// runs claim the same delivery at once, at most one gets true.
    /// </summary>
    bool TryClaimAlertDelivery(string findingKey, string sink, string runId, DateTime now, DateTime staleBefore);

    /// <summary>
    /// Ends the run's claim: <see cref="AlertDeliveryStatus.Sent"/> (with <paramref name="now"/> as the sent time) or
    /// <see cref="AlertDeliveryStatus.Failed"/> with <paramref name="failure"/>; the attempts grow by <paramref name="attempts"/>. A
    /// delivery the run does not hold the claim of is left unchanged (false).
    /// </summary>
    bool CompleteAlertDelivery(string findingKey, string sink, string runId, bool delivered, int attempts, string? failure, DateTime now);

    /// <summary>Every recorded delivery, oldest first (then by finding key and sink).</summary>
    IReadOnlyList<AlertDelivery> AlertDeliveries();

    /// <summary>Keeps a budget's closed period: true when recorded, false when that budget and period already are (left unchanged).</summary>
    bool RecordBudgetPeriod(BudgetPeriodRecord record);

    /// <summary>The kept periods of one budget (or of all when null), by budget then period start.</summary>
    IReadOnlyList<BudgetPeriodRecord> BudgetPeriods(string? budget = null);

    /// <summary>
    /// Stores posted usage batches (<c>POST /api/v1/usage</c>) in one transaction: each batch's samples join the usage
    /// samples allocation reads, and the batch is recorded with its idempotency key. A batch whose key was stored
    /// before (by an earlier call, or earlier in the same list) is not stored again: its receipt is the first one's,
    /// marked <see cref="UsageBatchReceipt.Duplicate"/>. Receipts come back in the order of <paramref name="batches"/>.
    /// Posted samples are never replaced by a later <see cref="BeginUsageImport"/> of the same metric and days.
    /// </summary>
    IReadOnlyList<UsageBatchReceipt> WriteUsageBatches(IReadOnlyList<UsageBatch> batches);

    /// <summary>The stored batch with this idempotency key, if any.</summary>
    UsageBatchReceipt? FindUsageBatch(string idempotencyKey);

    /// <summary>Batches and events stored through <see cref="WriteUsageBatches"/>, for checking what was sent against what was kept.</summary>
    UsageBatchTotals UsageBatchTotals();
}

/// <summary>A usage batch to store: its events summed per day, metric and dimensions.</summary>
/// <param name="IdempotencyKey">The sender's key for the batch (a retry sends the same one), or null.</param>
/// <param name="BodySha256">The batch's content hash: a key reused for other content is the sender's mistake.</param>
/// <param name="Team">The team of the key that sent it, or null.</param>
/// <param name="Events">How many events the batch held.</param>
public sealed record UsageBatch(string? IdempotencyKey, string BodySha256, string? Team, long Events, IReadOnlyList<UsageSample> Samples);

/// <summary>What the store recorded for a batch.</summary>
/// <param name="Duplicate">The key was stored before; nothing was written this time.</param>
public sealed record UsageBatchReceipt(long BatchId, string? IdempotencyKey, string BodySha256, long Events, DateTime ReceivedAt, bool Duplicate);

public sealed record UsageBatchTotals(long Batches, long Events);

/// <summary>
/// A usage import in progress. On commit, samples of an earlier import with the same metric and days inside the new
/// import's day range for that metric are replaced; disposing without commit leaves the store as it was.
/// </summary>
public interface IUsageImportSession : IDisposable
{
    long ImportId { get; }

    void Append(UsageSample sample);

    ImportRecord Commit(ImportedFile file);
}

/// <summary>An import in progress: rows go in, then it either commits (replacing restated periods) or rolls back on dispose.</summary>
public interface ILineItemImportSession : ILineItemSink, IDisposable
{
    long ImportId { get; }

    /// <summary>
    /// Replaces earlier rows of the same provider, billing account and billing period (whatever kind of import wrote
    /// them: a FOCUS export and a provider's own export of the same bill replace each other), records provenance and
    /// commits. Verifies first that the stored totals equal <paramref name="expectedTotals"/> to the last digit, per
    /// currency; when they differ it throws <see cref="InvalidOperationException"/> and writes nothing (dispose the session).
    /// </summary>
    /// <param name="files">The files read, with their fingerprints.</param>
    /// <param name="expectedTotals">The BilledCost the reader summed, per currency.</param>
    /// <param name="mapping">
    /// For a provider's own export mapped onto FOCUS, the mapping that produced the rows (<c>aws-cur/1</c>), kept with the
    /// import so rows mapped by different rules can be told apart; null for FOCUS files, which need no mapping.
    /// </param>
    /// <param name="cancellationToken">
    /// Stops the commit with <see cref="OperationCanceledException"/> (nothing written) when cancelled before the
    /// transaction commits; a store checks it between its steps, up to the commit itself.
    /// </param>
    ImportRecord Commit(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals, string? mapping = null, CancellationToken cancellationToken = default);
}

public sealed record ImportedFile(string Path, string Sha256, long Bytes, long Rows);

/// <summary>Provenance of one import, for <c>modelmeter imports</c>.</summary>
/// <param name="Mapping">The mapping onto FOCUS a provider's own export went through (<c>aws-cur/1</c>), or null.</param>
public sealed record ImportRecord(
    long ImportId,
    ImportKind Kind,
    DateTime ImportedAt,
    long Rows,
    long ReplacedRows,
    IReadOnlyList<ImportedFile> Files,
    IReadOnlyList<string> BillingPeriods,
    IReadOnlyDictionary<string, decimal> BilledTotals,
    long? SupersededBy,
    string? Mapping = null);
