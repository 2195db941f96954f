using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Tests.Attribution;

public class TagComplianceTests
{
    private static TaggableCost Cost(string? resource, string? account, decimal cost, string currency = "USD", params (string Key, string Value)[] tags) =>
        new(resource, account, tags.ToDictionary(t => t.Key, t => (string?)t.Value), cost, currency);

    private static readonly TagPolicy Policy = new(
        keys: [new TagKeyPolicy("team") { AllowedValues = ["nlp", "vision", "platform"] }],
        required: [new RequiredTags("all", ["team"]), new RequiredTags("environment=prod", ["team", "model"])],
        accountTags: new Dictionary<string, IReadOnlyDictionary<string, string>> { ["acct-c"] = new Dictionary<string, string> { ["team"] = "platform" } });

    // Worked by hand (USD, credits left out):
    //   r1 acct-a  team=nlp environment=prod model=bert  100  fully tagged
    //   r2 acct-a  Team=NLP environment=prod              50  model missing (prod requires it)
    //   r3 acct-b  environment=dev                        30  team missing
    //   r4 acct-c  environment=dev                        20  team=platform inherited from acct-c: fully tagged
    //   r5 acct-a  team=marketing environment=dev         40  team not in the allowed list
    //   credit     (no tags)                             -25  left out of the shares
    // Total 240; fully tagged 120 → 50 %. team required on all 240, satisfied on r1 r2 r4 = 170.
    // model required on prod rows r1 r2 = 150, present on r1 = 100.
    private static readonly TaggableCost[] Rows =
    [
        Cost("r1", "acct-a", 100m, tags: [("team", "nlp"), ("environment", "prod"), ("model", "bert")]),
        Cost("r2", "acct-a", 50m, tags: [("Team", "NLP"), ("environment", "prod")]),
        Cost("r3", "acct-b", 30m, tags: [("environment", "dev")]),
        Cost("r4", "acct-c", 20m, tags: [("environment", "dev")]),
        Cost("r5", "acct-a", 40m, tags: [("team", "marketing"), ("environment", "dev")]),
        Cost(null, "acct-a", -25m),
        Cost("r6", "acct-a", 10m, "EUR", ("team", "vision")),
    ];

    [Fact]
    public void Compliance_SharesOfCost_WorkedByHand()
    {
        var usd = TagCompliance.Compute(Policy, Rows).Single(r => r.Currency == "USD");

        usd.Rows.ShouldBe(6);
        usd.TotalCost.ShouldBe(240m);
        usd.FullyTaggedCost.ShouldBe(120m);
        usd.FullyTaggedPercent.ShouldBe(50m);
        usd.Credits.ShouldBe(-25m);
        usd.Keys.Select(k => (k.Key, k.RequiredCost, k.TaggedCost)).ShouldBe([("model", 150m, 100m), ("team", 240m, 170m)]);
        Math.Round(usd.Keys[0].Share!.Value, 4).ShouldBe(0.6667m);
    }

    [Fact]
    public void Compliance_ListsLargestUntaggedResources_WithAccountsAndMissingKeys()
    {
        var usd = TagCompliance.Compute(Policy, Rows, top: 2).Single(r => r.Currency == "USD");

        usd.LargestUntagged.ShouldBe(
        [
            new UntaggedResource("r2", "acct-a", 50m, ["model"]),
            new UntaggedResource("r5", "acct-a", 40m, ["team"]),
        ], ignoreOrder: false, comparer: new UntaggedComparer());
    }

    [Fact]
    public void Compliance_ListsValuesThatBreakTheAllowedLists()
    {
        var usd = TagCompliance.Compute(Policy, Rows).Single(r => r.Currency == "USD");

        var bad = usd.DisallowedValues.ShouldHaveSingleItem();
        (bad.Key, bad.Value, bad.Cost, bad.Rows).ShouldBe(("team", "marketing", 40m, 1));
        bad.Allowed.ShouldBe(["nlp", "vision", "platform"]);
    }

    [Fact]
    public void Compliance_IsPerCurrency_NeverMixed()
    {
        var reports = TagCompliance.Compute(Policy, Rows);

        reports.Select(r => r.Currency).ShouldBe(["EUR", "USD"]);
        var eur = reports[0];
        eur.TotalCost.ShouldBe(10m);
        eur.FullyTaggedPercent.ShouldBe(100m);
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(50.01, false)]
    [InlineData(95, false)]
    public void FailUnder_JudgesEachCurrencyApart(decimal threshold, bool meets)
    {
        // USD is 50 % tagged, EUR 100 %: averaging them would hide the USD gap.
        TagCompliance.MeetsThreshold(TagCompliance.Compute(Policy, Rows), threshold).ShouldBe(meets);
    }

    [Fact]
    public void Compliance_WithNothingToTag_IsFull_NotADivisionByZero()
    {
        var report = TagCompliance.Compute(Policy, [Cost(null, "acct-a", -5m)]).ShouldHaveSingleItem();

        report.FullyTaggedShare.ShouldBe(1m);
        report.Keys.ShouldAllBe(k => k.Share == null);
    }

    private sealed class UntaggedComparer : IEqualityComparer<UntaggedResource>
    {
        public bool Equals(UntaggedResource? x, UntaggedResource? y) =>
            x is not null && y is not null && x.ResourceId == y.ResourceId && x.SubAccountId == y.SubAccountId && x.Cost == y.Cost && x.MissingKeys.SequenceEqual(y.MissingKeys);

        public int GetHashCode(UntaggedResource obj) => obj.Cost.GetHashCode();
    }
}
