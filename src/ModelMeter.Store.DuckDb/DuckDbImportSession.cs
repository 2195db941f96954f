using System.Globalization;
using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// One import as one transaction: rows are appended under a new import id, then on commit the rows of restated
/// billing periods are deleted and provenance is written. A failure at any point (bad rows, a crash, Ctrl-C) rolls
/// everything back, leaving the store exactly as it was.
/// </summary>
internal sealed class DuckDbImportSession : ILineItemImportSession, IColumnarFactSink
{
    /// <summary>
    /// How many full row groups (122,880 rows each) DuckDB keeps of a table the import appends to before it compresses and
    /// writes them (its default: 5). Compressing five at once, on the appending thread, stopped the writer for up to a
    /// second in mid-import while the parsing thread, its hand-over full, waited; and what was left (up to five groups of
    /// each table) was compressed in the commit with one core idle. A group at a time keeps both threads busy and leaves
    /// one partial group a table for the commit: the wide 1M-row bench file 10.1-10.2 s -> 9.7-9.9 s (three pairs), the
    /// store the same size (BENCHMARKS.md, issue 9).
    /// </summary>
    internal const int WriteBufferRowGroups = 1;

    /// <summary>Up to a description for this many rows, an import's totals are summed per descriptor first.</summary>
    internal const int RowsPerDescriptorToSumByDescriptor = 8;

    /// <summary>The sums of absolute amounts of <see cref="StoreTotalsLimit.Columns"/>, as floats, the last columns of a query grouped by currency.</summary>
    private static readonly string AbsoluteSums = string.Join(", ", StoreTotalsLimit.Columns.Select(c => $"CAST(coalesce(sum(abs({c})), 0) AS DOUBLE)"));

    /// <summary>
    /// One import's BilledCost sum per currency as DuckDB's exact text, then its <see cref="AbsoluteSums"/>, for an import
    /// of few descriptions: the facts are summed per descriptor first and only those sums joined to the currency. Joined
    /// row by row through the view (<see cref="ImportTotalsByRow"/>), DuckDB built its hash table over the million facts of
    /// an uncommitted import, which it has no statistics of yet, not over the few thousand descriptors (191 ms of a 1M-row
    /// Parquet import's commit, against 60-70 ms summed first). With a description per row, summing per descriptor is a
    /// million groups: the wide bench file's 0.3-0.4 s by row took 0.72 s that way.
    /// </summary>
    private static readonly string ImportTotalsByDescriptor =
        $"""
        SELECT c.BillingCurrency, CAST(coalesce(sum(f.BilledCost), 0) AS VARCHAR), {string.Join(", ", StoreTotalsLimit.Columns.Select(c => $"CAST(coalesce(sum(f.abs_{c}), 0) AS DOUBLE)"))}
        FROM (SELECT {LineItemsTable.DescriptorIdColumn}, sum(BilledCost) AS BilledCost, {string.Join(", ", StoreTotalsLimit.Columns.Select(c => $"sum(abs({c})) AS abs_{c}"))}
              FROM {LineItemsTable.FactsTable} WHERE import_id = $id GROUP BY 1) AS f
        JOIN {LineItemsTable.DescriptorsTable} AS d ON d.{LineItemsTable.DescriptorIdColumn} = f.{LineItemsTable.DescriptorIdColumn}
        JOIN {LineItemsTable.ContextsTable} AS c ON c.{LineItemsTable.ContextIdColumn} = d.{LineItemsTable.ContextIdColumn}
        GROUP BY 1
        """;

    /// <summary>The same sums as <see cref="ImportTotalsByDescriptor"/>, read row by row through the view.</summary>
    private static readonly string ImportTotalsByRow =
        $"SELECT BillingCurrency, CAST(coalesce(sum(BilledCost), 0) AS VARCHAR), {AbsoluteSums} FROM {LineItemsTable.Name} WHERE import_id = $id GROUP BY 1";

    private readonly DuckDbCostStore _store;
    private readonly ImportKind _kind;
    private readonly DuckDBTransaction _transaction;
    private readonly TagSets _tagSets;
    private ChunkWriter? _writer;
    private bool _done;

    public DuckDbImportSession(DuckDbCostStore store, ImportKind kind)
    {
        _store = store;
        _kind = kind;
        store.Execute($"SET memory_limit = '{DuckDbCostStore.ImportMemoryLimit}'");
        store.Execute($"SET write_buffer_row_group_count = {WriteBufferRowGroups}");
        _transaction = store.Connection.BeginTransaction();
        ImportId = store.NextImportId();

        _tagSets = TagSets.Load(store);
        _writer = new ChunkWriter(store, _tagSets, ImportId);
    }

    public long ImportId { get; }

