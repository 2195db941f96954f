using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

public class CheckCommandTests
{
    // 3 × 100 h = 300 and 2 × 200 h = 400: total 700.
    private static CliRunner WithSpecs()
    {
        var cli = new CliRunner();
        cli.WriteFile("a.yaml", "kind: envelope\nname: job a\ninputs:\n  price_per_hour: 3\n  hours: 100\n");
        cli.WriteFile("b.yaml", "kind: envelope\nname: job b\ninputs:\n  price_per_hour: 2\n  hours: 200\n");
        cli.WriteFile("base.yaml", "kind: envelope\nname: main\ninputs:\n  price_per_hour: 2\n  hours: 300\n"); // 600
        return cli;
    }

    [Fact]
    public async Task Check_WithinBudget_Exits0_WithAMarkdownSummary()
    {
        using var cli = WithSpecs();
        var result = await cli.RunAsync("check", "a.yaml", "b.yaml", "--budget", "1000");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldStartWith("## ✅ ModelMeter cost check passed");
        result.Out.ShouldContain("| job a (`a.yaml`) | Total | 300.00 USD |");
        result.Out.ShouldContain("| **total** | | **700.00 USD** |");
        result.Out.ShouldContain("| headroom | 300.00 USD |");
    }

    [Fact]
    public async Task Check_OverBudget_Exits1_AndSaysByHowMuch()
    {
        using var cli = WithSpecs();
        var result = await cli.RunAsync("check", "a.yaml", "b.yaml", "--budget", "650");

        result.ExitCode.ShouldBe(1);
        result.Out.ShouldStartWith("## ❌ ModelMeter cost check failed");
        result.Out.ShouldContain("exceeds the budget of 650.00 USD by 50.00 USD");
    }

    [Fact]
    public async Task Check_IncreaseOverBaselineAboveMax_Exits1()
    {
        // 700 vs 600 = +16.67% > 10%
        using var cli = WithSpecs();
        var result = await cli.RunAsync("check", "a.yaml", "b.yaml", "--budget", "5000", "--baseline", "base.yaml", "--max-increase", "10");

        result.ExitCode.ShouldBe(1);
        result.Out.ShouldContain("Cost rises 16.67% over the baseline (600.00 USD → 700.00 USD), above the allowed 10%.");
        result.Out.ShouldContain("| change | +16.67% |");
    }

    [Theory]
    [InlineData("20", 0)]
    [InlineData("16.67", 0)] // +16.666...% is within 16.67%
    [InlineData("16.66", 1)] // and above 16.66%
    public async Task Check_MaxIncrease_IsTheLimitTheIncreaseIsComparedWith(string maxIncrease, int exitCode)
    {
        using var cli = WithSpecs();
        var result = await cli.RunAsync("check", "a.yaml", "b.yaml", "--budget", "5000", "--baseline", "base.yaml", "--max-increase", maxIncrease, "--format", "json");

        result.ExitCode.ShouldBe(exitCode, result.Out + result.Error);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("baseline_total").GetDecimal().ShouldBe(600m);
        json.RootElement.GetProperty("increase_percent").GetDecimal().ShouldBe(16.6667m);
        json.RootElement.GetProperty("max_increase_percent").GetDecimal().ShouldBe(decimal.Parse(maxIncrease, System.Globalization.CultureInfo.InvariantCulture));
        json.RootElement.GetProperty("over_max_increase").GetBoolean().ShouldBe(exitCode == 1);
        json.RootElement.GetProperty("over_budget").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Check_Json_ToStdoutAndFile()
    {
        using var cli = WithSpecs();
        var result = await cli.RunAsync("check", "a.yaml", "--total", "50", "--budget", "300", "--format", "json", "--json-out", "check.json", "--markdown-out", "check.md");

        // 300 + 50 = 350 > 300
        result.ExitCode.ShouldBe(1);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("passed").GetBoolean().ShouldBeFalse();
        json.RootElement.GetProperty("total").GetDecimal().ShouldBe(350m);
        json.RootElement.GetProperty("headroom").GetDecimal().ShouldBe(-50m);
        json.RootElement.GetProperty("items").GetArrayLength().ShouldBe(2);
        File.ReadAllText(Path.Combine(cli.Directory, "check.json")).ShouldBe(result.Out);
        File.ReadAllText(Path.Combine(cli.Directory, "check.md")).ShouldStartWith("## ❌");
    }

    [Theory]
    [InlineData("expected", 0, "200.00 USD")] // 2 × 100
    [InlineData("pessimistic", 1, "300.00 USD")] // 2 × 150 > 250
    [InlineData("optimistic", 0, "160.00 USD")] // 2 × 80
    public async Task Check_SpecWithRanges_ChecksTheChosenScenario(string scenario, int exitCode, string amount)
    {
        using var cli = WithSpecs();
        cli.WriteFile("ranged.yaml", "kind: envelope\nname: ranged\ninputs:\n  price_per_hour: 2\n  hours: [80, 100, 150]\n");

        var result = await cli.RunAsync("check", "ranged.yaml", "--budget", "250", "--scenario", scenario);

        result.ExitCode.ShouldBe(exitCode, result.Out + result.Error);
        result.Out.ShouldContain($"| ranged (`ranged.yaml`) | Total, {scenario} | {amount} |");
    }

    [Theory]
    [InlineData("check needs --budget AMOUNT.", "check", "a.yaml")]
    [InlineData("--scenario 'likely' is not one of optimistic, expected, pessimistic.", "check", "a.yaml", "--budget", "10", "--scenario", "likely")]
    [InlineData("check needs one or more spec files, or --total AMOUNT.", "check", "--budget", "10")]
    [InlineData("Spec file 'missing.yaml' does not exist.", "check", "missing.yaml", "--budget", "10")]
    [InlineData("--max-increase needs --baseline SPEC to compare against.", "check", "a.yaml", "--budget", "10", "--max-increase", "5")]
    [InlineData("ten", "check", "a.yaml", "--budget", "ten")]
    [InlineData("--budget must not be negative.", "check", "a.yaml", "--budget", "-1")]
    [InlineData("--period applies to a budget scope", "check", "a.yaml", "--budget", "10", "--period", "quarter")]
    [InlineData("--currency 'dollars' is not an ISO 4217 code", "check", "a.yaml", "--budget", "10", "--currency", "dollars")]
    public async Task Check_BadInput_Exits2_SayingWhatIsWrong(string message, params string[] args)
    {
        using var cli = WithSpecs();
        var result = await cli.RunAsync(args);
        result.ExitCode.ShouldBe(2, result.Out + result.Error);
        result.Error.ShouldContain(message);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Check_SpecWithAnError_Exits2_NotPassOrFail()
    {
        using var cli = WithSpecs();
        cli.WriteFile("bad.yaml", "kind: envelope\ninputs:\n  price_per_hour: 3\n  hourz: 100\n");
        var result = await cli.RunAsync("check", "bad.yaml", "--budget", "1000");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("unknown input 'hourz'");
        result.Error.ShouldContain("line 4");
    }
}
