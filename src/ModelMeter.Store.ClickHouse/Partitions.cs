using System.Globalization;

namespace ModelMeter.Store.ClickHouse;

/// <summary>A partition of <c>line_items</c> or <c>usage_samples</c>: a month (<c>yyyyMM</c>) of one import.</summary>
internal readonly record struct ImportPartition(int Month, long ImportId);

/// <summary>
/// The import-partitioned tables' partitions on each shard, and dropping them: how staged rows of an abandoned import
/// and rows nobody can see any more leave the disk. Dropping a partition is immediate and exact, where a
/// <c>DELETE</c> mutation would rewrite every part of the table.
/// </summary>
internal static class Partitions
{
    /// <summary>The tables partitioned by (month, import_id).</summary>
    public static readonly IReadOnlyList<string> Tables = ["line_items", "usage_samples"];

    public static List<ImportPartition> List(ClickHouseServer shard, string database, string table) =>
        shard.Query(
                $"SELECT DISTINCT partition FROM system.parts WHERE database = {Sql.Literal(database)} AND table = {Sql.Literal(table)} AND active")
            .Select(r => Parse(r.String("partition")))
            .ToList();

    public static void Drop(ClickHouseServer shard, string database, string table, ImportPartition partition) =>
        shard.Execute(
            $"ALTER TABLE {Sql.Identifier(database)}.{Sql.Identifier(table)} DROP PARTITION ({Sql.Literal(partition.Month)}, {Sql.Literal(partition.ImportId)})");

    /// <summary>Drops every partition of one import on every shard (its staged or crashed rows).</summary>
    public static void DropImport(ClickHouseCluster cluster, long importId)
    {
        foreach (var shard in cluster.Shards)
        {
            foreach (var table in Tables)
            {
                foreach (var partition in List(shard, cluster.Database, table).Where(p => p.ImportId == importId))
                {
                    Drop(shard, cluster.Database, table, partition);
                }
            }
        }
    }

    /// <summary>Reads <c>(202610,5)</c>, as <c>system.parts</c> shows a tuple partition key.</summary>
    internal static ImportPartition Parse(string text)
    {
        var parts = text.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim('\''), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !long.TryParse(parts[1].Trim('\''), NumberStyles.None, CultureInfo.InvariantCulture, out var import))
        {
            throw new InvalidDataException($"Unexpected partition '{text}': the store's tables are partitioned by (month, import_id).");
        }

        return new ImportPartition(month, import);
    }
}
