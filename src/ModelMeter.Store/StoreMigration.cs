using ModelMeter.Core.Allocation;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Store;

/// <summary>
/// A store whose content can be read back import by import, as it holds it now (<c>modelmeter migrate</c> copies a
/// store this way): the rows each import still has after the replacements that followed it.
/// </summary>
public interface ICostStoreExport
{
    /// <summary>The import's live line items, handed to <paramref name="sink"/> as a reader would hand them.</summary>
    void ExportLineItems(long importId, ILineItemSink sink);

    /// <summary>The import's live usage samples, one per stored row (not summed).</summary>
    IReadOnlyList<UsageSample> ExportUsage(long importId);

    /// <summary>The import's live exchange rates.</summary>
    IReadOnlyList<ExchangeRate> ExportRates(long importId);

    /// <summary>What an MLflow, LLM-usage or metrics import still holds: its runs, calls and business metric values.</summary>
    ImportContents ExportContents(long importId);

    /// <summary>What the store keeps outside imports: alert deliveries, budget periods, estimates, posted usage batches.</summary>
    StoreState ExportState();
}

/// <summary>The rows of an import beside line items, usage and rates (empty for a bill).</summary>
public sealed record ImportContents(IReadOnlyList<Core.Runs.TrackedRun> Runs, IReadOnlyList<LlmCall> LlmCalls, IReadOnlyList<BusinessMetricValue> BusinessMetrics)
{
    public static ImportContents Empty { get; } = new([], [], []);
}

/// <summary>A posted usage batch as stored: its receipt and the team of the key that sent it.</summary>
public sealed record PostedUsageBatch(UsageBatchReceipt Receipt, string? Team);

/// <summary>
/// A store's state outside imports. <see cref="PostedSamples"/> are the usage samples posted batches wrote (summed per
/// write, as stored), which count once <see cref="UsageBatches"/> are in.
/// </summary>
public sealed record StoreState(
    IReadOnlyList<AlertDelivery> AlertDeliveries,
    IReadOnlyList<BudgetPeriodRecord> BudgetPeriods,
    IReadOnlyList<RecordedEstimate> Estimates,
    IReadOnlyList<PostedUsageBatch> UsageBatches,
    IReadOnlyList<UsageSample> PostedSamples);

/// <summary>
/// A store that can take an import as another store recorded it: the same id, kind, time and provenance (superseded
/// or not), with the rows that import still holds. Nothing is replaced (the source already did its replacing).
/// </summary>
public interface ICostStoreRestore
{
    /// <summary>
    /// Writes the import all-or-nothing and returns the rows it wrote. The store checks that it holds exactly the rows and
    /// BilledCost sums it was given, to the last digit, before the import becomes visible.
    /// </summary>
    /// <param name="record">The import as the source lists it.</param>
    /// <param name="lineItems">Writes its line items into the sink it is given.</param>
    /// <param name="usage">Its usage samples.</param>
    /// <param name="rates">Its exchange rates.</param>
    /// <param name="contents">Its runs, LLM calls and business metric values.</param>
    RestoredImport Restore(ImportRecord record, Action<ILineItemSink> lineItems, IReadOnlyList<UsageSample> usage, IReadOnlyList<ExchangeRate> rates, ImportContents contents);

    /// <summary>
    /// Writes the state another store keeps outside imports, as it is there (a delivery's status and attempts, a batch's
    /// id and receipt); what the target already holds under the same key is left as it is, so a second run resumes.
    /// </summary>
    void RestoreState(StoreState state);
}

/// <summary>What a restore wrote: rows per table and the BilledCost of the line items per currency.</summary>
public sealed record RestoredImport(long ImportId, long LineItems, long UsageSamples, long Rates, IReadOnlyDictionary<string, decimal> BilledTotals);
