using ModelMeter.Core.Configuration;

namespace ModelMeter.Core.Tests.Budgets;

public sealed class BudgetConfigEditorTests
{
    private const string Yaml = """
        currency: USD
        # Budgets nest.
        budgets:
          - name: all
            scope: []
            amount: 100
          - name: vision
            scope: ["tag:team=vision"]
            period: quarter
            amount: 10
            thresholds: { actual: [80] }
            on_exceed:
              fail_check: true   # keep me

        alerts:
          sinks:
            - name: console
              kind: stdout

        """;

    [Fact]
    public void Add_AfterTheLastItem_KeepsEveryLineOfIt_AndTheSectionsAfter()
    {
        var updated = BudgetConfigEditor.Add(Yaml, new BudgetEntry("nlp", ["tag:team=nlp"], 50m, Parent: "all"));

        updated.ShouldBe(Yaml.Replace("      fail_check: true   # keep me\n", "      fail_check: true   # keep me\n  - name: \"nlp\"\n    scope: [\"tag:team=nlp\"]\n    parent: \"all\"\n    amount: 50\n", StringComparison.Ordinal));
        var config = ConfigParser.Parse(updated, "m.yaml");
        BudgetConfigReader.Budgets(config, "m.yaml").Select(b => b.Name).ShouldBe(["all", "vision", "nlp"], ignoreOrder: true);
    }

    [Fact]
    public void Remove_TheLastItem_TakesAllOfItsLines_AndNothingAfter()
    {
        var updated = BudgetConfigEditor.Remove(Yaml, "vision");

        updated.ShouldBe(Yaml[..Yaml.IndexOf("  - name: vision", StringComparison.Ordinal)] + Yaml[Yaml.IndexOf("\nalerts:", StringComparison.Ordinal)..]);
        BudgetConfigEditor.Remove(Yaml, "all").ShouldStartWith("currency: USD\n# Budgets nest.\nbudgets:\n  - name: vision\n");
    }
}
