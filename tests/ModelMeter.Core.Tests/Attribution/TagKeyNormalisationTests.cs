using CsCheck;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Billing;

namespace ModelMeter.Core.Tests.Attribution;

/// <summary>
/// The one tag-key normaliser: the default policy's built-in aliases, the namespace rule, a configured policy that
/// extends the default without losing it, and the store's hierarchy columns derived through the same code.
/// </summary>
public class TagKeyNormalisationTests
{
    [Theory]
    [InlineData("env", "environment")]
    [InlineData("Stage", "environment")]
    [InlineData("gcp:environment", "environment")]
    [InlineData("aws:Env", "environment")]
    [InlineData("CostCenter", "cost_center")]
    [InlineData("COSTCENTER", "cost_center")]
    [InlineData("Cost Centre", "cost_center")]
    [InlineData("user:Cost-Center", "cost_center")]
    [InlineData("ModelName", "model")]
    [InlineData("experiment_name", "experiment")]
    [InlineData("tag:Team", "team")]
    [InlineData("label:team", "team")]
    [InlineData("azure:team", "team")]
    public void DefaultPolicy_KnowsTheHierarchysUsualSpellings(string raw, string expected) =>
        TagPolicy.Default.CanonicalKey(raw).ShouldBe(expected);

    [Theory]
    [InlineData("aws:cloudformation:stack-name", "cloudformation_stack_name")] // only the namespace goes; the rest keeps its words
    [InlineData("aws:createdBy", "created_by")]
    [InlineData("kubernetes.io/name", "kubernetes_io_name")] // no namespace colon: a DNS prefix is part of the key
    [InlineData("app.kubernetes.io/part-of", "app_kubernetes_io_part_of")]
    [InlineData("team:", "team")] // nothing after the colon: no namespace to drop
    [InlineData(":team", "team")]
    [InlineData("  Owner Email ", "owner_email")]
    [InlineData("MLflowRunId", "mlflow_run_id")]
    [InlineData("gpu2Type", "gpu2_type")]
    public void Keys_LoseTheirNamespace_ThenSplitCamelCaseAndSeparators(string raw, string expected) =>
        TagPolicy.Default.NormalizeKey(raw).ShouldBe(expected);

    [Fact]
    public void ConfiguredPrefixes_AreDroppedAfterTheNamespace()
    {
        var policy = new TagPolicy(stripPrefixes: ["app.kubernetes.io/"]);

        policy.CanonicalKey("app.kubernetes.io/name").ShouldBe("name");
        policy.CanonicalKey("user:App.Kubernetes.io/name").ShouldBe("name");
        policy.CanonicalKey("user:team").ShouldBe("team", "the namespace rule still applies");
    }

    [Fact]
    public void PolicyDeclaringOnlyTeam_KeepsTheBuiltInAliasesOfTheOtherKeys()
    {
        var policy = new TagPolicy(keys: [new TagKeyPolicy("team") { Aliases = ["squad"] }]);

        policy.CanonicalKey("squad").ShouldBe("team");
        policy.CanonicalKey("env").ShouldBe("environment");
        policy.CanonicalKey("CostCentre").ShouldBe("cost_center");
        policy.Resolve(new Dictionary<string, string?> { ["env"] = "prod", ["gcp:environment"] = "dev" }, null, null)
            .Tags["environment"].ShouldBe("prod", "two spellings of environment: a conflict, not a loss");
    }

    [Fact]
    public void ConfiguredKeysAndAliases_WinOverBuiltInAliases()
    {
        // stage is a built-in alias of environment; here it is a key of its own, and env is an alias of deployment.
        var policy = new TagPolicy(keys:
        [
            new TagKeyPolicy("stage"),
            new TagKeyPolicy("deployment") { Aliases = ["env"] },
            new TagKeyPolicy("environment") { Aliases = ["tier"] },
        ]);

        policy.CanonicalKey("stage").ShouldBe("stage");
        policy.CanonicalKey("env").ShouldBe("deployment");
        policy.CanonicalKey("tier").ShouldBe("environment");
        policy.CanonicalKey("Environment").ShouldBe("environment");
    }

    [Fact]
    public void ConfiguredAliasNamingABuiltInKey_MakesThatWordAnAlias()
    {
        var policy = new TagPolicy(keys: [new TagKeyPolicy("service_line") { Aliases = ["product"] }]);

        policy.CanonicalKey("product").ShouldBe("service_line");
        policy.Keys.Select(k => k.Key).ShouldNotContain("product");
    }

    private static readonly string[] RawKeys =
        ["team", "Team", "user:team", "gcp:Team", "squad", "env", "Environment", "aws:env", "stage", "CostCenter", "cost-centre",
         "model_name", "ModelName", "experiment", "product", "owner", "aws:cloudformation:stack-name"];

    private static readonly string?[] RawValues = [" NLP ", "nlp", "Search", "prod", "", null];

    private static readonly Gen<Dictionary<string, string?>> TagSets =
        Gen.Select(Gen.Int[0, RawKeys.Length - 1], Gen.Int[0, RawValues.Length - 1], (k, v) => (Key: RawKeys[k], Value: RawValues[v]))
            .Array[0, 6]
            .Select(pairs => pairs.DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    [Fact]
    public void HierarchyColumns_HoldWhatTheDefaultPolicyResolves() =>
        TagSets.Sample(tags =>
        {
            var columns = CostHierarchy.ValuesOf(tags.Select(t => (t.Key, t.Value)));
            var resolved = TagPolicy.Default.Resolve(tags, null, null).Tags;
            for (var i = 0; i < CostHierarchy.Keys.Count; i++)
            {
                columns[i].ShouldBe(resolved.GetValueOrDefault(CostHierarchy.Keys[i]));
            }
        });

    [Fact]
    public void AddingAPolicy_NeverLosesWhatTheDefaultRead()
    {
        // A config that adds an alias and an allowed list: every key it does not touch (team, squad) reads as without it.
        var configured = new TagPolicy(keys: [new TagKeyPolicy("team") { Aliases = ["squad"], AllowedValues = ["nlp"] }]);
        TagSets.Sample(tags =>
        {
            var before = TagPolicy.Default.Resolve(tags, null, null).Tags;
            var after = configured.Resolve(tags, null, null).Tags;
            foreach (var (key, value) in before.Where(t => t.Key != "squad" && (t.Key != "team" || !tags.ContainsKey("squad"))))
            {
                after.GetValueOrDefault(key).ShouldBe(value, key);
            }
        });
    }
}
