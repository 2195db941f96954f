using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

public class EstimateCommandTests
{
    // compute 2.5 × 1 × 10 = 25; storage 100 GB × 0.02 × 2 months = 4; total 29
    private const string Envelope = """
        kind: envelope
        name: small job
        inputs:
          price_per_hour: 2.5
          hours: 10
          storage_gb: 100
          storage_price_per_gb_month: 0.02
          months: 2
        """;

    [Fact]
    public async Task Estimate_PrintsTheResultTable()
    {
        using var cli = new CliRunner();
        cli.WriteFile("job.yaml", Envelope);

        var result = await cli.RunAsync("estimate", "job.yaml");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("small job (envelope)");
        result.Out.ShouldContain("29.00 USD");
        result.Out.ShouldContain("--explain");
    }

    [Fact]
    public async Task Estimate_Json_GivesHeadlineStepsAndResults()
    {
        using var cli = new CliRunner();
        cli.WriteFile("job.yaml", Envelope);

        var result = await cli.RunAsync("estimate", "job.yaml", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        root.GetProperty("kind").GetString().ShouldBe("envelope");
        root.GetProperty("headline").GetProperty("key").GetString().ShouldBe("total_cost");
        root.GetProperty("headline").GetProperty("value").GetDecimal().ShouldBe(29m);
        root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ShouldBe(["compute", "storage", "total"]);
        root.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "storage_cost").GetProperty("value").GetDecimal().ShouldBe(4m);
    }

    [Fact]
    public async Task Estimate_Explain_ShowsTheWorkingAndThePricesUsed()
    {
        using var cli = new CliRunner();
        cli.WriteFile("serve.yaml", "kind: inference\ninputs:\n  instance: g5.xlarge\n  instances: 2\n  rps_per_instance: 50\n  headroom: 0.3\n  overhead: 0.2\n");

        var result = await cli.RunAsync("estimate", "serve.yaml", "--explain");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("Working");
        result.Out.ShouldContain("hourly price × instances × (1 + overhead) = 1.006 × 2 × (1 + 0.2)");
        result.Out.ShouldContain("1,762.51 USD"); // 1.006 × 2 × 1.2 × 730 = 1,762.512
        result.Out.ShouldContain("Prices used");
        result.Out.ShouldContain("data/catalog/instances-aws.yaml");
    }

    [Fact]
    public async Task Estimate_Markdown_HasTheResultsAndTheWorking()
    {
        using var cli = new CliRunner();
        cli.WriteFile("job.yaml", Envelope);

        var result = await cli.RunAsync("estimate", "job.yaml", "--format", "markdown");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("### small job (envelope)");
        result.Out.ShouldContain("| **Total** | 29.00 USD |");
        result.Out.ShouldContain("| storage | GB × price × months = 100 × 0.02 × 2 | 4.00 USD |");
    }

    [Fact]
    public async Task Estimate_WithRanges_ShowsThreeScenarios()
    {
        using var cli = new CliRunner();
        cli.WriteFile("job.yaml", "kind: envelope\ninputs:\n  price_per_hour: 2\n  hours: {low: 80, expected: 100, high: 150}\n");

        var result = await cli.RunAsync("estimate", "job.yaml");

        // 2 × 80 = 160; 2 × 100 = 200; 2 × 150 = 300
        result.Out.ShouldContain("Optimistic");
        result.Out.ShouldMatch(@"Total\s*│\s*160\.00 USD\s*│\s*200\.00 USD\s*│\s*300\.00 USD");
    }

    [Fact]
    public async Task Estimate_UnknownInstance_Exits2_NamingItAndSuggesting()
    {
        using var cli = new CliRunner();
        cli.WriteFile("serve.yaml", "kind: inference\ninputs:\n  instance: p5.48xl\n  instances: 1\n  rps_per_instance: 5\n");

        var result = await cli.RunAsync("estimate", "serve.yaml");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("Unknown instance type 'p5.48xl'");
        result.Error.ShouldContain("p5.48xlarge");
    }

    [Fact]
    public async Task Estimate_MissingSpecFile_Exits2()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("estimate", "nope.yaml");
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("'nope.yaml' does not exist");
    }

    [Fact]
    public async Task Estimate_WarnsOnStderr_WhenAPriceUsedIsOlderThan180Days()
    {
        // g5.xlarge is dated 2025-06-01: fresh on 2025-07-01, stale on 2026-01-01 (214 days).
        var spec = "kind: envelope\ninputs:\n  instance: g5.xlarge\n  hours: 10\n";
        using (var fresh = new CliRunner(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero)))
        {
            fresh.WriteFile("job.yaml", spec);
            (await fresh.RunAsync("estimate", "job.yaml")).Error.ShouldNotContain("warning");
        }

        using var stale = new CliRunner(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        stale.WriteFile("job.yaml", spec);
        var result = await stale.RunAsync("estimate", "job.yaml");
        result.ExitCode.ShouldBe(0);
        result.Error.ShouldContain("warning:");
        result.Error.ShouldContain("214 days ago");
    }

    [Fact]
    public async Task Estimate_UsesPriceOverridesFromModelmeterYaml()
    {
        using var cli = new CliRunner();
        cli.WriteFile("modelmeter.yaml", "prices:\n  source: our rate card\n  as_of: 2025-06-15\n  instances:\n    - {key: g5.xlarge, on_demand: 2}\n");
        cli.WriteFile("job.yaml", "kind: envelope\ninputs:\n  instance: g5.xlarge\n  hours: 10\n");

        var result = await cli.RunAsync("estimate", "job.yaml", "--explain");

        // 2 × 1 × 10 = 20 instead of 1.006 × 10 = 10.06
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("20.00 USD");
        result.Out.ShouldContain("our rate card");
    }
}
