using ModelMeter.Core.Configuration;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary>The README's attribution example parses, so the documentation never shows a config that fails.</summary>
public class ReadmeConfigTests
{
    [Fact]
    public void Readme_TagPolicyAndAllocationExample_Parses()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### Tag policy, hierarchy and allocation", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var config = ConfigParser.Parse(yaml, "README.md");

        config.Allocation.Rules.Select(r => r.Name).ShouldBe(["gpu-cluster", "support", "shared-storage"]);
        config.Hierarchy.Levels!.Count.ShouldBe(6);
    }

    [Fact]
    public void Readme_BudgetsAlertsAndAnomaliesExample_Parses_AndNests()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### Budgets, alerts and anomalies", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var config = ConfigParser.Parse(yaml, "README.md");

        var budgets = BudgetConfigReader.Budgets(config, "README.md");
        budgets.Select(b => b.Name).ShouldBe(["cc-100", "search"], ignoreOrder: true);
        budgets.Single(b => b.Name == "search").Parent.ShouldBe("cc-100");
        BudgetConfigReader.Sinks(config).Select(s => s.Name).ShouldBe(["ops-hook", "slack", "alertmanager", "console"]);
    }

    [Fact]
    public void Readme_SeedKpis_ParseWithTheirFormulas()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### `modelmeter kpi`", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var config = ConfigParser.Parse(yaml, "README.md");

        config.Kpis.Keys.ShouldBe(
            ["reduce_cost", "cost_per_prediction", "inference_cost_trend", "cost_per_active_user", "gpu_utilisation_serving", "gpu_utilisation_training", "training_cost_efficiency", "week_over_week_cost_change"],
            ignoreOrder: true);
        foreach (var (name, kpi) in config.Kpis.Where(k => k.Value.Formula is not null))
        {
            Should.NotThrow(() => ModelMeter.Core.Kpis.KpiFormula.Parse(kpi.Formula!, name));
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ModelMeter.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ModelMeter.slnx not found above the test binaries.");
    }
}
