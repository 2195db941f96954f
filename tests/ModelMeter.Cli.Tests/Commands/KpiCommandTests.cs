using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests.Commands;

public sealed class KpiCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Kpi_ShowsEachKpiWithStatus_AsATableAndAsTheTree()
    {
        _cli.Write(new FocusCsv().Row(("EffectiveCost", "300"), ("Tags", "{\"model\":\"ranker\"}")), "focus.csv");
        _cli.WriteText("period,model,metric,value\n2026-10,ranker,active_users,1000\n", "metrics.csv");
        _cli.WriteText("kpis:\n  grow:\n    description: Grow.\n  cost_per_active_user:\n    parent: grow\n    formula: cost(tag:model=ranker) / business(active_users, model=ranker)\n    target: 0.25\n    direction: below\n    unit: USD\n", "modelmeter.yaml");
        (await _cli.Run("import", "focus", "focus.csv", "--quiet")).ExitCode.ShouldBe(0);
        (await _cli.Run("import", "metrics", "metrics.csv")).ExitCode.ShouldBe(0);

        var table = await _cli.Run("kpi");
        var tree = await _cli.Run("kpi", "--tree");
        var json = await _cli.Run("kpi", "--format", "json");

        table.ExitCode.ShouldBe(0, table.ToString());
        table.Out.ShouldContain("cost_per_active_user");
        table.Out.ShouldContain("off target");
        tree.Out.ShouldContain("grow");
        tree.Out.ShouldContain("cost_per_active_user: 0.3 USD (target <= 0.25 USD)");
        var kpi = json.Json().GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "cost_per_active_user");
        kpi.GetProperty("values").EnumerateArray().Last().GetProperty("value").GetDecimal().ShouldBe(0.3m);
        kpi.GetProperty("status").GetString().ShouldBe("off_target");
    }
}
