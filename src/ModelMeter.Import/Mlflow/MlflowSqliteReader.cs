using System.Globalization;
using Microsoft.Data.Sqlite;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;

namespace ModelMeter.Import.Mlflow;

/// <summary>
/// Reads MLflow's SQLite tracking store (<c>mlflow.db</c>, <c>--backend-store-uri sqlite:///mlflow.db</c>) read-only,
/// from the tables MLflow's SQLAlchemy store writes: <c>experiments</c> (experiment_id, name, lifecycle_stage),
/// <c>runs</c> (run_uuid, name, status as text, start_time/end_time in epoch milliseconds, user_id, lifecycle_stage,
/// experiment_id), <c>latest_metrics</c> (key, value, timestamp, step, is_nan, run_uuid), <c>params</c> and <c>tags</c>
/// (key, value, run_uuid). MLflow writes a NaN as value 0 with <c>is_nan</c> set, and ±infinity as ±1.7976931348623157e308;
/// both are read back as logged. Columns older schemas lack (<c>runs.name</c>, <c>is_nan</c>, <c>step</c>) are optional.
/// </summary>
public static class MlflowSqliteReader
{
    /// <summary>The first 16 bytes of every SQLite 3 database file.</summary>
    public static bool IsSqlite(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        using var stream = File.OpenRead(path);
        return stream.Read(header) == 16 && header.SequenceEqual("SQLite format 3\0"u8);
    }

