using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelMeter.Core.Runs;

namespace ModelMeter.Tests.Support;

/// <summary>
/// Writes MLflow's three stores from runs built in code, in the documented layouts: an <c>mlruns</c> folder (MLflow's
/// FileStore), an SQLite <c>mlflow.db</c> (its SQLAlchemy store's tables) and the REST API's JSON pages (protobuf's JSON
/// mapping: int64 fields as strings, NaN as the string "NaN"), so the readers are tested against each.
/// </summary>
internal static class MlflowStores
{
    private static readonly Dictionary<RunStatus, int> Codes = new()
    {
        [RunStatus.Running] = 1, [RunStatus.Scheduled] = 2, [RunStatus.Finished] = 3, [RunStatus.Failed] = 4, [RunStatus.Killed] = 5,
    };

    public static long Ms(DateTime? t) => t is { } v ? (long)(v - DateTime.UnixEpoch).TotalMilliseconds : 0;

    /// <summary>A run as a test states it; params, tags and metrics default to none.</summary>
    public static TrackedRun Run(
        string id, string experimentId, string experiment, RunStatus status, string start, string? end,
        Dictionary<string, string>? parameters = null, Dictionary<string, string>? tags = null, List<RunMetric>? metrics = null, string? name = null) =>
        new(id, "test", experimentId, experiment, name ?? id, status, Utc(start), end is null ? null : Utc(end), "ana", "active",
            parameters ?? [], tags ?? [], metrics ?? []);

