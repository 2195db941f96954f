using DuckDB.NET.Data;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Monetary;

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
    private DataChunkAppender? _appender;
    private bool _done;
    private readonly Dictionary<IReadOnlyDictionary<string, string?>, (List<string?> Keys, List<string?> Values)> _lists =
        new(ReferenceEqualityComparer.Instance);
    private IReadOnlyDictionary<string, string?>? _lastDimensions;
    private (List<string?> Keys, List<string?> Values) _lastLists;

    // usage_samples: import_id, period, metric, value, dimension_keys, dimension_values, sample_start.
    private static readonly bool[] ListColumns = [false, false, false, false, true, true, false];

    // How many distinct dimension sets keep their stored lists: readers hand the same dictionary to every sample of
    // one set, so an hourly series of a few hundred resources reuses a few hundred pairs of lists.
    private const int MaxCachedDimensionSets = 4096;

    public DuckDbUsageImportSession(DuckDbCostStore store, ImportKind kind)
    {
        _store = store;
        _kind = kind;
        _transaction = store.Connection.BeginTransaction();
        ImportId = store.NextImportId();

        // Written a data chunk at a time inside the open transaction: a year of hourly samples for a few hundred
        // resources is millions of rows, which the managed row appender wrote at a fifth of the speed.
        _appender = new DataChunkAppender(store.Connection, UsageSamplesTable.Name, ListColumns, "usage samples");
    }

    public long ImportId { get; }

    public void Append(UsageSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ObjectDisposedException.ThrowIf(_done, this);
        var value = UsageSamplesTable.ToScale(sample.Value);
        if (Math.Abs(value) >= ExactDecimal.Limit)
        {
            throw new InvalidOperationException($"Usage sample {UsageSamplesTable.Describe(sample)}: value {value} has more than 20 digits before the point; it cannot be stored exactly.");
        }

        var (keys, values) = Lists(sample.Dimensions);
        var appender = _appender!;
        appender.SetLong(0, ImportId);
        appender.SetDate(1, sample.Period);
        appender.SetString(2, sample.Metric);
        appender.SetDecimal18(3, value);
        appender.SetList(4, keys);
        appender.SetList(5, values);
        if (sample.Start is { } start)
        {
            appender.SetTimestamp(6, start);
        }
        else
        {
            appender.SetNull(6);
        }

        appender.EndRow();
    }

    /// <summary>
    /// A sample's dimensions as the stored key and value lists: the keys in ordinal order, those without a value left
    /// out. The lists of a dimension set already seen (the same dictionary: a window spread over its days, or a reader
    /// that hands out one dictionary per distinct set) are reused, which a million-line import repeats constantly.
    /// </summary>
    private (List<string?> Keys, List<string?> Values) Lists(IReadOnlyDictionary<string, string?> dimensions)
    {
        if (ReferenceEquals(dimensions, _lastDimensions))
        {
            return _lastLists;
        }

        if (!_lists.TryGetValue(dimensions, out var lists))
        {
            var keys = new List<string?>(dimensions.Count);
            foreach (var (key, value) in dimensions)
            {
                if (value is not null)
                {
                    keys.Add(key);
                }
            }

            keys.Sort(StringComparer.Ordinal);
            var values = new List<string?>(keys.Count);
            foreach (var key in keys)
            {
                values.Add(dimensions[key!]);
            }

            lists = (keys, values);
            if (_lists.Count == MaxCachedDimensionSets)
            {
                _lists.Clear();
            }

            _lists[dimensions] = lists;
        }

        _lastDimensions = dimensions;
        _lastLists = lists;
        return lists;
    }

    public ImportRecord Commit(ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        ObjectDisposedException.ThrowIf(_done, this);
        _appender!.Close();
        var rows = _appender.Rows;
        _appender.Dispose();
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
        _store.RecordImport(ImportId, _kind, now, rows, replaced, periods, [file]);
        _transaction.Commit();
        _done = true;
        return new ImportRecord(ImportId, _kind, now, rows, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
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
