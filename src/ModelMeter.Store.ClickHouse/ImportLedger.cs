using System.Globalization;
using System.Text;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>A slice of line items as an import recorded it (see <see cref="Visibility"/>).</summary>
internal sealed record SliceRecord(long ImportId, ulong SliceKey, ulong SliceId, string? Provider, string? BillingAccount, DateTime BillingPeriodStart, long Rows);

/// <summary>A metric's day as a usage import recorded it: every day of its range, with the samples it has there.</summary>
internal sealed record UsageDayRecord(long ImportId, string Metric, DateOnly Day, long Samples);

/// <summary>A committed import: the marker's load and the server time it landed.</summary>
internal sealed record CommitRecord(long ImportId, ulong LoadId, DateTime CommittedAt);

/// <summary>
/// Import provenance over the metadata tables: what <c>ListImports</c> shows, which import holds each slice and day, and
/// the rows a commit writes before its marker. Only committed loads are read (<see cref="Visibility.Committed"/>).
/// Which import superseded which is derived from what each holds, as the DuckDB store records it when it deletes
/// rows: an import is superseded once later imports of its kind hold every slice (or metric-day) it had rows in, by the
/// import that took the last of them.
/// </summary>
internal sealed class ImportLedger(ClickHouseCluster cluster)
{
    /// <summary>The records collection of supersessions decided at import (key: the superseded import's id; value: by whom).</summary>
    public const string SupersededCollection = "superseded";

    private string Db => Sql.Identifier(cluster.Database);

    public List<CommitRecord> Commits() =>
        cluster.Entry.Query($"SELECT import_id, load_id, committed_at FROM {Db}.import_commits_all")
            .Select(r => new CommitRecord(r.Int64("import_id"), r.UInt64("load_id"), r.Instant("committed_at")))
            .ToList();

    /// <summary>The highest committed import id, or 0.</summary>
    public long LastCommittedId() =>
        cluster.Entry.Query($"SELECT max(import_id) AS last FROM {Db}.import_commits_all").Single().Int64("last");

    public bool IsCommitted(long importId) =>
        cluster.Entry.Query($"SELECT count() AS n FROM {Db}.import_commits_all WHERE import_id = {Sql.Literal(importId)}").Single().Int64("n") > 0;

    public List<SliceRecord> Slices(IReadOnlyCollection<ulong>? keys = null)
    {
        var where = Visibility.Committed(cluster.Database);
        if (keys is not null)
        {
            if (keys.Count == 0)
            {
                return [];
            }

            where += $" AND slice_key IN ({string.Join(", ", keys.Select(Sql.Literal))})";
        }

        return cluster.Entry.Query(
                $"SELECT import_id, slice_key, slice_id, provider, billing_account, billing_period_start, row_count FROM {Db}.import_slices_all WHERE {where}")
            .Select(r => new SliceRecord(r.Int64("import_id"), r.UInt64("slice_key"), r.UInt64("slice_id"), r.NullableString("provider"),
                r.NullableString("billing_account"), r.Instant("billing_period_start"), r.Int64("row_count")))
            .ToList();
    }

    public List<UsageDayRecord> UsageDays(IReadOnlyCollection<string>? metrics = null)
    {
        var where = Visibility.Committed(cluster.Database);
        if (metrics is not null)
        {
            if (metrics.Count == 0)
            {
                return [];
            }

            where += $" AND metric IN ({string.Join(", ", metrics.Select(Sql.Literal))})";
        }

        return cluster.Entry.Query($"SELECT import_id, metric, day, samples FROM {Db}.usage_days_all WHERE {where}")
            .Select(r => new UsageDayRecord(r.Int64("import_id"), r.String("metric"), r.Day("day"), r.Int64("samples")))
            .ToList();
    }

