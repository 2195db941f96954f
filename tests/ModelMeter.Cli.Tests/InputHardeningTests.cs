using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>Option values and inputs that used to end in a .NET stack trace (exit 3): each is now exit 2 naming what is wrong.</summary>
public sealed class InputHardeningTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task Seed() =>
        (await _cli.Run("import", "focus", _cli.Write(new FocusCsv().Row(("ChargePeriodStart", "2026-10-01T05:00:00Z"), ("ChargePeriodEnd", "2026-10-01T06:00:00Z")).Row(("ResourceId", "i-2")), "bill.csv"))).ExitCode.ShouldBe(0);

    [Theory]
    [InlineData("--month", "9999-12", "--month '9999-12' is outside the months ModelMeter stores")]
    [InlineData("--last", "99999999d", "--last '99999999d' reaches back before 1900-01-01")]
    [InlineData("--last", "2147483647w", "--last '2147483647w' reaches back before 1900-01-01")]
    [InlineData("--top", "99999999999", "--top '99999999999' is not a whole number from 1 to 2147483647")]
    [InlineData("--where", "tag:team==nlp", "'==' is not an operator")]
    public async Task Report_WithAnOptionOutOfRange_IsExit2_NamingTheOption(string option, string value, string message)
    {
        await Seed();

        var run = await _cli.Run("report", option, value);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Err.ShouldContain(message);
        run.Err.ShouldNotContain("   at ");
        run.Err.ShouldNotContain("Nullable");
    }

    [Fact]
    public async Task Report_CostAmortized_IsEffectiveCost_AndGrainHour_GivesHourlyPeriods()
    {
        await Seed();

        var amortized = await _cli.Run("report", "--cost", "amortized", "--format", "json");
        var effective = await _cli.Run("report", "--cost", "effective", "--format", "json");
        var hourly = await _cli.Run("report", "--grain", "hour", "--format", "csv");

        amortized.ExitCode.ShouldBe(0, amortized.ToString());
        amortized.Out.ShouldBe(effective.Out);
        hourly.ExitCode.ShouldBe(0, hourly.ToString());
        hourly.Out.ShouldContain("2026-10-01T00:00Z");
        hourly.Out.ShouldContain("2026-10-01T05:00Z");
        (await _cli.Run("allocate", "--grain", "hour")).Err.ShouldContain("--grain hour is for report");
    }

    [Fact]
    public async Task Tags_WithNothingRequired_SaysSo_AndSuggestsTagsRequired()
    {
        await Seed();
        _cli.WriteText("currency: USD\n", "modelmeter.yaml");

        var run = await _cli.Run("tags");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Out.ShouldContain("No tag key is required by the tag policy");
        run.Out.ShouldContain("tags.required");
        run.Out.ShouldNotContain("100.0% of cost fully tagged");
    }

    [Fact]
    public async Task Init_WritesRequiredTeam_AndTagsMeasuresIt()
    {
        (await _cli.Run("init")).ExitCode.ShouldBe(0);
        await Seed();

        var run = await _cli.Run("tags");

        File.ReadAllText(Path.Combine(_cli.WorkingDirectory, "modelmeter.yaml")).ShouldContain("keys: [team]");
        run.Out.ShouldContain("100.0% of cost fully tagged");
    }

    [Fact]
    public async Task AUsageFile_WithInvalidUtf8_IsRefusedWithLineAndColumn()
    {
        var bytes = "timestamp,team,metric,value\n2026-10-01,n\u00e9lp,gpu_hours,1\n"u8.ToArray();
        var path = Path.Combine(_cli.WorkingDirectory, "usage.csv");
        File.WriteAllBytes(path, [.. bytes.Take(40), 0xFF, .. bytes.Skip(40)]);

        var run = await _cli.Run("import", "usage", "usage.csv");

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Err.ShouldContain("usage.csv: line 2, column 13: byte 0xFF is not UTF-8");
    }
}
