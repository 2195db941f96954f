using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Tests.Attribution;

public class TagPolicyTests
{
    private static Dictionary<string, string?> Tags(params (string Key, string? Value)[] tags) => tags.ToDictionary(t => t.Key, t => t.Value);

    private static TagPolicy Policy(ResourceTagMap? resources = null) => new(
        keys:
        [
            new TagKeyPolicy("team") { Aliases = ["owner_team", "squad"], AllowedValues = ["nlp", "vision", "platform"] },
            new TagKeyPolicy("cost_center") { Aliases = ["CostCentre"], Case = ValueCase.Upper },
            new TagKeyPolicy("environment") { Aliases = ["env"], ValueAliases = new Dictionary<string, string> { ["production"] = "prod", ["development"] = "dev" } },
            new TagKeyPolicy("model"),
            new TagKeyPolicy("owner") { Case = ValueCase.Preserve },
        ],
        required:
        [
            new RequiredTags("all", ["team"]),
            new RequiredTags("env=prod", ["team", "model", "cost_center", "owner"]),
        ],
        accountTags: new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["111122223333"] = new Dictionary<string, string> { ["Team"] = "Platform", ["CostCenter"] = "cc-100" },
        },
        resourceTags: resources);

    [Theory]
    [InlineData("team")]
    [InlineData("Team")]
    [InlineData("TEAM")]
    [InlineData("user:team")]
    [InlineData("aws:team")]
    [InlineData(" tag:Team ")]
    [InlineData("owner_team")]
    [InlineData("owner-team")]
    [InlineData("OwnerTeam")]
    [InlineData("squad")]
    public void Aliases_AndPrefixAndCaseNormalisation_AllGiveTheCanonicalKey(string raw) =>
        Policy().CanonicalKey(raw).ShouldBe("team");

    [Theory]
    [InlineData("CostCenter", "cost_center")]
    [InlineData("cost-center", "cost_center")]
    [InlineData("user:CostCentre", "cost_center")]
    [InlineData("Environment", "environment")]
    [InlineData("env", "environment")]
    [InlineData("aws:cloudformation:stack-name", "cloudformation_stack_name")]
    public void Keys_AreNormalisedBeforeAliasesApply(string raw, string expected) =>
        Policy().CanonicalKey(raw).ShouldBe(expected);

    [Fact]
    public void Values_AreTrimmedCasedAndAliased_PerKey()
    {
        var resolution = Policy().Resolve(
            Tags(("Team", "  NLP "), ("Environment", "Production"), ("CostCenter", "cc-7"), ("Owner", "Ada.Lovelace"), ("model", "")),
            subAccountId: null,
            resourceId: "i-1");

        resolution.Tags.ShouldBe(new Dictionary<string, string>
        {
            ["team"] = "nlp",
            ["environment"] = "prod",
            ["cost_center"] = "CC-7",
            ["owner"] = "Ada.Lovelace",
        }, ignoreOrder: true);
        resolution.Violations.ShouldHaveSingleItem().ShouldBe(new TagViolation(TagViolationKind.Missing, "model", null, "required tag 'model' is missing"));
    }

    [Fact]
    public void TwoSpellingsOfOneKey_WithDifferentValues_AreAConflict_AndTheExactSpellingWins()
    {
        var resolution = Policy().Resolve(Tags(("user:team", "vision"), ("team", "nlp"), ("Team", "NLP")), null, null);

        resolution.Tags["team"].ShouldBe("nlp");
        var conflict = resolution.Violations.ShouldHaveSingleItem();
        conflict.Kind.ShouldBe(TagViolationKind.Conflict);
        conflict.Message.ShouldBe("team=nlp and Team=nlp and user:team=vision conflict for 'team'; kept nlp");
    }

    [Fact]
    public void Inheritance_FillsGapsFromTheResourceMapping_ThenTheAccount_NeverOverridingOwnTags()
    {
        var resources = ResourceTagMap.Parse("resource_id,team,model\nendpoint/bert,vision,bert-base\n", "resource-tags.csv");

        var resolution = Policy(resources).Resolve(Tags(("model", "bert-large")), subAccountId: "111122223333", resourceId: "endpoint/bert");

        resolution.Tags["model"].ShouldBe("bert-large");
        resolution.Sources["model"].ShouldBe(TagSource.Resource);
        resolution.Tags["team"].ShouldBe("vision");
        resolution.Sources["team"].ShouldBe(TagSource.ResourceMapping);
        resolution.Tags["cost_center"].ShouldBe("CC-100");
        resolution.Sources["cost_center"].ShouldBe(TagSource.Account);
    }

    [Fact]
    public void AccountTags_AreNormalisedLikeResourceTags()
    {
        var resolution = Policy().Resolve(Tags(), subAccountId: " 111122223333 ", resourceId: null);

        resolution.Tags.ShouldBe(new Dictionary<string, string> { ["team"] = "platform", ["cost_center"] = "CC-100" }, ignoreOrder: true);
        resolution.IsFullyTagged.ShouldBeTrue();
    }

    [Fact]
    public void RequiredKeys_DependOnTheScope_ProductionNeedsMore()
    {
        var dev = Policy().Resolve(Tags(("team", "nlp"), ("env", "dev")), null, null);
        var prod = Policy().Resolve(Tags(("team", "nlp"), ("env", "prod")), null, null);

        dev.RequiredKeys.ShouldBe(["team"]);
        dev.IsFullyTagged.ShouldBeTrue();
        prod.RequiredKeys.ShouldBe(["cost_center", "model", "owner", "team"]);
        prod.IsFullyTagged.ShouldBeFalse();
        prod.Violations.Where(v => v.Kind == TagViolationKind.Missing).Select(v => v.Key).ShouldBe(["cost_center", "model", "owner"]);
    }

    [Fact]
    public void ValueOutsideTheAllowedList_IsAViolation_AndDoesNotCountAsTagged()
    {
        var resolution = Policy().Resolve(Tags(("team", "Marketing")), null, null);

        var violation = resolution.Violations.ShouldHaveSingleItem();
        violation.Kind.ShouldBe(TagViolationKind.NotAllowed);
        violation.Message.ShouldBe("team=marketing is not allowed; allowed: nlp, vision, platform");
        resolution.IsSatisfied("team").ShouldBeFalse();
        resolution.IsFullyTagged.ShouldBeFalse();
    }

    [Fact]
    public void InheritedValueOutsideTheAllowedList_SaysWhereItCameFrom()
    {
        var policy = new TagPolicy(
            keys: [new TagKeyPolicy("team") { AllowedValues = ["nlp"] }],
            accountTags: new Dictionary<string, IReadOnlyDictionary<string, string>> { ["acct-9"] = new Dictionary<string, string> { ["team"] = "finance" } });

        policy.Resolve(Tags(), "acct-9", null).Violations.ShouldHaveSingleItem().Message
            .ShouldBe("team=finance (inherited from the account) is not allowed; allowed: nlp");
    }

    [Theory]
    [InlineData("all", true, true)]
    [InlineData("*", true, true)]
    [InlineData("", true, true)]
    [InlineData("env=prod", true, false)]
    [InlineData("tag:Environment=Production", true, false)]
    [InlineData("environment!=prod", false, true)]
    [InlineData("environment=prod, team=nlp", true, false)]
    [InlineData("environment=prod, team!=nlp", false, false)]
    public void Scopes_FilterOnResolvedTags(string scope, bool matchesProdNlp, bool matchesDevNlp)
    {
        var parsed = Policy().ParseScope(scope);

        parsed.Matches(new Dictionary<string, string> { ["environment"] = "prod", ["team"] = "nlp" }).ShouldBe(matchesProdNlp);
        parsed.Matches(new Dictionary<string, string> { ["environment"] = "dev", ["team"] = "nlp" }).ShouldBe(matchesDevNlp);
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("=prod")]
    [InlineData("environment=")]
    public void MalformedScope_IsRefusedWithTheOffendingPart(string scope)
    {
        var ex = Should.Throw<FormatException>(() => Policy().ParseScope(scope));
        ex.Message.ShouldContain("is not key=value or key!=value");
    }

    [Fact]
    public void AliasClaimedByTwoKeys_IsRefused()
    {
        var ex = Should.Throw<ArgumentException>(() => new TagPolicy(keys:
        [
            new TagKeyPolicy("team") { Aliases = ["owner"] },
            new TagKeyPolicy("person") { Aliases = ["Owner"] },
        ]));
        ex.Message.ShouldContain("claimed by both");
    }

    [Fact]
    public void KeysThatNormaliseToNothing_AreIgnored()
    {
        var resolution = new TagPolicy().Resolve(Tags(("---", "x"), ("  ", "y"), ("user:", "z")), null, null);

        resolution.Tags.Keys.ShouldBe(["user"], "a bare namespace is a key of its own, not an empty one");
    }
}
