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
}

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
    RestoredImport Restore(ImportRecord record, Action<ILineItemSink> lineItems, IReadOnlyList<UsageSample> usage, IReadOnlyList<ExchangeRate> rates);
}

/// <summary>What a restore wrote: rows per table and the BilledCost of the line items per currency.</summary>
public sealed record RestoredImport(long ImportId, long LineItems, long UsageSamples, long Rates, IReadOnlyDictionary<string, decimal> BilledTotals);
