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
    /// <see cref="TagConditions"/>); its grouping and grain are ignored.
    /// </summary>
    IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query);

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
}

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
    /// Replaces earlier rows of the same provider, billing account and billing period, records provenance and commits.
    /// Verifies first that the stored totals equal <paramref name="expectedTotals"/> to the last digit, per currency;
    /// when they differ it throws <see cref="InvalidOperationException"/> and writes nothing (dispose the session).
    /// </summary>
    ImportRecord Commit(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals);
}

public sealed record ImportedFile(string Path, string Sha256, long Bytes, long Rows);

/// <summary>Provenance of one import, for <c>modelmeter imports</c>.</summary>
public sealed record ImportRecord(
    long ImportId,
    ImportKind Kind,
    DateTime ImportedAt,
    long Rows,
    long ReplacedRows,
    IReadOnlyList<ImportedFile> Files,
    IReadOnlyList<string> BillingPeriods,
    IReadOnlyDictionary<string, decimal> BilledTotals,
    long? SupersededBy);
