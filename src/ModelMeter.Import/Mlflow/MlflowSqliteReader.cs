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
        foreach (var row in Rows(connection, "SELECT experiment_id, name, lifecycle_stage FROM experiments"))
        {
            if ((row[2] as string ?? MlflowRules.Active) == MlflowRules.Active)
            {
                names[Id(row[0])] = (string)row[1]!;
            }
        }

        var wanted = MlflowRules.Wanted(experiments, names.Values.ToList(), path);
        var runColumns = Columns(connection, "runs");
        var metricColumns = Columns(connection, "latest_metrics");
        var nameColumn = runColumns.Contains("name") ? "name" : "NULL";
        var isNan = metricColumns.Contains("is_nan") ? "is_nan" : "0";
        var step = metricColumns.Contains("step") ? "step" : "0";

        var paramsOf = Pairs(connection, "SELECT run_uuid, key, value FROM params");
        var tagsOf = Pairs(connection, "SELECT run_uuid, key, value FROM tags");
        var metricsOf = new Dictionary<string, List<RunMetric>>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, $"SELECT run_uuid, key, value, timestamp, {step}, {isNan} FROM latest_metrics ORDER BY run_uuid, key"))
        {
            var runId = (string)row[0]!;
            if (!metricsOf.TryGetValue(runId, out var list))
            {
                metricsOf[runId] = list = [];
            }

            var nan = row[5] is not null && Convert.ToInt64(row[5], CultureInfo.InvariantCulture) != 0;
            list.Add(new RunMetric((string)row[1]!, nan ? double.NaN : Convert.ToDouble(row[2], CultureInfo.InvariantCulture), Long(row[3]) ?? 0, Long(row[4]) ?? 0));
        }

        var runs = new List<TrackedRun>();
        foreach (var row in Rows(connection, $"SELECT run_uuid, {nameColumn}, status, start_time, end_time, user_id, lifecycle_stage, experiment_id FROM runs ORDER BY start_time, run_uuid"))
        {
            var runId = (string)row[0]!;
            var experimentId = Id(row[7]);
            if ((row[6] as string ?? MlflowRules.Active) != MlflowRules.Active || !names.TryGetValue(experimentId, out var experimentName)
                || (wanted is not null && !wanted.Contains(experimentName)))
            {
                continue;
            }

            if (!RunStatuses.TryParse(row[2] as string, out var status))
            {
                throw new UserInputException($"{path}: table runs, run {runId}: status '{row[2]}' is not an MLflow run status (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED).");
            }

            var tags = tagsOf.GetValueOrDefault(runId) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            runs.Add(new TrackedRun(
                runId, path, experimentId, experimentName, MlflowRules.RunName(row[1] as string, tags), status,
                MlflowRules.Instant(Long(row[3])), MlflowRules.Instant(Long(row[4])), row[5] as string, MlflowRules.Active,
                paramsOf.GetValueOrDefault(runId) ?? new Dictionary<string, string>(StringComparer.Ordinal), tags,
                metricsOf.GetValueOrDefault(runId) ?? []));
        }

        return new MlflowRead(path, runs, names.Values.ToList(), []);
    }

    private static string Id(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static long? Long(object? value) => value is null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static HashSet<string> Columns(SqliteConnection connection, string table) =>
        Rows(connection, $"SELECT name FROM pragma_table_info('{table}')").Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, Dictionary<string, string>> Pairs(SqliteConnection connection, string sql)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, sql))
        {
            var runId = (string)row[0]!;
            if (!result.TryGetValue(runId, out var map))
            {
                result[runId] = map = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            map[(string)row[1]!] = row[2] as string ?? "";
        }

        return result;
    }

    private static List<object?[]> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
