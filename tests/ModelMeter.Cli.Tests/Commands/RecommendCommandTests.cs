using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>modelmeter recommend</c> on the demo month, through the command line.</summary>
public class RecommendCommandTests(DemoAttributionFixture demo) : IClassFixture<DemoAttributionFixture>
{
    [Fact]
    public async Task Recommend_ListsTheFindingsRankedBySaving_WithATotal()
    {
        demo.Demo.ExitCode.ShouldBe(0, demo.Demo.Error);
        demo.Demo.Out.ShouldContain("scale-down: 4,423.80 USD a month", Case.Sensitive, "the demo prints the saving each planted waste should yield");

        var result = await demo.Cli.RunAsync("recommend", "--from", "2026-10-01", "--to", "2026-10-31");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("scale-down");
        result.Out.ShouldContain("4,423.80");
        result.Out.ShouldContain("off-hours");
        result.Out.ShouldContain("Total");
    }

    [Fact]
    public async Task Recommend_Json_IsTheDocumentedDocument_AndExplainShowsTheArithmetic()
    {
        var json = await demo.Cli.RunAsync("recommend", "--format", "json", "--min-saving", "0");
        json.ExitCode.ShouldBe(0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        var findings = doc.RootElement.GetProperty("findings");
        findings.GetArrayLength().ShouldBeGreaterThan(5);
        var first = findings[0];
        foreach (var field in new[] { "id", "rule", "resources", "owner", "team", "evidence", "monthly_saving", "monthly_cost", "currency", "how", "effort", "risk", "action" })
        {
            first.TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        var explain = await demo.Cli.RunAsync("recommend", "--explain", first.GetProperty("id").GetString()!);
        explain.ExitCode.ShouldBe(0, explain.Error);
        explain.Out.ShouldContain("how:");
        explain.Out.ShouldContain("evidence:");

        var markdown = await demo.Cli.RunAsync("recommend", "--format", "markdown");
        markdown.Out.ShouldStartWith("### Recommendations");

        var unknown = await demo.Cli.RunAsync("recommend", "--explain", "idle-00000000");
        unknown.ExitCode.ShouldBe(2);
        unknown.Error.ShouldContain("is not a finding");
    }
}
