using System.Globalization;
using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// One import as one transaction: rows are appended under a new import id, then on commit the rows of restated
/// billing periods are deleted and provenance is written. A failure at any point (bad rows, a crash, Ctrl-C) rolls
/// everything back, leaving the store exactly as it was.
/// </summary>
internal sealed class DuckDbImportSession : ILineItemImportSession
{
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
        _transaction = store.Connection.BeginTransaction();
        ImportId = store.NextImportId();

        _tagSets = TagSets.Load(store);
        _writer = new ChunkWriter(store.Connection, LineItemsTable.Name, _tagSets);
    }

    public long ImportId { get; }

    public void Append(LineItemRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var writer = _writer ?? throw new InvalidOperationException("The import session is closed.");
        writer.Append(ImportId, row);
    }

    public ImportRecord Commit(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals, string? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(expectedTotals);
        var rows = _writer?.Rows ?? 0;
        _writer?.Close();
        _writer?.Dispose();
        _writer = null;
        _tagSets.SaveNew(_store.Connection);
        var id = ("id", (object?)ImportId);

        // The store must hold exactly what the files said, to the last digit, before anything is replaced.
        var stored = new Dictionary<string, decimal>(StringComparer.Ordinal);
        using (var command = _store.Command($"SELECT BillingCurrency, coalesce(sum(BilledCost), 0) FROM {LineItemsTable.Name} WHERE import_id = $id GROUP BY 1", id))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored[reader.GetString(0)] = reader.GetDecimal(1);
            }
        }

        if (stored.Count != expectedTotals.Count || stored.Any(s => !expectedTotals.TryGetValue(s.Key, out var e) || e != s.Value))
        {
            throw new InvalidOperationException(
                $"Import {ImportId}: stored totals ({Describe(stored)}) differ from the files' totals ({Describe(expectedTotals)}); nothing was written.");
        }

        var periods = _store.Strings(
            $"SELECT DISTINCT strftime(BillingPeriodStart, '%Y-%m-%d') || '..' || strftime(BillingPeriodEnd, '%Y-%m-%d') FROM {LineItemsTable.Name} WHERE import_id = $id ORDER BY 1", id);

        // Providers restate bills: a new export of a provider's billing period for an account replaces the old one.
        var replaced = _store.Execute(
            $"""
            DELETE FROM {LineItemsTable.Name} AS old
            WHERE old.import_id <> $id
              AND EXISTS (
                SELECT 1 FROM (SELECT DISTINCT ProviderName, BillingAccountId, BillingPeriodStart FROM {LineItemsTable.Name} WHERE import_id = $id) AS n
                WHERE n.ProviderName IS NOT DISTINCT FROM old.ProviderName
                  AND n.BillingAccountId IS NOT DISTINCT FROM old.BillingAccountId
                  AND n.BillingPeriodStart = old.BillingPeriodStart)
            """, id);
        if (replaced > 0)
        {
            _store.SupersedeEmptiedImports(ImportId, _kind, LineItemsTable.Name);
        }

        var now = _store.UtcNow;
        _store.RecordImport(ImportId, _kind, now, rows, replaced, periods, files, mapping);
        foreach (var (currency, total) in stored)
        {
            _store.Execute("INSERT INTO import_totals VALUES ($id, $c, $t)", id, ("c", currency), ("t", total));
        }

        _transaction.Commit();
        _done = true;
        return new ImportRecord(ImportId, _kind, now, rows, replaced, files, periods, stored, null, mapping);
    }

    public void Dispose()
    {
        try
        {
            _writer?.Dispose();
        }
        finally
        {
            _writer = null;
            if (!_done)
            {
                _transaction.Rollback();
            }

            _transaction.Dispose();
        }
    }

    private static string Describe(IReadOnlyDictionary<string, decimal> totals) =>
        totals.Count == 0 ? "none" : string.Join(", ", totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value} {t.Key}")));
}