    public void Append(LineItemRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var writer = _writer ?? throw new InvalidOperationException("The import session is closed.");
        try
        {
            writer.Append(row);
        }
        catch (DuckDBException e)
        {
            throw StoreErrors.Writing(_store.Path, e);
        }
    }

    public long AppendFacts(ColumnarFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var writer = _writer ?? throw new InvalidOperationException("The import session is closed.");
        try
        {
            return writer.AppendFacts(facts);
        }
        catch (DuckDBException e)
        {
            throw StoreErrors.Writing(_store.Path, e);
        }
    }

    public ImportRecord Commit(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals, string? mapping = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(expectedTotals);
        try
        {
            return CommitSteps(files, expectedTotals, mapping, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw StoreErrors.Writing(_store.Path, e);
        }
    }

    private ImportRecord CommitSteps(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals, string? mapping, CancellationToken cancellationToken)
    {
        var rows = _writer?.Rows ?? 0;
        var descriptors = _writer?.DescriptorsAdded ?? 0;
        _writer?.Close();
        _writer?.Dispose();
        _writer = null;
        cancellationToken.ThrowIfCancellationRequested();
        _tagSets.SaveNew();
        var id = ("id", (object?)ImportId);

        // The store must hold exactly what the files said, to the last digit, before anything is replaced. The sums are
        // compared as DuckDB's exact text, never through a decimal conversion that could round them to look equal.
        // The same reading of the import's rows gives their part of the store's totals limit (CheckStoreTotalsFit).
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        var absoluteSums = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var byDescriptor = descriptors * RowsPerDescriptorToSumByDescriptor <= rows;
        using (var command = _store.Command(byDescriptor ? ImportTotalsByDescriptor : ImportTotalsByRow, id))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored[reader.GetString(0)] = ExactText(reader.GetString(1));
                AddAbsoluteSums(absoluteSums, reader);
            }
        }

        if (stored.Count != expectedTotals.Count
            || stored.Any(s => !expectedTotals.TryGetValue(s.Key, out var e) || ExactText(e.ToString(CultureInfo.InvariantCulture)) != s.Value))
        {
            throw new InvalidOperationException(
                $"Import {ImportId}: stored totals ({string.Join(", ", stored.Select(t => $"{t.Value} {t.Key}"))}) differ from the files' totals ({Describe(expectedTotals)}); nothing was written.");
        }

        cancellationToken.ThrowIfCancellationRequested();

        // The billing periods are a context's columns, and every context of this import was written for a row of it (and
        // none of its rows is replaced below), so its contexts name its periods: read from a few hundred contexts, not
        // from every row through the view (0.2 to 0.3 s a million rows).
        var periods = _store.Strings(
            $"SELECT DISTINCT strftime(BillingPeriodStart, '%Y-%m-%d') || '..' || strftime(BillingPeriodEnd, '%Y-%m-%d') FROM {LineItemsTable.ContextsTable} WHERE import_id = $id ORDER BY 1", id);

        // Providers restate bills: a new export of a provider's billing period for an account replaces the old one. The
        // three columns are a row's context's, so every fact of a replaced context's descriptors goes, then the
        // descriptors, then the context.
        const string Restated = $"""
            SELECT c.{LineItemsTable.ContextIdColumn} FROM {LineItemsTable.ContextsTable} AS c
            WHERE c.import_id <> $id
              AND EXISTS (
                SELECT 1 FROM (SELECT DISTINCT ProviderName, BillingAccountId, BillingPeriodStart FROM {LineItemsTable.ContextsTable} WHERE import_id = $id) AS n
                WHERE n.ProviderName IS NOT DISTINCT FROM c.ProviderName
                  AND n.BillingAccountId IS NOT DISTINCT FROM c.BillingAccountId
                  AND n.BillingPeriodStart = c.BillingPeriodStart)
            """;
        const string RestatedDescriptors = $"""
            SELECT {LineItemsTable.DescriptorIdColumn} FROM {LineItemsTable.DescriptorsTable} WHERE {LineItemsTable.ContextIdColumn} IN ({Restated})
            """;
        var replaced = _store.Execute(
            $"DELETE FROM {LineItemsTable.FactsTable} WHERE import_id <> $id AND {LineItemsTable.DescriptorIdColumn} IN ({RestatedDescriptors})", id);
        _store.Execute($"DELETE FROM {LineItemsTable.DescriptorsTable} WHERE {LineItemsTable.ContextIdColumn} IN ({Restated})", id);
        _store.Execute($"DELETE FROM {LineItemsTable.ContextsTable} WHERE {LineItemsTable.ContextIdColumn} IN ({Restated})", id);
        if (replaced > 0)
        {
            _store.SupersedeEmptiedImports(ImportId, _kind, LineItemsTable.FactsTable);
        }

        // Every sum a report takes of the store must fit DECIMAL(38,18) (StoreTotalsLimit), this import included.
        CheckStoreTotalsFit(absoluteSums);