    public static DateTime Utc(string instant) =>
        DateTime.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>The file store: experiment folders with meta.yaml, run folders with meta.yaml, metrics/, params/, tags/.</summary>
    /// <param name="history">Extra metric lines per run id and key, written before the run's latest value (older steps).</param>
    public static string WriteMlruns(string root, IEnumerable<TrackedRun> runs, Dictionary<(string Run, string Key), string[]>? history = null)
    {
        Directory.CreateDirectory(Path.Combine(root, ".trash"));
        foreach (var experiment in runs.GroupBy(r => (r.ExperimentId, r.ExperimentName)))
        {
            var folder = Path.Combine(root, experiment.Key.ExperimentId);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "meta.yaml"),
                $"artifact_location: file://{folder}\ncreation_time: 1790000000000\nexperiment_id: '{experiment.Key.ExperimentId}'\n" +
                $"last_update_time: 1790000000000\nlifecycle_stage: active\nname: {experiment.Key.ExperimentName}\n");
            foreach (var run in experiment)
            {
                var dir = Path.Combine(folder, run.RunId);
                foreach (var sub in new[] { "metrics", "params", "tags", "artifacts" })
                {
                    Directory.CreateDirectory(Path.Combine(dir, sub));
                }

                File.WriteAllText(Path.Combine(dir, "meta.yaml"), string.Create(CultureInfo.InvariantCulture,
                    $"artifact_uri: file://{dir}/artifacts\nend_time: {(run.End is null ? "null" : Ms(run.End).ToString(CultureInfo.InvariantCulture))}\n" +
                    $"entry_point_name: ''\nexperiment_id: '{run.ExperimentId}'\nlifecycle_stage: {run.LifecycleStage}\nrun_id: {run.RunId}\n" +
                    $"run_name: {run.RunName}\nrun_uuid: {run.RunId}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n" +
                    $"start_time: {Ms(run.Start)}\nstatus: {Codes[run.Status]}\ntags: []\nuser_id: {run.UserId}\n"));
                foreach (var (key, value) in run.Params)
                {
                    Put(Path.Combine(dir, "params", key), value);
                }

                foreach (var (key, value) in run.Tags)
                {
                    Put(Path.Combine(dir, "tags", key), value);
                }

                foreach (var metric in run.Metrics)
                {
                    var lines = history?.GetValueOrDefault((run.RunId, metric.Key)) ?? [];
                    Put(Path.Combine(dir, "metrics", metric.Key),
                        string.Concat(lines.Select(l => l + "\n")) + string.Create(CultureInfo.InvariantCulture, $"{metric.Timestamp} {Python(metric.Value)} {metric.Step}\n"));
                }
            }
        }

        return root;
    }

    /// <summary>The SQLite store: experiments, runs, latest_metrics (a NaN as 0 with is_nan, ±inf as ±double.MaxValue), params, tags.</summary>
    public static string WriteSqlite(string path, IEnumerable<TrackedRun> runs)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            CREATE TABLE experiments (experiment_id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL, artifact_location VARCHAR(256),
                lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT);
            CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500),
                entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT, deleted_time BIGINT,
                source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER);
            CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL,
                step BIGINT NOT NULL DEFAULT 0, is_nan BOOLEAN NOT NULL DEFAULT 0);
            CREATE TABLE latest_metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT, step BIGINT NOT NULL,
                is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL);
            CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32) NOT NULL);
            CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(8000), run_uuid VARCHAR(32) NOT NULL);
            """);
        var list = runs.ToList();
        foreach (var experiment in list.GroupBy(r => (r.ExperimentId, r.ExperimentName)))
        {
            Execute(connection, "INSERT INTO experiments VALUES ($id, $name, 'file:///x', 'active', 0, 0)", ("id", long.Parse(experiment.Key.ExperimentId, CultureInfo.InvariantCulture)), ("name", experiment.Key.ExperimentName));
        }

        foreach (var run in list)
        {
            Execute(connection, "INSERT INTO runs VALUES ($id, $name, 'LOCAL', '', '', $user, $status, $start, $end, NULL, '', $stage, 'x', $exp)",
                ("id", run.RunId), ("name", run.RunName), ("user", run.UserId), ("status", run.Status.ToText()), ("start", Ms(run.Start)),
                ("end", run.End is null ? null : Ms(run.End)), ("stage", run.LifecycleStage), ("exp", long.Parse(run.ExperimentId, CultureInfo.InvariantCulture)));
            foreach (var (key, value) in run.Params)
            {
                Execute(connection, "INSERT INTO params VALUES ($k, $v, $r)", ("k", key), ("v", value), ("r", run.RunId));
            }

            foreach (var (key, value) in run.Tags)
            {
                Execute(connection, "INSERT INTO tags VALUES ($k, $v, $r)", ("k", key), ("v", value), ("r", run.RunId));
            }

            foreach (var m in run.Metrics)
            {
                var nan = double.IsNaN(m.Value);
                var value = nan ? 0 : double.IsPositiveInfinity(m.Value) ? double.MaxValue : double.IsNegativeInfinity(m.Value) ? double.MinValue : m.Value;
                Execute(connection, "INSERT INTO latest_metrics VALUES ($k, $v, $t, $s, $n, $r)", ("k", m.Key), ("v", value), ("t", m.Timestamp), ("s", m.Step), ("n", nan ? 1 : 0), ("r", run.RunId));
            }
        }

        return path;
    }

    /// <summary>The REST API's answers: experiments/search in one page, runs/search in pages of <paramref name="pageSize"/>.</summary>
    public static (string Experiments, IReadOnlyList<string> RunPages) RestPages(IEnumerable<TrackedRun> runs, int pageSize)
    {
        var list = runs.ToList();
        var experiments = JsonSerializer.Serialize(new
        {
            experiments = list.GroupBy(r => (r.ExperimentId, r.ExperimentName)).Select(g => new
            {
                experiment_id = g.Key.ExperimentId, name = g.Key.ExperimentName, artifact_location = "mlflow-artifacts:/x", lifecycle_stage = "active",
                last_update_time = "1790000000000", creation_time = "1790000000000",
            }),
        });
        var pages = new List<string>();
        for (var i = 0; i < list.Count; i += pageSize)
        {
            var page = list.Skip(i).Take(pageSize).Select(r => new Dictionary<string, object?>
            {
                ["info"] = new Dictionary<string, object?>
                {
                    ["run_id"] = r.RunId, ["run_uuid"] = r.RunId, ["run_name"] = r.RunName, ["experiment_id"] = r.ExperimentId, ["user_id"] = r.UserId,
                    ["status"] = r.Status.ToText(), ["start_time"] = Ms(r.Start).ToString(CultureInfo.InvariantCulture),
                    ["end_time"] = r.End is null ? null : Ms(r.End).ToString(CultureInfo.InvariantCulture), ["artifact_uri"] = "mlflow-artifacts:/x",
                    ["lifecycle_stage"] = "active",
                },
                ["data"] = new Dictionary<string, object?>
                {
                    ["metrics"] = r.Metrics.Select(m => new Dictionary<string, object?>
                    {
                        ["key"] = m.Key,
                        ["value"] = double.IsFinite(m.Value) ? m.Value : double.IsNaN(m.Value) ? "NaN" : m.Value > 0 ? "Infinity" : "-Infinity",
                        ["timestamp"] = m.Timestamp.ToString(CultureInfo.InvariantCulture), ["step"] = m.Step.ToString(CultureInfo.InvariantCulture),
                    }).ToList(),
                    ["params"] = r.Params.Select(p => new { key = p.Key, value = p.Value }).ToList(),
                    ["tags"] = r.Tags.Select(p => new { key = p.Key, value = p.Value }).ToList(),
                },
            }).ToList();
            var next = i + pageSize < list.Count ? "page-" + (pages.Count + 2).ToString(CultureInfo.InvariantCulture) : null;
            pages.Add(JsonSerializer.Serialize(next is null ? new Dictionary<string, object?> { ["runs"] = page } : new Dictionary<string, object?> { ["runs"] = page, ["next_page_token"] = next }));
        }

        return (experiments, pages);
    }

    private static string Python(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static void Put(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("$" + name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}

/// <summary>
/// A recorded MLflow tracking server on a free loopback port: answers experiments/search with one page and runs/search
/// with the page its <c>page_token</c> names, and records every request body so tests can check the paging.
/// </summary>
internal sealed class RecordedMlflowServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly string _experiments;
    private readonly IReadOnlyList<string> _pages;
    private readonly Task _loop;

    public RecordedMlflowServer(string experiments, IReadOnlyList<string> pages)
    {
        _experiments = experiments;
        _pages = pages;
        // A listener whose Start fails (the port taken) is disposed by it: each attempt takes a new one.
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20000, 60000);
            var listener = new HttpListener();
            try
            {
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                listener.Start();
                _listener = listener;
                Url = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; } = "";

    /// <summary>Each request as "path body".</summary>
    public List<string> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            var path = context.Request.Url!.AbsolutePath;
            lock (Requests)
            {
                Requests.Add($"{context.Request.HttpMethod} {path} {body}");
            }

            var answer = path switch
            {
                "/api/2.0/mlflow/experiments/search" => _experiments,
                "/api/2.0/mlflow/runs/search" => Page(body),
                _ => null,
            };
            context.Response.StatusCode = answer is null ? 404 : 200;
            var bytes = Encoding.UTF8.GetBytes(answer ?? """{"error_code":"ENDPOINT_NOT_FOUND"}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
    }

    private string Page(string body)
    {
        using var json = JsonDocument.Parse(body);
        var token = json.RootElement.TryGetProperty("page_token", out var t) ? t.GetString() : null;
        var index = token is null ? 0 : int.Parse(token["page-".Length..], CultureInfo.InvariantCulture) - 1;
        return _pages.Count == 0 ? "{}" : _pages[index];
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
