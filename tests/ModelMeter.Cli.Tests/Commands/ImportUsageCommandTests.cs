using Microsoft.Extensions.Time.Testing;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Cli.Tests.Commands;

public class ImportUsageCommandTests
{
    private const string Good = "start,end,Team,cluster,metric,value\n" +
                                "2026-10-01T22:00:00Z,2026-10-02T02:00:00Z,NLP,gpu-a,gpu_hours,32\n" +
                                "2026-10-01T08:00:00Z,2026-10-01T12:00:00Z,vision,gpu-a,gpu_hours,16\n";

    [Fact]
    public async Task ImportUsage_StoresTheSamples_SpreadOverDays_AndTheSameFileAgainIsANoOp()
    {
        using var cli = new CliRunner();
        cli.WriteFile("usage.csv", Good);

        var first = await cli.RunAsync("import", "usage", "usage.csv");
        var again = await cli.RunAsync("import", "usage", "usage.csv");

        first.ExitCode.ShouldBe(0, first.Error);
        first.Out.ShouldContain("Imported 3 usage sample(s)");
        again.ExitCode.ShouldBe(0, again.Error);
        again.Out.ShouldContain("was already imported");
        var samples = ReadUsage(cli);
        samples.Count.ShouldBe(3);
        samples.Sum(s => s.Value).ShouldBe(48m);
        samples.Where(s => s.Period == new DateOnly(2026, 10, 2)).ShouldHaveSingleItem().Value.ShouldBe(16m);
    }

    [Fact]
    public async Task ImportUsage_RefusesABadLine_NamingLineAndColumn_AndLeavesTheStoreUnchanged()
    {
        using var cli = new CliRunner();
        cli.WriteFile("usage.csv", Good);
        (await cli.RunAsync("import", "usage", "usage.csv")).ExitCode.ShouldBe(0);
        cli.WriteFile("bad.csv", "timestamp,team,metric,value\n2026-10-03T10:00:00Z,nlp,gpu_hours,5\n2026-10-03T11:00:00Z,vision,gpu_hours,12,5\n");
        cli.WriteFile("negative.csv", "timestamp,team,metric,value\n2026-10-03T10:00:00Z,nlp,gpu_hours,5\n2026-10-03T11:00:00Z,vision,gpu_hours,-2\n");

        var bad = await cli.RunAsync("import", "usage", "bad.csv");
        var negative = await cli.RunAsync("import", "usage", "negative.csv");

        bad.ExitCode.ShouldBe(2);
        bad.Error.ShouldContain("bad.csv: line 3");
        negative.ExitCode.ShouldBe(2);
        negative.Error.ShouldContain("negative.csv: line 3, column 4");
        negative.Error.ShouldContain("negative");
        var samples = ReadUsage(cli);
        samples.Sum(s => s.Value).ShouldBe(48m);
        samples.ShouldNotContain(s => s.Period == new DateOnly(2026, 10, 3));
    }

    private static IReadOnlyList<Core.Allocation.UsageSample> ReadUsage(CliRunner cli)
    {
        using var store = DuckDbCostStore.Open(Path.Combine(cli.Directory, ".modelmeter", "meter.duckdb"), new FakeTimeProvider());
        return store.QueryUsage(null, null);
    }
}
