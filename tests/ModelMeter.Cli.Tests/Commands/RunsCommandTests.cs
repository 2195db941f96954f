using System.Xml.Linq;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Runs;
using ModelMeter.Tests.Support;
using SkiaSharp;
using static ModelMeter.Tests.Support.MlflowStores;

namespace ModelMeter.Cli.Tests.Commands;

public sealed class RunsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Two experiments: ranker (a tuning tree of three and a training run) and detector (two runs, one failed).</summary>
    internal static List<TrackedRun> Runs() =>
    [
        Run("p1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T06:00:00Z",
            parameters: new() { ["instance_type"] = "g5.xlarge", ["estimator"] = "XGBRanker" }, name: "tuning"),
        Run("c1", "7", "ranker", RunStatus.Finished, "2026-10-05T02:00:00Z", "2026-10-05T04:00:00Z",
            parameters: new() { ["instance_type"] = "g5.xlarge" }, tags: new() { [TrackedRun.ParentRunTag] = "p1" }, name: "trial-1"),
        Run("c2", "7", "ranker", RunStatus.Killed, "2026-10-05T03:00:00Z", "2026-10-05T05:00:00Z",
            parameters: new() { ["instance_type"] = "g5.xlarge" }, tags: new() { [TrackedRun.ParentRunTag] = "p1" }, name: "trial-2"),
        Run("t1", "7", "ranker", RunStatus.Finished, "2026-10-05T07:00:00Z", "2026-10-05T08:00:00Z",
            parameters: new() { ["instance_type"] = "g5.xlarge", ["estimator"] = "XGBRanker" }, name: "train"),
        Run("d1", "9", "detector", RunStatus.Finished, "2026-10-06T22:00:00Z", "2026-10-07T01:00:00Z",
            parameters: new() { ["instance_type"] = "g5.12xlarge", ["estimator"] = "YOLO" }, name: "aug-mosaic"),
        Run("d2", "9", "detector", RunStatus.Failed, "2026-10-07T09:00:00Z", "2026-10-07T09:30:00Z",
            parameters: new() { ["instance_type"] = "g5.12xlarge", ["estimator"] = "YOLO" }, name: "aug-mixup"),
    ];

    [Fact]
    public async Task ImportMlflow_FromATrackingServer_FollowsItsPages_AndRunsRollsUpWithNestedRunsOnce()
    {
        var (experiments, pages) = RestPages(Runs(), 4);
        using var server = new RecordedMlflowServer(experiments, pages);

        var import = await _cli.Run("import", "mlflow", "--tracking-uri", server.Url);
        var byExperiment = await _cli.Run("runs", "--by", "experiment", "--format", "json");

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain("Imported 6 MLflow run(s) (2 nested)");
        server.Requests.Count(r => r.Contains("runs/search", StringComparison.Ordinal)).ShouldBe(2);
        var ranker = byExperiment.Json().GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "ranker");
        ranker.GetProperty("run_time_seconds").GetDouble().ShouldBe(5 * 3600);
        ranker.GetProperty("cost").GetDecimal().ShouldBe(5 * 1.006m, "5 hours of one g5.xlarge: the children's hours lie inside the parent's");
        ranker.GetProperty("waste_runs").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Runs_Csv_HasTheDocumentedColumns()
    {
        WriteMlruns(_cli.Temp.File("mlruns"), Runs());
        (await _cli.Run("import", "mlflow", "--path", "mlruns")).ExitCode.ShouldBe(0);

        var csv = SimpleCsv.Parse((await _cli.Run("runs", "--format", "csv")).Out);

        csv[0].ShouldBe(["run_id", "run_name", "experiment", "parent_run_id", "status", "start", "end", "open", "duration_seconds", "cost", "currency", "cost_basis", "resource_id", "instance_type", "estimator"]);
        csv.Count.ShouldBe(7);
        csv.Single(r => r[0] == "d2")[4].ShouldBe("FAILED");
    }

    [Fact]
    public async Task RunsChart_Png_IsAValidImageShowingEachExperimentsSeriesInItsColour()
    {
        WriteMlruns(_cli.Temp.File("mlruns"), Runs());
        (await _cli.Run("import", "mlflow", "--path", "mlruns")).ExitCode.ShouldBe(0);

        var run = await _cli.Run("runs", "--chart", "runtime", "--out", "runtime.png");

        run.ExitCode.ShouldBe(0, run.ToString());
        var bytes = await File.ReadAllBytesAsync(_cli.Temp.File("runtime.png"));
        bytes.Take(8).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "the PNG signature");
        using var image = SKBitmap.Decode(bytes);
        (image.Width, image.Height).ShouldBe((RunChartImage.Width, RunChartImage.Height));
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < image.Height; y += 1)
        {
            for (var x = 0; x < image.Width; x += 1)
            {
                colours.Add(image.GetPixel(x, y));
            }
        }

        // Experiments in order (detector, ranker) take the palette's first two colours.
        colours.ShouldContain(SKColor.Parse(RunChartImage.Palette[0]), "detector's points");
        colours.ShouldContain(SKColor.Parse(RunChartImage.Palette[1]), "ranker's points");
        colours.ShouldNotContain(SKColor.Parse(RunChartImage.Palette[2]), "no third series");
    }

    [Fact]
    public async Task RunsChart_Svg_IsValidSvgWithOnePointPerRunTreeAndEachExperimentNamed()
    {
        WriteMlruns(_cli.Temp.File("mlruns"), Runs());
        (await _cli.Run("import", "mlflow", "--path", "mlruns")).ExitCode.ShouldBe(0);

        (await _cli.Run("runs", "--chart", "runtime", "--out", "charts/runtime.svg")).ExitCode.ShouldBe(0);

        var svg = XDocument.Load(_cli.Temp.File("charts/runtime.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.ShouldBe(ns + "svg");
        var texts = svg.Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
        texts.ShouldContain("ranker");
        texts.ShouldContain("detector");
        svg.Descendants(ns + "ellipse").Count(e => string.Equals((string?)e.Attribute("fill"), RunChartImage.Palette[1], StringComparison.OrdinalIgnoreCase))
            .ShouldBeGreaterThanOrEqualTo(2, "ranker has two run trees");
        svg.Descendants(ns + "ellipse").Count(e => string.Equals((string?)e.Attribute("fill"), RunChartImage.Palette[0], StringComparison.OrdinalIgnoreCase))
            .ShouldBeGreaterThanOrEqualTo(2, "detector has two run trees");
    }

    [Fact]
    public async Task RunsChart_InTheTerminal_DrawsTheWeekdayHourGrid()
    {
        WriteMlruns(_cli.Temp.File("mlruns"), Runs());
        (await _cli.Run("import", "mlflow", "--path", "mlruns")).ExitCode.ShouldBe(0);

        var run = await _cli.Run("runs", "--chart", "starts");

        run.Out.ShouldContain("Run starts by weekday and hour (UTC)");
        var monday = run.Out.Split('\n').Single(l => l.StartsWith("Mon", StringComparison.Ordinal));
        monday.ShouldEndWith("2", customMessage: "two trees start on Monday");
        monday[5 + 2].ShouldNotBe('·');
        monday[5 + 3].ShouldBe('·');
    }

    [Fact]
    public async Task Runs_OutWithoutChart_IsBadInput()
    {
        WriteMlruns(_cli.Temp.File("mlruns"), Runs());
        await _cli.Run("import", "mlflow", "--path", "mlruns");

        var run = await _cli.Run("runs", "--out", "x.png");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("--out writes a chart");
    }
}
