using System.Globalization;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// One line-item import: rows stream into the shards as they are read, invisible (<see cref="Visibility"/>); on commit
/// the store checks it holds exactly what the files said, to the last digit, then writes the provenance and the one
/// marker that makes the import, and its replacement of the slices it restates, visible on every shard at once.
/// Disposing without commit drops what was staged and gives the id back.
/// </summary>
internal sealed class ClickHouseImportSession : ILineItemImportSession
{
    private readonly ClickHouseCostStore _store;
    private readonly ImportKind _kind;
    private readonly ImportClaim _claim;
    private readonly LineItemWriter _writer;
    private long _lastBeat;
    private bool _done;

    public ClickHouseImportSession(ClickHouseCostStore store, ImportKind kind, ImportClaim claim)
    {
        _store = store;
        _kind = kind;
        _claim = claim;
        _writer = new LineItemWriter(store.Cluster, claim.ImportId, claim.LoadId, new TagSetRegistry());
        _lastBeat = store.Clock.GetTimestamp();
    }

    public long ImportId => _claim.ImportId;

    public void Append(LineItemRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ObjectDisposedException.ThrowIf(_done, this);
        _writer.Append(row);
        if ((_writer.Rows & 0xFFF) == 0 && _store.Clock.GetElapsedTime(_lastBeat) >= _store.Tuning.BeatEvery)
        {
            _store.Claims.Beat(_claim);
            _lastBeat = _store.Clock.GetTimestamp();
        }
    }

    public ImportRecord Commit(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals, string? mapping = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(expectedTotals);
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();
        _writer.Finish();
        var cluster = _store.Cluster;
        var db = Sql.Identifier(cluster.Database);

        // The store must hold exactly what the files said, to the last digit, before anything becomes visible.
        var stored = cluster.Entry.Query(
                $"SELECT BillingCurrency AS currency, count() AS n, {string.Join(", ", CostQuerySql.Sums("BilledCost"))} FROM {db}.line_items_all " +
                $"WHERE load_id = {Sql.Literal(_claim.LoadId)} GROUP BY currency", cancellationToken)
            .Select(r => (Currency: r.String("currency"), Rows: r.Int64("n"), Total: ClickHouseCostStore.ExactSum(r)))
            .ToList();
        var totals = stored.ToDictionary(s => s.Currency, s => s.Total, StringComparer.Ordinal);
        if (totals.Count != expectedTotals.Count || totals.Any(s => !expectedTotals.TryGetValue(s.Key, out var e) || e != s.Value))
        {
            throw new InvalidOperationException(
                $"Import {ImportId}: stored totals ({Describe(totals)}) differ from the files' totals ({Describe(expectedTotals)}); nothing was written.");
        }

        if (stored.Sum(s => s.Rows) != _writer.Rows)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Import {ImportId}: the shards hold {stored.Sum(s => s.Rows)} of its {_writer.Rows} rows; nothing was written."));
        }

        // Providers restate bills: this import takes over its slices from whichever import holds them now.
        var slices = _writer.Slices.ToList();
        var holders = _store.Ledger.Slices(slices.Select(s => s.SliceKey).ToList())
            .GroupBy(s => s.SliceKey)
            .Select(g => g.MaxBy(s => s.ImportId)!)
            .ToList();
        if (holders.FirstOrDefault(h => h.ImportId > ImportId) is { } newer)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Import {ImportId}: import #{newer.ImportId}, which began later, committed the same provider, billing account and billing period ({newer.Provider} {newer.BillingAccount} {newer.BillingPeriodStart:yyyy-MM-dd}) first; nothing was written. Import the file again if it is the newer bill."));
        }

        var replaced = holders.Sum(h => h.Rows);
        _store.CheckTotalsFit(_claim.LoadId, cancellationToken);
        var periods = _writer.Periods.OrderBy(p => p.Start).ThenBy(p => p.End).Select(p => ImportLedger.Period(p.Start, p.End)).Distinct().Order(StringComparer.Ordinal).ToList();
        var now = ClickHouseCostStore.ToMicroseconds(_store.UtcNow);
        cancellationToken.ThrowIfCancellationRequested();
        _writer.TagSets.Save(cluster);
        _store.Ledger.Record(ImportId, _claim.LoadId, _kind, now, _writer.Rows, replaced, periods, files, totals, mapping: mapping);
        _store.Ledger.RecordSlices(ImportId, _claim.LoadId, slices.Select(s => new SliceRecord(ImportId, s.SliceKey, s.SliceId, s.Provider, s.BillingAccount, s.BillingPeriodStart, s.Rows)));
        if (!_store.Claims.Holds(_claim))
        {
            throw new InvalidOperationException($"Import {ImportId}: its claim was taken over as stale while it ran (no heartbeat for {_store.Tuning.StaleAfter}); nothing was written.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _store.Ledger.Commit(ImportId, _claim.LoadId);
        _done = true;
        _store.AfterCommit(_claim);
        return new ImportRecord(ImportId, _kind, now, _writer.Rows, replaced, files, periods, totals, null, mapping);
    }

    public void Dispose()
    {
        _writer.Dispose();
        if (!_done)
        {
            _done = true;
            _store.Abandon(_claim);
        }
    }

    private static string Describe(IReadOnlyDictionary<string, decimal> totals) =>
        totals.Count == 0 ? "none" : string.Join(", ", totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value} {t.Key}")));
}
