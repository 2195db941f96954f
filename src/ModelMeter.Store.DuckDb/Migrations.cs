using DuckDB.NET.Data;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Forward-only schema migrations. The store records the version it is at; opening a store applies what is newer,
/// each migration in its own transaction. A store newer than this program is refused rather than misread.
/// </summary>
internal static class Migrations
{
    private static readonly IReadOnlyList<string[]> Steps =
    [
        // 1: line items and import provenance.
        [
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
        ],

        // 2: usage samples (allocation drivers from `modelmeter import usage`), one row per day, metric and dimension set;
        //    dated exchange rates (`modelmeter import rates`) for a reporting currency.
        [
            "CREATE TABLE exchange_rates (import_id BIGINT NOT NULL, rate_date DATE NOT NULL, from_currency VARCHAR NOT NULL, to_currency VARCHAR NOT NULL, rate DECIMAL(38,18) NOT NULL)",
            $"CREATE TABLE {UsageSamplesTable.Name} (import_id BIGINT NOT NULL, period DATE NOT NULL, metric VARCHAR NOT NULL, value {UsageSamplesTable.ValueType} NOT NULL, dimension_keys VARCHAR[] NOT NULL, dimension_values VARCHAR[] NOT NULL)",
        ],
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
            foreach (var statement in Steps[version - 1])
            {
                command.CommandText = statement;
                command.ExecuteNonQuery();
            }

            command.CommandText = "INSERT INTO schema_version VALUES ($v, $t)";
            command.Parameters.Clear();
            command.Parameters.Add(new DuckDBParameter("v", version));
            command.Parameters.Add(new DuckDBParameter("t", nowUtc));
            command.ExecuteNonQuery();
            command.Parameters.Clear();
            transaction.Commit();
        }
    }
}
