using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Configuration;

public class AttributionConfigTests
{
    private static string Fixture() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", "modelmeter.allocation.yaml"));

    private static ModelMeterConfig Parse(string yaml) => ConfigParser.Parse(yaml, "modelmeter.yaml");

    [Fact]
    public void DocumentedExample_Parses_IntoPolicyRulesAndHierarchy()
    {
        var config = Parse(Fixture());

        var policy = AttributionConfigReader.BuildTagPolicy(config);
        var rules = AttributionConfigReader.BuildRules(config, policy);
        var levels = AttributionConfigReader.HierarchyLevels(config, policy);

        policy.CanonicalKey("aws:Team").ShouldBe("team");
        policy.CanonicalKey("stage").ShouldBe("environment");
        policy.Required.Count.ShouldBe(2);
        policy.Resolve(new Dictionary<string, string?>(), "111122223333", null).Tags["cost_center"].ShouldBe("CC-100");
        config.Tags.Inherit.ResourcesFile.ShouldBe("resource-tags.csv");
        levels.ShouldBe(["cost_center", "team", "product", "model", "environment", "experiment"]);
        rules.Select(r => (r.Name, r.Method)).ShouldBe(
        [
            ("gpu-cluster", AllocationMethod.Usage),
            ("shared-a100", AllocationMethod.Usage),
            ("platform-team", AllocationMethod.Even),
            ("support", AllocationMethod.Proportional),
            ("shared-storage", AllocationMethod.Fixed),
        ]);
        rules[0].Idle.ShouldBe(new IdleCapacity(IdleMode.Line) { CapacityPerDay = 192m });
        rules[0].Driver!.Where["cluster"].ShouldBe("gpu-a");
        rules[1].Idle!.Mode.ShouldBe(IdleMode.Spread);
        rules[1].Idle!.CapacityMetric.ShouldBe("gpu_seconds_capacity");
        rules[2].Pool.Tags["team"].ShouldBe("platform");
        rules[4].FixedPercentages!["vision"].ShouldBe(30m);
        rules[4].Grain.ShouldBe(TimeGrain.Month);
        rules[3].Grain.ShouldBe(TimeGrain.Day);
    }

    [Fact]
    public void DocsAllocationMd_ShowsExactlyTheTestedExample()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ModelMeter.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var docs = File.ReadAllText(Path.Combine(root, "docs", "allocation.md"));