    /// <summary>Every committed import, in id order, with its files, totals and supersession.</summary>
    public List<ImportRecord> List()
    {
        var committed = Visibility.Committed(cluster.Database);
        var files = cluster.Entry.Query($"SELECT import_id, path, sha256, bytes, row_count FROM {Db}.import_files_all WHERE {committed}")
            .Select(r => (Id: r.Int64("import_id"), File: new ImportedFile(r.String("path"), r.String("sha256"), r.Int64("bytes"), r.Int64("row_count"))))
            .GroupBy(f => f.Id)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ImportedFile>)g.Select(f => f.File).OrderBy(f => f.Path, StringComparer.Ordinal).ToList());
        var totals = cluster.Entry.Query($"SELECT import_id, currency, billed FROM {Db}.import_totals_all WHERE {committed}")
            .GroupBy(r => r.Int64("import_id"))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, decimal>)g.ToDictionary(r => r.String("currency"), r => r.Decimal("billed"), StringComparer.Ordinal));
        var imports = cluster.Entry.Query(
                $"SELECT import_id, kind, imported_at_us, row_count, replaced_rows, billing_periods, superseded_by FROM {Db}.imports_all WHERE {committed}")
            .Select(r => (
                Id: r.Int64("import_id"),
                Kind: KindOf(r.Int64("import_id"), r.String("kind")),
                At: DateTime.UnixEpoch.AddTicks(r.Int64("imported_at_us") * TimeSpan.TicksPerMicrosecond),
                Rows: r.Int64("row_count"),
                Replaced: r.Int64("replaced_rows"),
                Periods: (IReadOnlyList<string>)r.Strings("billing_periods").Select(p => p!).ToList(),
                Recorded: r.IsNull("superseded_by") ? (long?)null : r.Int64("superseded_by")))
            .OrderBy(i => i.Id)
            .ToList();

        var mappings = cluster.Entry.Query($"SELECT import_id, mapping FROM {Db}.import_mappings_all WHERE {committed}")
            .GroupBy(r => r.Int64("import_id"))
            .ToDictionary(g => g.Key, g => g.First().String("mapping"));
        var kinds = imports.ToDictionary(i => i.Id, i => i.Kind);
        var superseded = SupersededBy(kinds, Slices(), UsageDays());

        // Runs, LLM calls and business metrics record who superseded whom when they replace rows (as the DuckDB store does).
        foreach (var (key, by) in new RecordTable(cluster).Current<long>(SupersededCollection))
        {
            superseded.TryAdd(long.Parse(key, CultureInfo.InvariantCulture), by);
        }

        return imports.Select(i => new ImportRecord(
                i.Id, i.Kind, i.At, i.Rows, i.Replaced,
                files.GetValueOrDefault(i.Id) ?? [],
                i.Periods,
                totals.GetValueOrDefault(i.Id) ?? new Dictionary<string, decimal>(StringComparer.Ordinal),
                i.Recorded ?? superseded.GetValueOrDefault(i.Id),
                mappings.GetValueOrDefault(i.Id)))
            .ToList();
    }

    /// <summary>
    /// Which import superseded which: an import whose every slice (or, for usage, every metric-day it has samples on) is
    /// held by later imports of its kind is superseded by the one that took the last of them, that is, for each of its
    /// slices the first later import holding it, the latest of those.
    /// </summary>
    internal static Dictionary<long, long?> SupersededBy(IReadOnlyDictionary<long, ImportKind> kinds, IEnumerable<SliceRecord> slices, IEnumerable<UsageDayRecord> usageDays)
    {
        var result = new Dictionary<long, long?>();
        Derive(kinds, slices.Select(s => (s.ImportId, Key: s.SliceKey.ToString(CultureInfo.InvariantCulture), Held: s.Rows > 0)), result);
        Derive(kinds, usageDays.Select(d => (d.ImportId, Key: d.Metric + "\u001f" + d.Day.DayNumber.ToString(CultureInfo.InvariantCulture), Held: d.Samples > 0)), result);
        return result;
    }

    /// <summary>Kinds that replace each other: every line-item kind (a CUR restates a FOCUS export's bill), every usage kind.</summary>
    private static int Family(ImportKind kind) =>
        kind.HoldsLineItems() ? 1 : kind is ImportKind.Usage or ImportKind.Prometheus or ImportKind.NvidiaSmi ? 2 : 3 + (int)kind;

    private static void Derive(IReadOnlyDictionary<long, ImportKind> kinds, IEnumerable<(long ImportId, string Key, bool Held)> entries, Dictionary<long, long?> result)
    {
        var list = entries.Where(e => kinds.ContainsKey(e.ImportId)).ToList();
        var holdersByKey = list.GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ImportId).Distinct().Order().ToList(), StringComparer.Ordinal);
        foreach (var import in list.Where(e => e.Held).GroupBy(e => e.ImportId))
        {
            long? last = null;
            var all = true;
            foreach (var key in import.Select(e => e.Key).Distinct(StringComparer.Ordinal))
            {
                var taker = holdersByKey[key].FirstOrDefault(id => id > import.Key && Family(kinds[id]) == Family(kinds[import.Key]));
                if (taker == 0)
                {
                    all = false;
                    break;
                }

                last = last is null ? taker : Math.Max(last.Value, taker);
            }

            if (all && last is not null)
            {
                result[import.Key] = last;
            }
        }
    }

    /// <summary>Writes an import's provenance, then (last, as the one atomic step) its commit marker.</summary>
    public void Record(long importId, ulong loadId, ImportKind kind, DateTime at, long rows, long replaced, IReadOnlyList<string> periods,
        IEnumerable<ImportedFile> files, IReadOnlyDictionary<string, decimal> totals, long? supersededBy = null, string? mapping = null)
    {
        var shard = cluster.ShardFor(importId);
        var id = Sql.Literal(importId);
        var load = Sql.Literal(loadId);
        if (mapping is not null)
        {
            shard.Execute($"INSERT INTO {Db}.import_mappings (import_id, load_id, mapping) VALUES ({id}, {load}, {Sql.Literal(mapping)})");
        }

        var micros = (at.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        shard.Execute(
            $"INSERT INTO {Db}.imports (import_id, load_id, kind, imported_at, imported_at_us, row_count, replaced_rows, billing_periods, superseded_by) VALUES " +
            $"({id}, {load}, {Sql.Literal(kind.ToText())}, {Sql.Literal(TruncateToSecond(at))}, {Sql.Literal(micros)}, {Sql.Literal(rows)}, {Sql.Literal(replaced)}, " +
            $"{Sql.Array(periods)}, {(supersededBy is { } by ? Sql.Literal(by) : "NULL")})");
        var fileRows = files.Select(f => $"({id}, {load}, {Sql.Literal(f.Path)}, {Sql.Literal(f.Sha256)}, {Sql.Literal(f.Bytes)}, {Sql.Literal(f.Rows)})").ToList();
        if (fileRows.Count > 0)
        {
            shard.Execute($"INSERT INTO {Db}.import_files (import_id, load_id, path, sha256, bytes, row_count) VALUES {string.Join(", ", fileRows)}");
        }

        if (totals.Count > 0)
        {
            shard.Execute($"INSERT INTO {Db}.import_totals (import_id, load_id, currency, billed) VALUES " +
                          string.Join(", ", totals.Select(t => $"({id}, {load}, {Sql.Literal(t.Key)}, {Sql.Literal(t.Value)})")));
        }
    }

    public void RecordSlices(long importId, ulong loadId, IEnumerable<SliceRecord> slices)
    {
        var values = slices.Select(s =>
                $"({Sql.Literal(importId)}, {Sql.Literal(loadId)}, {Sql.Literal(s.SliceKey)}, {Sql.Literal(s.SliceId)}, {Sql.Literal(s.Provider)}, " +
                $"{Sql.Literal(s.BillingAccount)}, {Sql.Literal(s.BillingPeriodStart)}, {Sql.Literal(s.Rows)})")
            .ToList();
        foreach (var batch in values.Chunk(5_000))
        {
            cluster.ShardFor(importId).Execute(
                $"INSERT INTO {Db}.import_slices (import_id, load_id, slice_key, slice_id, provider, billing_account, billing_period_start, row_count) VALUES {string.Join(", ", batch)}");
        }
    }

    public void RecordUsageDays(long importId, ulong loadId, IEnumerable<UsageDayRecord> days)
    {
        var values = days.Select(d => $"({Sql.Literal(importId)}, {Sql.Literal(loadId)}, {Sql.Literal(d.Metric)}, {Sql.Literal(d.Day)}, {Sql.Literal(d.Samples)})").ToList();
        foreach (var batch in values.Chunk(5_000))
        {
            cluster.ShardFor(importId).Execute($"INSERT INTO {Db}.usage_days (import_id, load_id, metric, day, samples) VALUES {string.Join(", ", batch)}");
        }
    }

    /// <summary>The commit: one row, one insert, one shard. Before it the import does not exist for any reader; after it, all of it does.</summary>
    public void Commit(long importId, ulong loadId) =>
        cluster.ShardFor(importId).Execute($"INSERT INTO {Db}.import_commits (import_id, load_id) VALUES ({Sql.Literal(importId)}, {Sql.Literal(loadId)})");

    private static DateTime TruncateToSecond(DateTime at)
    {
        var utc = at.ToUniversalTime();
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private ImportKind KindOf(long importId, string text) =>
        ImportKinds.TryParse(text, out var kind)
            ? kind
            : throw new UserInputException($"The store {cluster.Options} holds import #{importId} of kind '{text}', which this ModelMeter does not know. Upgrade ModelMeter.");

    /// <summary>A period list as the DuckDB store writes it: <c>yyyy-MM-dd..yyyy-MM-dd</c>.</summary>
    internal static string Period(DateTime start, DateTime end) =>
        new StringBuilder().Append(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("..").Append(end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToString();
}