    public static MlflowRead Read(string path, IReadOnlyList<string> experiments)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(experiments);
        if (!IsSqlite(path))
        {
            throw new UserInputException($"'{path}' is not an SQLite database (an MLflow mlflow.db).");
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return Read(connection, path, experiments);
        }
        catch (SqliteException e)
        {
            throw new UserInputException($"{path}: cannot read it as an MLflow tracking store: {e.Message}", e);
        }
    }

    private static MlflowRead Read(SqliteConnection connection, string path, IReadOnlyList<string> experiments)
    {
        foreach (var table in new[] { "experiments", "runs", "latest_metrics", "params", "tags" })
        {
            if (Columns(connection, table).Count == 0)
            {
                throw new UserInputException($"{path}: no table '{table}'; an MLflow tracking store has experiments, runs, latest_metrics, params and tags.");
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, path, "experiments", "experiment", "SELECT experiment_id, name, lifecycle_stage FROM experiments"))
        {
            if ((row.Text(2, "lifecycle_stage") ?? MlflowRules.Active) == MlflowRules.Active)
            {
                names[row.Id(0, "experiment_id")] = row.Required(1, "name");
            }
        }

        var wanted = MlflowRules.Wanted(experiments, names.Values.ToList(), path);
        var runColumns = Columns(connection, "runs");
        var metricColumns = Columns(connection, "latest_metrics");
        var nameColumn = runColumns.Contains("name") ? "name" : "NULL";
        var isNan = metricColumns.Contains("is_nan") ? "is_nan" : "0";
        var step = metricColumns.Contains("step") ? "step" : "0";

        var paramsOf = Pairs(connection, path, "params");
        var tagsOf = Pairs(connection, path, "tags");
        var metricsOf = new Dictionary<string, List<RunMetric>>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, path, "latest_metrics", "run", $"SELECT run_uuid, key, value, timestamp, {step}, {isNan} FROM latest_metrics ORDER BY run_uuid, key"))
        {
            var runId = row.Required(0, "run_uuid");
            if (!metricsOf.TryGetValue(runId, out var list))
            {
                metricsOf[runId] = list = [];
            }

            var nan = (row.Long(5, "is_nan") ?? 0) != 0;
            list.Add(new RunMetric(row.Required(1, "key"), nan ? double.NaN : row.Double(2, "value"), row.Long(3, "timestamp") ?? 0, row.Long(4, "step") ?? 0));
        }

        var runs = new List<TrackedRun>();
        foreach (var row in Rows(connection, path, "runs", "run", $"SELECT run_uuid, {nameColumn}, status, start_time, end_time, user_id, lifecycle_stage, experiment_id FROM runs ORDER BY start_time, run_uuid"))
        {
            var runId = row.Required(0, "run_uuid");
            var experimentId = row.Id(7, "experiment_id");
            if ((row.Text(6, "lifecycle_stage") ?? MlflowRules.Active) != MlflowRules.Active || !names.TryGetValue(experimentId, out var experimentName)
                || (wanted is not null && !wanted.Contains(experimentName)))
            {
                continue;
            }

            if (!RunStatuses.TryParse(row.Text(2, "status"), out var status))
            {
                throw new UserInputException($"{path}: table runs, run {runId}: status '{row.Text(2, "status")}' is not an MLflow run status (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED).");
            }

            var where = $"{path}: table runs, run {runId}";
            var tags = tagsOf.GetValueOrDefault(runId) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            runs.Add(new TrackedRun(
                runId, path, experimentId, experimentName, MlflowRules.RunName(row.Text(1, "name"), tags), status,
                MlflowRules.Instant(row.Long(3, "start_time"), $"{where}, start_time"), MlflowRules.Instant(row.Long(4, "end_time"), $"{where}, end_time"),
                row.Text(5, "user_id"), MlflowRules.Active,
                paramsOf.GetValueOrDefault(runId) ?? new Dictionary<string, string>(StringComparer.Ordinal), tags,
                metricsOf.GetValueOrDefault(runId) ?? []));
        }

        return new MlflowRead(path, runs, names.Values.ToList(), []);
    }

    private static HashSet<string> Columns(SqliteConnection connection, string table) =>
        Rows(connection, "", "pragma_table_info", "column", $"SELECT name FROM pragma_table_info('{table}')").Select(r => r.Required(0, "name")).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, Dictionary<string, string>> Pairs(SqliteConnection connection, string path, string table)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, path, table, "run", $"SELECT run_uuid, key, value FROM {table}"))
        {
            var runId = row.Required(0, "run_uuid");
            if (!result.TryGetValue(runId, out var map))
            {
                result[runId] = map = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            map[row.Required(1, "key")] = row.Text(2, "value") ?? "";
        }

        return result;
    }

    private static List<SqliteRow> Rows(SqliteConnection connection, string path, string table, string key, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<SqliteRow>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(new SqliteRow(path, table, key, rows.Count + 1, row));
        }

        return rows;
    }

    /// <summary>
    /// One row as SQLite gave it. SQLite columns are typed loosely (a damaged or hand-edited store can hold a number
    /// where MLflow writes text, or NULL in a key), so every value is read through a check that names the table, the
    /// row and the column instead of a cast that would crash. A row is named by its first column (the run or the
    /// experiment it belongs to) when that can be read, else by its place in the query's order.
    /// </summary>
    private sealed record SqliteRow(string Path, string Table, string Key, int Number, object?[] Values)
    {
        public string? Text(int i, string column) => Values[i] switch
        {
            null => null,
            string text => text,
            long or double => Convert.ToString(Values[i], CultureInfo.InvariantCulture),
            _ => throw Bad(i, column, "text"),
        };

        public string Required(int i, string column) => Text(i, column) is { Length: > 0 } text ? text : throw Bad(i, column, "a value");

        /// <summary>An experiment id: an integer in MLflow's schema, text in older ones.</summary>
        public string Id(int i, string column) => Required(i, column);

        public long? Long(int i, string column) => Values[i] switch
        {
            null => null,
            long value => value,
            double value when value == Math.Floor(value) && Math.Abs(value) < 9e18 => (long)value,
            string text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw Bad(i, column, "a whole number"),
        };

        public double Double(int i, string column) => Values[i] switch
        {
            long value => value,
            double value => value,
            string text when MlflowRules.TryParseDouble(text, out var value) => value,
            _ => throw Bad(i, column, "a number"),
        };

        private UserInputException Bad(int i, string column, string what) =>
            new($"{Path}: table {Table}, {(Values[0] is string or long && i != 0 ? $"{Key} {Values[0]}" : $"row {Number}")}, column {column}: {Show(Values[i])} is not {what}; MLflow writes {what} there.");

        private static string Show(object? value) => value switch
        {
            null => "NULL",
            byte[] blob => $"a {blob.Length}-byte blob",
            _ => $"'{Convert.ToString(value, CultureInfo.InvariantCulture)}'",
        };
    }
}
