using ModelMeter.Application.Imports;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;
using ModelMeter.Store;
using ModelMeter.Store.DuckDb;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Usage;

/// <summary>One real Prometheus, filled with six hours of history, for every test of the class.</summary>
public sealed class PrometheusFixture : IDisposable
{
    public PrometheusFixture()
    {
        Start = PrometheusServer.HourAgo(30);
        Server = new PrometheusServer(ServingHistory.OpenMetrics(Start), "count_over_time(predictions_total[3d])");
    }

    public DateTime Start { get; }

    internal PrometheusServer Server { get; }

    public void Dispose() => Server.Dispose();
}

public sealed class ImportPrometheusUseCaseTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>, IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private Task<ImportSeriesResult> Import(params string[] presets) => _app.Get<ImportPrometheusUseCase>().RunAsync(new ImportPrometheusRequest
    {
        Url = prometheus.Server.Url,
        Presets = presets,
        From = prometheus.Start.ToString("O"),
        To = prometheus.Start.AddHours(6).ToString("O"),
    });

    private IReadOnlyList<UsageStatistic> Hourly(string metric)
    {
        using var store = DuckDbCostStore.Open(_app.StorePath, _app.Clock);
        return store.QueryUsageStatistics(new UsageStatisticsQuery { Metrics = [metric] });
    }

    [Fact]
    public async Task DcgmPreset_StoresHourlyUtilisationAsPercent_AndFramebufferInBytes()
    {
        var result = await Import("dcgm");

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.Series.ShouldBe(new Dictionary<string, int> { ["gpu_utilization_percent"] = 1, ["gpu_memory_used_bytes"] = 1 });
        var util = Hourly("gpu_utilization_percent");
        util.Select(s => s.Bucket).ShouldBe(Enumerable.Range(0, 6).Select(h => prometheus.Start.AddHours(h)), "each value covers the hour before its evaluation");
        util.Select(s => decimal.Round(s.Mean, 6)).ShouldBe([20m, 20m, 20m, 80m, 80m, 80m]);
        util[0].Dimensions.ShouldBe(new Dictionary<string, string?> { ["gpu"] = "0", ["gpu_uuid"] = "GPU-a0", ["host"] = "node-a" }, ignoreOrder: true);
        Hourly("gpu_memory_used_bytes").ShouldAllBe(s => s.Mean == 1024m * 1_048_576m);
    }

    [Fact]
    public async Task CounterPresets_IntegrateTheRateOverEachStep_AndRenameVllmsModelLabel()
    {
        var result = await Import("predictions", "vllm", "triton");

        var predictions = Hourly("predictions");
        predictions.Count.ShouldBe(6);
        predictions.ShouldAllBe(s => Math.Abs(s.Sum - 1200m) < 0.001m, "100 every five minutes");
        predictions[0].Dimensions["resource_id"].ShouldBe("i-ranker");
        var tokens = Hourly("input_tokens");
        tokens.ShouldAllBe(s => Math.Abs(s.Sum - 6000m) < 0.001m);
        tokens[0].Dimensions.ShouldBe(new Dictionary<string, string?> { ["model"] = "llama" });
        Hourly("output_tokens").Sum(s => s.Sum).ShouldBe(7200m, 0.01m);
        Hourly("gpu_utilization_percent").ShouldAllBe(s => Math.Abs(s.Mean - 35m) < 0.0001m, "Triton's 0-1 is stored as percent");
        result.Warnings.ShouldContain(w => w.StartsWith("requests: Prometheus returned no series", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameRangeAgain_IsAlreadyImported_AndANewerReadingReplacesTheOldOne()
    {
        var first = await Import("dcgm");
        var again = await Import("dcgm");
        var custom = await _app.Get<ImportPrometheusUseCase>().RunAsync(new ImportPrometheusRequest
        {
            Url = prometheus.Server.Url,
            Queries = ["gpu_utilization_percent=avg by (Hostname) (avg_over_time(DCGM_FI_DEV_GPU_UTIL[1h])) * 0 + 50"],
            From = prometheus.Start.ToString("O"),
            To = prometheus.Start.AddHours(6).ToString("O"),
        });

        again.Outcome.ShouldBe(ImportOutcome.AlreadyImported);
        again.ImportId.ShouldBe(first.ImportId);
        custom.Replaced.ShouldBe(6, "the same metric's days are measured again");
        Hourly("gpu_utilization_percent").ShouldAllBe(s => s.Mean == 50m);
    }

    [Fact]
    public async Task ABadQuery_IsRefusedWithPrometheusOwnMessage()
    {
        var error = await Should.ThrowAsync<UserInputException>(() => _app.Get<ImportPrometheusUseCase>().RunAsync(new ImportPrometheusRequest
        {
            Url = prometheus.Server.Url,
            Queries = ["broken=sum by (model) (increase(predictions_total[1h]"],
            From = prometheus.Start.ToString("O"),
            To = prometheus.Start.AddHours(6).ToString("O"),
        }));

        error.Message.ShouldStartWith("broken: Prometheus refused the query (400): ");
        File.Exists(_app.StorePath).ShouldBeFalse("nothing was written");
    }
}
