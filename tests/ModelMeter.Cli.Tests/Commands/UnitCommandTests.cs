using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests.Commands;

public sealed class UnitCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task Import()
    {
        _cli.Write(new FocusCsv().Row(("EffectiveCost", "300"), ("Tags", "{\"model\":\"ranker\"}")).Row(("EffectiveCost", "100"), ("Tags", "{\"model\":\"detector\"}")), "focus.csv");
        _cli.WriteText("period,model,metric,value\n2026-10,ranker,predictions_served,1000000\n", "metrics.csv");
        (await _cli.Run("import", "focus", "focus.csv", "--quiet")).ExitCode.ShouldBe(0);
        (await _cli.Run("import", "metrics", "metrics.csv")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Unit_Table_ShowsCostPer1k_AndNaForNoTraffic()
    {
        await Import();

        var run = await _cli.Run("unit", "--by", "tag:model");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Out.ShouldContain("detector (no traffic)");
        run.Out.ShouldContain("n/a");
        run.Out.ShouldContain("0.3");
    }

    [Fact]
    public async Task Unit_JsonAndCsv_CarryTheExactFigures()
    {
        await Import();

        var json = await _cli.Run("unit", "--by", "tag:model", "--format", "json", "--reconcile");
        var csv = await _cli.Run("unit", "--by", "tag:model", "--format", "csv");

        var ranker = json.Json().GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("scope").GetString() == "ranker");
        ranker.GetProperty("cost_per_prediction").GetDecimal().ShouldBe(0.0003m);
        json.Json().GetProperty("reconciliation")[0].GetProperty("reconciles").GetBoolean().ShouldBeTrue();
        csv.Out.ShouldStartWith("scope,period_start,period_end,currency,cost,predictions,cost_per_prediction");
        csv.Out.ShouldContain("ranker,2026-10-01,2026-11-01,USD,300,1000000,0.0003,0.3");
        csv.Out.ShouldContain("no_traffic");
    }
}
