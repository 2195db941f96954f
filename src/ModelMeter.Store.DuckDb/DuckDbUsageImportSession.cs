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
    private readonly ImportKind _kind;
    private DuckDBAppender? _appender;
    private long _rows;
    private bool _done;
    private IReadOnlyDictionary<string, string?>? _lastDimensions;
    private (List<string> Keys, List<string> Values) _lastLists;

    public DuckDbUsageImportSession(DuckDbCostStore store, ImportKind kind)
    {
        _store = store;
        _kind = kind;
        _transaction = store.Connection.BeginTransaction();
        ImportId = store.NextImportId();

        // The appender writes inside the open transaction: hourly series run to tens of thousands of samples, which
        // one INSERT each would take seconds to write.
        _appender = store.Connection.CreateAppender(UsageSamplesTable.Name);
    }

    public long ImportId { get; }

    public void Append(UsageSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ObjectDisposedException.ThrowIf(_done, this);
        var (keys, values) = Lists(sample.Dimensions);
        var row = _appender!.CreateRow()
            .AppendValue(ImportId)
            .AppendValue(sample.Period)
            .AppendValue(sample.Metric)
            .AppendValue(UsageSamplesTable.ToScale(sample.Value))
            .AppendValue(keys)
            .AppendValue(values);
        if (sample.Start is { } start)
        {
            row.AppendValue(DateTime.SpecifyKind(start, DateTimeKind.Unspecified)).EndRow();
        }
        else
        {
            row.AppendNullValue().EndRow();
        }

        _rows++;
    }

    /// <summary>
    /// A sample's dimensions as the stored key and value lists: the keys in ordinal order, those without a value left
    /// out. The lists of the last dimension set are reused when the next sample has the same one (a window spread over
    /// its days, or the same team and model on consecutive lines), which a million-line import repeats constantly.
    /// </summary>
    private (List<string> Keys, List<string> Values) Lists(IReadOnlyDictionary<string, string?> dimensions)
    {
        if (ReferenceEquals(dimensions, _lastDimensions))
        {
            return _lastLists;
        }

        var keys = new List<string>(dimensions.Count);
        foreach (var (key, value) in dimensions)
        {
            if (value is not null)
            {
                keys.Add(key);
            }
        }

        keys.Sort(StringComparer.Ordinal);
        var values = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            values.Add(dimensions[key]!);
        }

        if (_lastLists.Keys is { } lastKeys && lastKeys.SequenceEqual(keys, StringComparer.Ordinal) && _lastLists.Values.SequenceEqual(values, StringComparer.Ordinal))
        {
            keys = lastKeys;
            values = _lastLists.Values;
        }

        _lastDimensions = dimensions;
        _lastLists = (keys, values);
        return _lastLists;
    }

    public ImportRecord Commit(ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        ObjectDisposedException.ThrowIf(_done, this);
        _appender?.Dispose();
        _appender = null;
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
            // Any import of usage samples (a CSV, Prometheus, nvidia-smi) whose samples were all re-measured.
            foreach (var kind in UsageSamplesTable.Kinds)
            {
                _store.SupersedeEmptiedImports(ImportId, kind, UsageSamplesTable.Name);
            }
        }

        var now = _store.UtcNow;
        _store.RecordImport(ImportId, _kind, now, _rows, replaced, periods, [file]);
        _transaction.Commit();
        _done = true;
        return new ImportRecord(ImportId, _kind, now, _rows, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
    }

    public void Dispose()
    {
        _appender?.Dispose();
        _appender = null;
        if (!_done)
        {
            _done = true;
            _transaction.Rollback();
        }

        _transaction.Dispose();
    }
}