        var now = _store.UtcNow;
        _store.RecordImport(ImportId, _kind, now, rows, replaced, periods, files, mapping);
        // The recorded totals are the stored rows' own sums, read above as DuckDB's exact text of them (the rows have not
        // changed since: the replacement deletes only other imports' rows), so they agree with them digit for digit.
        foreach (var (currency, total) in stored)
        {
            _store.Execute($"INSERT INTO import_totals VALUES ($id, $currency, CAST($total AS {LineItemsTable.MoneyType}))", id, ("currency", currency), ("total", total));
        }

        // The last moment a Ctrl-C rolls everything back; after the commit the import stands, and the caller says so.
        cancellationToken.ThrowIfCancellationRequested();
        _transaction.Commit();
        _done = true;
        var totals = stored.ToDictionary(t => t.Key, t => decimal.Parse(t.Value, NumberStyles.Number, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new ImportRecord(ImportId, _kind, now, rows, replaced, files, periods, totals, null, mapping);
    }

    /// <summary>
    /// Checks the store's sums of absolute amounts per currency and column, this import's rows (<paramref name="imported"/>,
    /// read with its stored totals) and the others' (read here, after the replacement) apart, each summed exactly in
    /// DECIMAL(38,18) and only then turned into a float. Apart, neither can overflow: the rows already stored kept the limit
    /// when they were imported, and the importer refused this import's rows if they alone reach 10^20. (A float cast of
    /// every amount, the bound computed before, cost 0.6 s a million rows: DuckDB divides each 128-bit value by 10^18 to
    /// make it a float. Reading the import's rows a second time for this took 130 to 180 ms of a 1M-row commit; the
    /// others' rows, none in a new store, are skipped by DuckDB's row-group statistics on import_id.)
    /// </summary>
    private void CheckStoreTotalsFit(Dictionary<string, double[]> imported)
    {
        var totals = imported.ToDictionary(t => t.Key, t => (double[])t.Value.Clone(), StringComparer.Ordinal);
        using (var command = _store.Command($"SELECT BillingCurrency, {AbsoluteSums} FROM {LineItemsTable.Name} WHERE import_id <> $id GROUP BY 1", ("id", (object?)ImportId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                AddAbsoluteSums(totals, reader);
            }
        }

        var columns = StoreTotalsLimit.Columns;
        foreach (var (currency, sum) in totals)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                StoreTotalsLimit.Check(currency, columns[i], sum[i]);
            }
        }
    }

    /// <summary>Adds a row's <see cref="AbsoluteSums"/> (its first column the currency) to its currency's.</summary>
    private static void AddAbsoluteSums(Dictionary<string, double[]> totals, System.Data.Common.DbDataReader reader)
    {
        var columns = StoreTotalsLimit.Columns.Count;
        var currency = reader.GetString(0);
        if (!totals.TryGetValue(currency, out var sum))
        {
            totals[currency] = sum = new double[columns];
        }

        var first = reader.FieldCount - columns;
        for (var i = 0; i < columns; i++)
        {
            sum[i] += reader.GetDouble(first + i);
        }
    }

    /// <summary>A decimal's text without trailing zeros (54411.050000000000000000 is 54411.05; -0 is 0).</summary>
    private static string ExactText(string text)
    {
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text is "-0" or "" ? "0" : text;
    }

    public void Dispose()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (DuckDBException) when (!_done)
        {
            // The import is being abandoned (often because writing failed: a full disk); an error closing its appender
            // must not hide the error that abandoned it. The transaction is rolled back below.
        }
        finally
        {
            _writer = null;
            _tagSets.Dispose();
            if (!_done)
            {
                try
                {
                    _transaction.Rollback();
                }
                catch (Exception e) when (e is DuckDBException or InvalidOperationException)
                {
                    // A failed commit (a full disk) has already ended the transaction: rolling back again would only hide why.
                }
            }

            try
            {
                _transaction.Dispose();
            }
            catch (DuckDBException) when (!_done)
            {
                // As above: after a fatal write error DuckDB refuses even to close the transaction; the cause is already on its way up.
            }

            try
            {
                _store.Execute($"SET memory_limit = '{DuckDbCostStore.MemoryLimit}'");
                _store.Execute("RESET write_buffer_row_group_count");
                _store.Execute("RESET preserve_insertion_order"); // in case a columnar insert failed (ChunkWriter.AppendFacts)
                _store.ResetCompression();
            }
            catch (DuckDBException) when (!_done)
            {
                // As above: a store that failed fatally is closed by the caller next; the limit no longer matters.
            }
        }
    }

    private static string Describe(IReadOnlyDictionary<string, decimal> totals) =>
        totals.Count == 0 ? "none" : string.Join(", ", totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value} {t.Key}")));
}
