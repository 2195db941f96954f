using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary><c>report --by tag:KEY</c> under a configured tag policy agrees with the policy (aliases, values, inheritance).</summary>
public sealed class ReportTagPolicyTests : IDisposable
{
    private const string Policy = """
        tags:
          keys:
            team:
              aliases: [squad]
              value_aliases: { natural-language: nlp }
          inherit:
            accounts:
              "acct-shared": { team: platform }
        """;

    private readonly CliHarness _cli = new();

    public ReportTagPolicyTests()
    {
        var csv = new FocusCsv().WithColumn("SubAccountId")
            .Row(("EffectiveCost", "10"), ("ResourceId", "i-1"), ("Tags", "{\"team\":\"nlp\"}"))
            .Row(("EffectiveCost", "20"), ("ResourceId", "i-2"), ("Tags", "{\"squad\":\"NLP \"}"))
            .Row(("EffectiveCost", "40"), ("ResourceId", "i-3"), ("Tags", "{\"Team\":\"natural-language\"}"))
            .Row(("EffectiveCost", "80"), ("ResourceId", "i-4"), ("Tags", "{}"), ("SubAccountId", "acct-shared"))
            .Row(("EffectiveCost", "160"), ("ResourceId", "i-5"), ("Tags", "{}"));
        _cli.Write(csv, "oct.csv");
        _cli.Run("import", "focus", "oct.csv").GetAwaiter().GetResult().ExitCode.ShouldBe(0);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task ReportByTag_WithoutPolicy_ReadsTagsAsExported()
    {
        var report = await _cli.Run("report", "--by", "tag:team", "--format", "csv");

        report.ExitCode.ShouldBe(0, report.ToString());
        Costs(report.Out).ShouldBe([("nlp", 10m), ("natural-language", 40m), ("(untagged)", 260m)], ignoreOrder: true);
    }

    [Fact]
    public async Task ReportByTag_WithPolicy_AppliesAliasesValueAliasesAndInheritance()
    {
        _cli.WriteText(Policy, "modelmeter.yaml");

        var report = await _cli.Run("report", "--by", "tag:team", "--format", "csv");

        report.ExitCode.ShouldBe(0, report.ToString());
        Costs(report.Out).ShouldBe([("nlp", 70m), ("platform", 80m), ("(untagged)", 160m)], ignoreOrder: true);
    }

    [Fact]
    public async Task ReportWhereTag_WithPolicy_FiltersOnResolvedValues()
    {
        _cli.WriteText(Policy, "modelmeter.yaml");

        var nlp = await _cli.Run("report", "--by", "ResourceId", "--where", "tag:team=NLP", "--format", "csv");
        var notNlp = await _cli.Run("report", "--by", "tag:team", "--where", "tag:team!=nlp", "--format", "csv");

        nlp.ExitCode.ShouldBe(0, nlp.ToString());
        Costs(nlp.Out).ShouldBe([("i-1", 10m), ("i-2", 20m), ("i-3", 40m)], ignoreOrder: true);
        Costs(notNlp.Out).ShouldBe([("platform", 80m), ("(untagged)", 160m)], ignoreOrder: true);
    }

    private static List<(string, decimal)> Costs(string csv) =>
        SimpleCsv.Parse(csv).Skip(1).Select(r => (r[0], SimpleCsv.Decimal(r[2]))).ToList();
}
