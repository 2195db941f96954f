namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// How an import becomes visible on every shard at once, and how a re-import replaces what it restates, without
/// transactions (ClickHouse has none across tables, let alone across shards). Every SQL fragment that decides what a
/// reader sees is here.
/// </summary>
/// <remarks>
/// <para>
/// <b>Staged, then one marker.</b> An import writes its rows straight into the shards' tables, tagged with its
/// <c>import_id</c> and a random <c>load_id</c> (one per attempt), then its provenance (<c>imports</c>, <c>import_files</c>,
/// <c>import_totals</c>) and what it holds (<c>import_slices</c> for line items, <c>usage_days</c> for usage). Readers
/// see none of it: every query keeps only rows whose <c>(import_id, load_id)</c> is in <c>import_commits</c>. After the
/// totals check passes, the import inserts its one row there: a single-row insert into one MergeTree table on one
/// shard, which is atomic, so a reader either sees the whole import or none of it. A crash (or a refused commit)
/// before that row leaves nothing visible; the rows it wrote are dropped by partition (<c>(month, import_id)</c>) when
/// the session is disposed, or by the next import when a crashed one's claim has gone stale (<see cref="ImportClaims"/>).
/// Because readers match the load as well as the id, rows a crashed attempt left behind can never show through a later
/// import that reuses its id.
/// </para>
/// <para>
/// <b>Replacement is a choice, not a delete.</b> A line item belongs to a <i>slice</i>: its provider, billing account
/// and billing period start (the DuckDB store's replace key). Each import records its slices, with
/// <c>slice_id</c> = hash(load, slice) on every row. For each slice, the committed import with the highest id holds it:
/// readers keep rows whose <c>slice_id</c> is that import's. A restated bill therefore replaces the earlier rows on every
/// shard in the same instant its marker lands, and a concurrent import of another account touches other slices. Usage
/// samples do the same per metric and day (<c>usage_days</c>: every day of an import's range per metric), exchange
/// rates per day and currency pair. Replaced rows stay on disk until <see cref="GarbageCollector"/> drops the partitions
/// nobody can see any more.
/// </para>
/// <para>
/// Subqueries are <c>GLOBAL IN</c>: the entry node evaluates the (small) set once and ships it to every shard, which
/// filters its own rows before aggregating.
/// </para>
/// </remarks>
internal static class Visibility
{
    /// <summary>The committed loads: a row of a metadata table is real when this holds.</summary>
    public static string Committed(string database) =>
        $"(import_id, load_id) GLOBAL IN (SELECT import_id, load_id FROM {Sql.Identifier(database)}.import_commits_all)";

    /// <summary>The line items of the slices' current holders.</summary>
    public static string LineItems(string database) =>
        $"slice_id GLOBAL IN (SELECT argMax(slice_id, import_id) FROM {Sql.Identifier(database)}.import_slices_all WHERE {Committed(database)} GROUP BY slice_key)";

    /// <summary>The usage samples of each metric and day's current holder.</summary>
    /// Samples posted to the server (import id 0, <see cref="ClickHouseCostStore.WriteUsageBatches"/>) are visible once
    /// their batch's receipt is recorded, and never replaced by an import.
    public static string UsageSamples(string database) =>
        $"((load_id, metric, period) GLOBAL IN (SELECT argMax(load_id, import_id), metric, day FROM {Sql.Identifier(database)}.usage_days_all WHERE {Committed(database)} GROUP BY metric, day) " +
        $"OR (import_id = 0 AND load_id GLOBAL IN (SELECT load_id FROM {Sql.Identifier(database)}.records_all WHERE collection = {Sql.Literal(ClickHouseCostStore.UsageBatchCollection)})))";
}
