using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

public class CatalogCommandTests
{
    [Fact]
    public async Task Catalog_ListsEveryKind_WithSourceAndDate()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("catalog");

        result.ExitCode.ShouldBe(0, result.Error);
        foreach (var key in new[] { "H100-SXM", "p4d.24xlarge", "a3-highgpu-8g", "Standard_ND96asr_v4", "gpt-4o-mini", "aws-s3-standard", "aws-internet-egress" })
        {
            result.Out.ShouldContain(key);
        }

        result.Out.ShouldContain("2025-06-01");
    }

    [Fact]
    public async Task CatalogSearch_FindsTheMatchingEntriesOnly()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("catalog", "search", "a100-80");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("p4de.24xlarge");
        result.Out.ShouldContain("Standard_NC24ads_A100_v4");
        result.Out.ShouldNotContain("g5.xlarge");
    }

    [Fact]
    public async Task CatalogSearch_Json_FiltersByKind()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("catalog", "search", "claude", "--kind", "llm", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var entries = json.RootElement.EnumerateArray().ToList();
        entries.Count.ShouldBe(4);
        entries.ShouldAllBe(e => e.GetProperty("kind").GetString() == "llm");
        entries.ShouldAllBe(e => e.GetProperty("as_of").GetString() == "2025-09-05");
    }

    [Fact]
    public async Task Catalog_MarksStaleEntries_AndWarns()
    {
        using var cli = new CliRunner(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var result = await cli.RunAsync("catalog", "search", "gpt-5-nano");

        result.Out.ShouldContain("(stale)");
        result.Error.ShouldContain("older than 180 days");
    }

    [Fact]
    public async Task Catalog_UnknownKind_Exits2()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("catalog", "--kind", "tpu");
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("'tpu'");
    }
}
