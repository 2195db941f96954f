using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Forward-only schema migrations. The store records the version it is at; opening a store applies what is newer,
/// each migration in its own transaction. A store newer than this program is refused rather than misread.
/// </summary>
internal static class Migrations
{
    private static readonly IReadOnlyList<Step> Steps =
    [
        // 1: line items and import provenance.
        new([
            "CREATE SEQUENCE import_ids START 1",
            """
            CREATE TABLE imports (
                import_id BIGINT NOT NULL,
                kind VARCHAR NOT NULL,
                imported_at TIMESTAMP NOT NULL,
                row_count BIGINT NOT NULL,
                replaced_rows BIGINT NOT NULL,
                billing_periods VARCHAR[] NOT NULL,
                superseded_by BIGINT
            )
            """,
            "CREATE TABLE import_files (import_id BIGINT NOT NULL, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL, row_count BIGINT NOT NULL)",
            $"CREATE TABLE import_totals (import_id BIGINT NOT NULL, currency VARCHAR NOT NULL, billed {LineItemsTable.MoneyType} NOT NULL)",
            LineItemsTable.CreateSql(),
            $"CREATE TABLE {TagSets.Table} (tag_set_id BIGINT NOT NULL, tag_keys VARCHAR[] NOT NULL, tag_values VARCHAR[] NOT NULL)",
            $"INSERT INTO {TagSets.Table} VALUES (0, [], [])",
        ]),

        // 2: usage samples (allocation drivers from `modelmeter import usage`), one row per day, metric and dimension set;
        //    dated exchange rates (`modelmeter import rates`) for a reporting currency.
        new([
            "CREATE TABLE exchange_rates (import_id BIGINT NOT NULL, rate_date DATE NOT NULL, from_currency VARCHAR NOT NULL, to_currency VARCHAR NOT NULL, rate DECIMAL(38,18) NOT NULL)",
            $"CREATE TABLE {UsageSamplesTable.Name} (import_id BIGINT NOT NULL, period DATE NOT NULL, metric VARCHAR NOT NULL, value {UsageSamplesTable.ValueType} NOT NULL, dimension_keys VARCHAR[] NOT NULL, dimension_values VARCHAR[] NOT NULL)",
        ]),

        // 3: the hierarchy columns (tag_team ...) recomputed from each line item's tag set by the one tag-key
        //    normaliser (TagPolicy.Default), replacing what an older normaliser wrote at import.
        new([], RecomputeHierarchyColumns),
    ];

    public static int Latest => Steps.Count;

    public static void Apply(DuckDBConnection connection, DateTime nowUtc)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)";
        command.ExecuteNonQuery();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        var current = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new Core.Errors.UserInputException(
                $"The store {connection.DataSource} has schema version {current}, newer than this ModelMeter understands ({Latest}). Upgrade ModelMeter.");
        }

        for (var version = current + 1; version <= Latest; version++)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var statement in Steps[version - 1].Statements)
            {
                command.CommandText = statement;
                command.ExecuteNonQuery();
            }

            Steps[version - 1].Then?.Invoke(connection);

            command.CommandText = "INSERT INTO schema_version VALUES ($v, $t)";
            command.Parameters.Clear();
            command.Parameters.Add(new DuckDBParameter("v", version));
            command.Parameters.Add(new DuckDBParameter("t", nowUtc));
            command.ExecuteNonQuery();
            command.Parameters.Clear();
            transaction.Commit();
        }
    }

    /// <summary>
    /// Sets every line item's hierarchy columns to what <see cref="CostHierarchy.ValuesOf"/> reads from its tag set:
    /// the few thousand tag sets are normalised in C#, then one UPDATE joins them to the line items.
    /// </summary>
    internal static void RecomputeHierarchyColumns(DuckDBConnection connection)
    {
        const string Scratch = "hierarchy_recomputed";
        var columns = CostHierarchy.Keys.Select(CostHierarchy.ColumnFor).ToList();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE {Scratch} (tag_set_id BIGINT NOT NULL, {string.Join(", ", columns.Select(c => c + " VARCHAR"))})";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT tag_set_id, tag_keys, tag_values FROM {TagSets.Table}";
        var sets = new List<(long Id, string?[] Values)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var keys = reader.GetFieldValue<List<string>>(1);
                var values = reader.GetFieldValue<List<string?>>(2);
                sets.Add((reader.GetInt64(0), CostHierarchy.ValuesOf(keys.Zip(values))));
            }
        }

        using (var appender = connection.CreateAppender(Scratch))
        {
            foreach (var (id, values) in sets)
            {
                var row = appender.CreateRow().AppendValue(id);
                foreach (var value in values)
                {
                    row = row.AppendValue(value);
                }

                row.EndRow();
            }
        }

        command.CommandText = $"UPDATE {LineItemsTable.Name} SET {string.Join(", ", columns.Select(c => $"{c} = h.{c}"))} " +
                              $"FROM {Scratch} AS h WHERE {LineItemsTable.Name}.{LineItemsTable.TagSetIdColumn} = h.tag_set_id";
        command.ExecuteNonQuery();
        command.CommandText = $"DROP TABLE {Scratch}";
        command.ExecuteNonQuery();
    }

    /// <summary>A migration: SQL statements, then optionally code that needs C# (the tag policy).</summary>
    private sealed record Step(string[] Statements, Action<DuckDBConnection>? Then = null);
}