        docs.ShouldContain("```yaml\n" + Fixture() + "```", Case.Sensitive, "docs/allocation.md must carry the fixture verbatim, so the documented example is the tested one");
    }

    [Fact]
    public void NoSections_GiveTheDefaults()
    {
        var config = Parse("currency: EUR\n");

        var policy = AttributionConfigReader.BuildTagPolicy(config);
        AttributionConfigReader.BuildRules(config, policy).ShouldBeEmpty();
        AttributionConfigReader.HierarchyLevels(config, policy).ShouldBe(HierarchyRollup.DefaultLevels);
        policy.UntaggedLabel.ShouldBe("(untagged)");
        policy.CanonicalKey("user:Team").ShouldBe("team");
    }

    [Fact]
    public void EmptySections_AreTreatedAsAbsent()
    {
        var config = Parse("tags:\n  keys:\n  required:\n  inherit:\nhierarchy:\nallocation:\n  rules:\n");

        var policy = AttributionConfigReader.BuildTagPolicy(config);
        AttributionConfigReader.BuildRules(config, policy).ShouldBeEmpty();
        AttributionConfigReader.HierarchyLevels(config, policy).ShouldBe(HierarchyRollup.DefaultLevels);
    }

    [Fact]
    public void AllowedValues_AreNormalisedLikeTagValues()
    {
        var config = Parse("tags:\n  keys:\n    team:\n      allowed: [NLP, ' Vision ']\n");

        var policy = AttributionConfigReader.BuildTagPolicy(config);

        policy.Resolve(new Dictionary<string, string?> { ["Team"] = "vision" }, null, null).Violations.ShouldBeEmpty();
    }

    [Fact]
    public void AllowedValues_RefuseAValueOutsideTheList_AsNotFullyTagged()
    {
        var config = Parse("tags:\n  keys:\n    team:\n      allowed: [nlp, vision]\n  required:\n    - scope: all\n      keys: [team]\n");

        var policy = AttributionConfigReader.BuildTagPolicy(config);
        var resolution = policy.Resolve(new Dictionary<string, string?> { ["team"] = "marketing" }, null, null);

        resolution.Violations.ShouldHaveSingleItem().Kind.ShouldBe(TagViolationKind.NotAllowed);
        resolution.Violations[0].Key.ShouldBe("team");
        resolution.Violations[0].Value.ShouldBe("marketing");
        resolution.IsFullyTagged.ShouldBeFalse();
        policy.Resolve(new Dictionary<string, string?> { ["team"] = "nlp" }, null, null).IsFullyTagged.ShouldBeTrue();
    }

    [Theory]
    [InlineData(
        "allocation:\n  rules:\n    - name: s3\n      pool: { service: Amazon S3 }\n      target: team\n      method: fixed\n      shares: { nlp: 50, vision: 40 }\n",
        "modelmeter.yaml: allocation.rules[0] (s3): fixed shares sum to 90%, they must sum to 100% (nlp 50, vision 40).")]
    [InlineData(
        "allocation:\n  rules:\n    - name: s3\n      pool: { service: Amazon S3 }\n      target: team\n      method: split\n",
        "modelmeter.yaml: allocation.rules[0] (s3): method 'split' is not one of even, proportional, fixed, usage.")]
    [InlineData(
        "allocation:\n  rules:\n    - pool: { service: Amazon S3 }\n      target: team\n      method: even\n",
        "modelmeter.yaml: allocation.rules[0]: the rule has no name")]
    [InlineData(
        "allocation:\n  rules:\n    - name: all\n      pool: {}\n      target: team\n      method: even\n",
        "modelmeter.yaml: allocation.rules[0] (all): pool selects nothing")]
    [InlineData(
        "allocation:\n  rules:\n    - name: gpu\n      pool: { service: EKS }\n      target: team\n      method: usage\n",
        "method usage needs a driver metric")]
    [InlineData(
        "allocation:\n  rules:\n    - name: gpu\n      pool: { service: EKS }\n      target: team\n      method: usage\n      driver: { metric: gpu_hours }\n      idle: { mode: line }\n",
        "idle needs exactly one of capacity_per_day or capacity_metric")]
    [InlineData(
        "allocation:\n  rules:\n    - name: gpu\n      pool: { service: EKS }\n      target: team\n      method: usage\n      driver: { metric: gpu_hours }\n      idle: { capacity_per_day: 24, mode: sometimes }\n",
        "idle.mode 'sometimes' is not one of line")]
    [InlineData(
        "allocation:\n  rules:\n    - name: s\n      pool: { service: S }\n      target: team\n      method: even\n    - name: s\n      pool: { service: T }\n      target: team\n      method: even\n",
        "modelmeter.yaml: allocation.rules[1] (s): another rule is already named 's'.")]
    [InlineData(
        "allocation:\n  grain: hour\n",
        "modelmeter.yaml: allocation.grain 'hour' is not one of day, week, month.")]
    [InlineData(
        "tags:\n  value_case: title\n",
        "modelmeter.yaml: tags.value_case 'title' is not one of lower, upper, preserve.")]
    [InlineData(
        "tags:\n  required:\n    - scope: environment\n      keys: [team]\n",
        "modelmeter.yaml: tags.required: scope 'environment': 'environment' is not key=value or key!=value (or use 'all').")]
    [InlineData(
        "tags:\n  keys:\n    team: { aliases: [owner] }\n    person: { aliases: [Owner] }\n",
        "modelmeter.yaml: tags.keys: Alias 'Owner' is claimed by both 'team' and 'person'.")]
    [InlineData(
        "hierarchy:\n  levels: [team, Team]\n",
        "modelmeter.yaml: hierarchy.levels lists 'team' twice (after alias normalisation).")]
    public void InvalidSections_AreRefusedWhenTheConfigIsRead_WithAClearMessage(string yaml, string expected)
    {
        var ex = Should.Throw<UserInputException>(() => Parse(yaml));

        ex.Message.ShouldContain(expected);
    }

    [Fact]
    public void UnknownSetting_IsRefusedWithItsLine()
    {
        var ex = Should.Throw<UserInputException>(() => Parse("allocation:\n  rules:\n    - name: s3\n      pool: { servce: Amazon S3 }\n"));

        ex.Message.ShouldStartWith("modelmeter.yaml: line 4");
    }
}
