using System.Globalization;
using ModelMeter.Core.Allocation;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// One usage import: samples stream into the shards' <c>usage_samples</c>, invisible until the commit marker. On
/// commit, the import takes over, per metric, every day of its range (its first to its last sample's day, days without
/// samples included) from whichever import holds them: the DuckDB store's "a re-measured range replaces the old
/// samples", decided by <see cref="Visibility.UsageSamples"/> rather than by deleting.
/// </summary>
internal sealed class ClickHouseUsageImportSession : IUsageImportSession
{
    private const string Columns = "import_id, load_id, period, metric, value, dimension_keys, dimension_values, sample_start";

    private readonly ClickHouseCostStore _store;
    private readonly ImportKind _kind;
    private readonly ImportClaim _claim;
    private readonly ShardedInsert _insert;
    private readonly Dictionary<(string Metric, DateOnly Day), long> _samples = [];
    private long _rows;
    private bool _done;

    public ClickHouseUsageImportSession(ClickHouseCostStore store, ImportKind kind, ImportClaim claim)
    {
        _store = store;
        _kind = kind;
        _claim = claim;
        _insert = new ShardedInsert(store.Cluster, "usage_samples", Columns);
    }

    public long ImportId => _claim.ImportId;

    public void Append(UsageSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ObjectDisposedException.ThrowIf(_done, this);

        WriteRow(_insert, ImportId, _claim.LoadId, sample);
        var key = (sample.Metric, sample.Period);
        _samples[key] = _samples.GetValueOrDefault(key) + 1;
        _rows++;
    }

    /// <summary>A sample as a row of <c>usage_samples</c>.</summary>
    internal static void WriteRow(ShardedInsert insert, long importId, ulong loadId, UsageSample sample)
    {
        // As the DuckDB store keeps them: dimensions without a value dropped, the rest in key order; the value at the column's scale.
        var dimensions = sample.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        var row = insert.Row;
        row.Append(importId);
        row.Append('\t');
        row.Append(loadId);
        row.Append('\t');
        row.AppendDay(sample.Period);
        row.Append('\t');
        Sql.TsvField(row, sample.Metric);
        row.Append('\t');
        row.Append(Math.Round(sample.Value, 18, MidpointRounding.ToEven));
        row.Append('\t');
        Sql.TsvArray(row, dimensions.Select(d => (string?)d.Key).ToList());
        row.Append('\t');
        Sql.TsvArray(row, dimensions.Select(d => d.Value).ToList());
        row.Append('\t');
        Sql.TsvField(row, sample.Start is { } start ? Sql.Instant(start.ToUniversalTime()) : null);
        insert.EndRow();
    }

    /// <summary>Every day of each metric's range (its first to its last sample), with the samples on it.</summary>
    internal static List<UsageDayRecord> Days(long importId, IReadOnlyDictionary<(string Metric, DateOnly Day), long> samples) =>
        samples.Keys.GroupBy(k => k.Metric, StringComparer.Ordinal)
            .SelectMany(g =>
            {
                var first = g.Min(k => k.Day);
                var last = g.Max(k => k.Day);
                return Enumerable.Range(0, last.DayNumber - first.DayNumber + 1)
                    .Select(i => new UsageDayRecord(importId, g.Key, first.AddDays(i), samples.GetValueOrDefault((g.Key, first.AddDays(i)))));
            })
            .ToList();

    internal const string ColumnList = Columns;

    public ImportRecord Commit(ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        ObjectDisposedException.ThrowIf(_done, this);
        _insert.Finish();

        // What this import covers, per metric: every day from its first to its last sample.
        var ranges = _samples.Keys.GroupBy(k => k.Metric, StringComparer.Ordinal)
            .Select(g => (Metric: g.Key, First: g.Min(k => k.Day), Last: g.Max(k => k.Day)))
            .ToList();
        var days = Days(ImportId, _samples);
        var covered = days.Select(d => (d.Metric, d.Day)).ToHashSet();
        var holders = _store.Ledger.UsageDays(ranges.Select(r => r.Metric).ToList())
            .Where(d => covered.Contains((d.Metric, d.Day)))
            .GroupBy(d => (d.Metric, d.Day))
            .Select(g => g.MaxBy(d => d.ImportId)!)
            .ToList();
        if (holders.FirstOrDefault(h => h.ImportId > ImportId) is { } newer)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Usage import {ImportId}: import #{newer.ImportId}, which began later, committed {newer.Metric} on {newer.Day:yyyy-MM-dd} first; nothing was written."));
        }

        var replaced = holders.Sum(h => h.Samples);
        var periods = ranges.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Metric} {r.First:yyyy-MM-dd}..{r.Last:yyyy-MM-dd}")).Order(StringComparer.Ordinal).ToList();
        var now = ClickHouseCostStore.ToMicroseconds(_store.UtcNow);
        _store.Ledger.Record(ImportId, _claim.LoadId, _kind, now, _rows, replaced, periods, [file], new Dictionary<string, decimal>(StringComparer.Ordinal));
        _store.Ledger.RecordUsageDays(ImportId, _claim.LoadId, days);
        if (!_store.Claims.Holds(_claim))
        {
            throw new InvalidOperationException($"Usage import {ImportId}: its claim was taken over as stale while it ran; nothing was written.");
        }

        _store.Ledger.Commit(ImportId, _claim.LoadId);
        _done = true;
        _store.AfterCommit(_claim);
        return new ImportRecord(ImportId, _kind, now, _rows, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
    }

    public void Dispose()
    {
        _insert.Dispose();
        if (!_done)
        {
            _done = true;
            _store.Abandon(_claim);
        }
    }
}
