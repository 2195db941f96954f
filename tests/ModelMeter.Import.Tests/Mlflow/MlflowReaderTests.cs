using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;
using ModelMeter.Import.Mlflow;
using ModelMeter.Tests.Support;
using static ModelMeter.Tests.Support.MlflowStores;

namespace ModelMeter.Import.Tests.Mlflow;

/// <summary>The three MLflow stores, written in their documented layouts, read into the same runs.</summary>
public sealed class MlflowReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A tuning parent with two children (one killed), a failed run, a running run; metrics with a NaN and an overflow.</summary>
    internal static List<TrackedRun> Runs() =>
    [
        Run("p1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T06:00:00Z",
            parameters: new() { ["estimator"] = "GridSearchCV(estimator=XGBRanker())", ["instance_type"] = "g5.xlarge" },
            tags: new() { ["team"] = "search", ["mlflow.runName"] = "tuning" },
            metrics: [new RunMetric("best_cv_score", -0.25, 1_791_000_000_000, 4), new RunMetric("system/cpu_utilization_percentage", 55.5, 1_791_000_000_000, 0)]),
        Run("c1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T04:00:00Z",
            tags: new() { [TrackedRun.ParentRunTag] = "p1" }, metrics: [new RunMetric("mean_test_score", -0.3, 1_791_000_000_001, 0)]),
        Run("c2", "7", "ranker", RunStatus.Killed, "2026-10-05T03:00:00Z", "2026-10-05T05:00:00Z",
            tags: new() { [TrackedRun.ParentRunTag] = "p1" }, metrics: [new RunMetric("mean_test_score", double.NaN, 1_791_000_000_002, 0)]),
        Run("f1", "9", "detector", RunStatus.Failed, "2026-10-06T08:00:00Z", "2026-10-06T08:30:00Z",
            metrics: [new RunMetric("loss", double.PositiveInfinity, 1_791_000_000_003, 12)]),
        Run("r1", "9", "detector", RunStatus.Running, "2026-10-07T08:00:00Z", null),
    ];

    private static string Describe(TrackedRun r) =>
        $"{r.RunId} {r.ExperimentId}/{r.ExperimentName} {r.RunName} {r.Status.ToText()} {r.Start:O} {(r.End is null ? "-" : r.End.Value.ToString("O"))} parent={r.ParentRunId ?? "-"} " +
        $"params=[{string.Join(",", r.Params.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value))}] " +
        $"tags=[{string.Join(",", r.Tags.Where(t => t.Key != "mlflow.runName").OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value))}] " +
        $"metrics=[{string.Join(",", r.Metrics.OrderBy(m => m.Key).Select(m => $"{m.Key}={m.Value:R}@{m.Step}"))}]";

    [Fact]
    public void FileStore_ReadsEachRunsMetaParamsTagsAndLatestMetric()
    {
        var root = WriteMlruns(_temp.File("mlruns"), Runs(), new()
        {
            // Older steps before the latest value: MLflow keeps the value at the largest step as the run's metric.
            [("p1", "best_cv_score")] = ["1790000000000 -0.9 1", "1792000000000 -0.1 3"],
        });
        Directory.CreateDirectory(Path.Combine(root, "7", "not-a-run"));
        Directory.CreateDirectory(Path.Combine(root, "models", "ranker"));

        var read = MlflowFileStoreReader.Read(root, []);

        read.Runs.Select(Describe).OrderBy(d => d).ShouldBe(Runs().Select(Describe).OrderBy(d => d));
        read.Runs.Single(r => r.RunId == "p1").Metric("best_cv_score")!.Value.ShouldBe(-0.25, "step 4 beats steps 1 and 3, whatever their timestamps");
        read.Runs.Single(r => r.RunId == "p1").Metric("system/cpu_utilization_percentage").ShouldNotBeNull("a key with / is a sub-folder of metrics/");
        read.Runs.Single(r => r.RunId == "p1").RunName.ShouldBe("p1");
        read.Warnings.ShouldHaveSingleItem().ShouldContain("not-a-run");
        read.Experiments.ShouldBe(["ranker", "detector"], ignoreOrder: true);
    }

    [Fact]
    public void FileStore_LeavesOutDeletedRunsAndTheTrash_AndReadsOnlyTheExperimentsAsked()
    {
        var runs = Runs();
        runs[0] = runs[0] with { LifecycleStage = "deleted" };
        var root = WriteMlruns(_temp.File("mlruns"), runs);
        Directory.CreateDirectory(Path.Combine(root, ".trash", "3"));

        var read = MlflowFileStoreReader.Read(root, ["ranker"]);

        read.Runs.Select(r => r.RunId).Order().ShouldBe(["c1", "c2"]);
        Should.Throw<UserInputException>(() => MlflowFileStoreReader.Read(root, ["rankr"])).Message.ShouldBe(
            $"{root}: no active experiment named 'rankr'; it has: detector, ranker.");
    }

    [Fact]
    public void FileStore_AMalformedMetricLine_IsRefusedNamingFileLineAndField()
    {
        var root = WriteMlruns(_temp.File("mlruns"), Runs());
        var file = Path.Combine(root, "9", "f1", "metrics", "loss");
        File.WriteAllText(file, "1791000000003 1e400x 12\n");

        var error = Should.Throw<UserInputException>(() => MlflowFileStoreReader.Read(root, []));

        error.Message.ShouldBe($"{file}: line 1, field 2: value '1e400x' is not a number (nan and inf are allowed).");
    }

    [Fact]
    public void Sqlite_ReadsTheSameRunsAsTheFileStore_NaNFromIsNanAndInfinityAsMlflowsStandIn()
    {
        var path = WriteSqlite(_temp.File("mlflow.db"), Runs());

        var read = MlflowSqliteReader.Read(path, []);

        var expected = Runs().Select(r => r with
        {
            // The SQL stores cannot hold infinity: MLflow writes double.MaxValue instead, and that is what is read back.
            Metrics = r.Metrics.Select(m => double.IsPositiveInfinity(m.Value) ? m with { Value = double.MaxValue } : m).ToList(),
        });
        read.Runs.Select(Describe).OrderBy(d => d).ShouldBe(expected.Select(Describe).OrderBy(d => d));
        double.IsNaN(read.Runs.Single(r => r.RunId == "c2").Metric("mean_test_score")!.Value).ShouldBeTrue();
        MlflowSqliteReader.IsSqlite(WriteMlruns(_temp.File("mlruns"), Runs())).ShouldBeFalse();
    }

    [Fact]
    public void Sqlite_AFileWithoutMlflowsTables_IsRefusedNamingTheTable()
    {
        var path = _temp.File("other.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE experiments (experiment_id INTEGER, name TEXT, lifecycle_stage TEXT)";
            command.ExecuteNonQuery();
        }

        Should.Throw<UserInputException>(() => MlflowSqliteReader.Read(path, [])).Message.ShouldContain("no table 'runs'");
    }

    [Theory]
    [InlineData("UPDATE params SET key = x'00' WHERE run_uuid = 'p1'", "table params, run p1, column key: a 1-byte blob is not text")]
    [InlineData("UPDATE params SET run_uuid = '' WHERE rowid = 1", "table params, row 1, column run_uuid: '' is not a value")]
    [InlineData("UPDATE latest_metrics SET value = x'00ff' WHERE run_uuid = 'c1'", "table latest_metrics, run c1, column value: a 2-byte blob is not a number")]
    [InlineData("UPDATE runs SET start_time = 'soon' WHERE run_uuid = 'p1'", "table runs, run p1, column start_time: 'soon' is not a whole number")]
    [InlineData("UPDATE runs SET end_time = 9223372036854775807 WHERE run_uuid = 'c1'", "table runs, run c1, end_time: 9223372036854775807 milliseconds since 1970 is after the year 9999")]
    public void Sqlite_AValueOfTheWrongKind_IsRefusedNamingTheTableRowAndColumn(string damage, string message)
    {
        // SQLite types loosely: a damaged or hand-edited store can hold NULL in a key, a blob in a number or text in a
        // time, which a cast would turn into a crash.
        var path = WriteSqlite(_temp.File("mlflow.db"), Runs());
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = damage;
            command.ExecuteNonQuery().ShouldBeGreaterThan(0);
        }

        Should.Throw<UserInputException>(() => MlflowSqliteReader.Read(path, [])).Message.ShouldContain($"{path}: {message}");
    }

    [Fact]
    public void FileStore_AMetaYamlCutShortInAFlowSequence_IsRefusedNamingTheFile()
    {
        var root = WriteMlruns(_temp.File("mlruns"), Runs());
        var meta = Directory.EnumerateFiles(root, "meta.yaml", SearchOption.AllDirectories).First(f => Path.GetFileName(Path.GetDirectoryName(f)) == "c1");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace("tags: []", "tags: [", StringComparison.Ordinal));

        var error = Should.Throw<UserInputException>(() => MlflowFileStoreReader.Read(root, []));

        error.Message.ShouldBe($"{meta}: not valid YAML: a '[' or '{{' is not closed, or a value is cut short, before the end of the file.");
    }

    [Fact]
    public async Task Rest_FollowsNextPageTokenAcrossTwoPages_AndReadsInt64AsStringsAndNaNAsAString()
    {
        var (experiments, pages) = RestPages(Runs(), pageSize: 3);
        pages.Count.ShouldBe(2);
        pages[0].ShouldContain("\"start_time\":\"1791165600000\"", customMessage: "the recorded pages carry int64 as strings");
        pages[0].ShouldContain("\"value\":\"NaN\"");
        using var server = new RecordedMlflowServer(experiments, pages);
        using var http = new HttpClient();

        var read = await new MlflowRestReader(http).ReadAsync(new Uri(server.Url), []);

        read.Runs.Select(Describe).OrderBy(d => d).ShouldBe(Runs().Select(Describe).OrderBy(d => d));
        server.Requests.Count(r => r.Contains("/runs/search", StringComparison.Ordinal)).ShouldBe(2);
        server.Requests.Last().ShouldContain("\"page_token\":\"page-2\"");
        server.Requests.Last().ShouldContain("\"experiment_ids\":[\"7\",\"9\"]");
    }

    [Fact]
    public async Task Rest_AValueThatIsNotAnInt64_IsRefusedNamingThePageAndJsonPath()
    {
        var (experiments, pages) = RestPages(Runs(), pageSize: 3);
        using var server = new RecordedMlflowServer(experiments, [pages[0], pages[1].Replace($"\"start_time\":\"{Ms(Utc("2026-10-07T08:00:00Z"))}\"", "\"start_time\":\"yesterday\"", StringComparison.Ordinal)]);
        using var http = new HttpClient();

        var error = await Should.ThrowAsync<UserInputException>(() => new MlflowRestReader(http).ReadAsync(new Uri(server.Url), []));

        error.Message.ShouldBe($"{server.Url} runs/search page 2: $.runs[1].info.start_time: \"yesterday\" is not a whole number (milliseconds since the epoch, as a number or a string).");
    }

    [Fact]
    public async Task Rest_AServerThatRefuses_IsAnErrorWithItsAnswer()
    {
        using var server = new RecordedMlflowServer("not json", []);
        using var http = new HttpClient();

        var error = await Should.ThrowAsync<UserInputException>(() => new MlflowRestReader(http).ReadAsync(new Uri(server.Url + "/nothing"), []));

        error.Message.ShouldContain("answered 404");
    }
}
