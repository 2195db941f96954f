using System.Globalization;
using DuckDB.NET.Data;
using ModelMeter.Core.Allocation;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// One usage import as one transaction. On commit, an earlier import's samples of the same metric on the days this
/// import covers for that metric are deleted (a re-measured range replaces the old one), and provenance is recorded
/// in <c>imports</c> (kind <see cref="ImportKind.Usage"/>). Disposing without commit rolls everything back.
/// </summary>
internal sealed class DuckDbUsageImportSession : IUsageImportSession
{
    private readonly DuckDbCostStore _store;
    private readonly DuckDBTransaction _transaction;
    private readonly DuckDBCommand _insert;
    private long _rows;
    private bool _done;

    public DuckDbUsageImportSession(DuckDbCostStore store)
    {
        _store = store;
        _transaction = store.Connection.BeginTransaction();
        ImportId = store.NextImportId();

        _insert = store.Command(
            $"INSERT INTO {UsageSamplesTable.Name} VALUES ($id, CAST($period AS DATE), $metric, $value, $keys, $values)",
            ("id", ImportId), ("period", null), ("metric", null), ("value", null), ("keys", null), ("values", null));
    }

    public long ImportId { get; }

    public void Append(UsageSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ObjectDisposedException.ThrowIf(_done, this);
        var dimensions = sample.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        _insert.Parameters["period"].Value = sample.Period.ToDateTime(TimeOnly.MinValue);
        _insert.Parameters["metric"].Value = sample.Metric;
        _insert.Parameters["value"].Value = UsageSamplesTable.ToScale(sample.Value);
        _insert.Parameters["keys"].Value = dimensions.Select(d => d.Key).ToList();
        _insert.Parameters["values"].Value = dimensions.Select(d => d.Value!).ToList();
        _insert.ExecuteNonQuery();
        _rows++;
    }

    public ImportRecord Commit(ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        ObjectDisposedException.ThrowIf(_done, this);
        var id = ("id", (object?)ImportId);

        // What this import covers, per metric: the days from its first to its last sample.
        var periods = _store.Strings(
            $"SELECT metric || ' ' || strftime(min(period), '%Y-%m-%d') || '..' || strftime(max(period), '%Y-%m-%d') FROM {UsageSamplesTable.Name} WHERE import_id = $id GROUP BY metric ORDER BY 1", id);

        // A re-measured range replaces the old samples of the same metric on those days.
        var replaced = _store.Execute(
            $"""
            DELETE FROM {UsageSamplesTable.Name} AS old
            WHERE old.import_id <> $id AND old.import_id <> {UsageSamplesTable.PostedImportId}
              AND EXISTS (
                SELECT 1 FROM (SELECT metric, min(period) AS first, max(period) AS last FROM {UsageSamplesTable.Name} WHERE import_id = $id GROUP BY metric) AS n
                WHERE n.metric = old.metric AND old.period BETWEEN n.first AND n.last)
            """, id);
        if (replaced > 0)
        {
            _store.SupersedeEmptiedImports(ImportId, ImportKind.Usage, UsageSamplesTable.Name);
        }

        var now = _store.UtcNow;
        _store.RecordImport(ImportId, ImportKind.Usage, now, _rows, replaced, periods, [file]);
        _transaction.Commit();
        _done = true;
        return new ImportRecord(ImportId, ImportKind.Usage, now, _rows, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
    }

    public void Dispose()
    {
        _insert.Dispose();
        if (!_done)
        {
            _done = true;
            _transaction.Rollback();
        }

        _transaction.Dispose();
    }
}
