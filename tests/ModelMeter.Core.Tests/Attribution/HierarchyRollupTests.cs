using CsCheck;
using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Tests.Attribution;

public class HierarchyRollupTests
{
    private static readonly string[] Levels = ["team", "model", "environment"];

    private static DimensionedAmount Row(decimal amount, string? team, string? model, string? environment, string currency = "USD") =>
        new(new Dictionary<string, string?> { ["team"] = team, ["model"] = model, ["environment"] = environment }, amount, currency);

    private static readonly DimensionedAmount[] Rows =
    [
        Row(100m, "nlp", "bert", "prod"),
        Row(20m, "nlp", "bert", "dev"),
        Row(30m, "nlp", "gpt", "prod"),
        Row(40m, "vision", null, "prod"),
        Row(10m, null, null, null),
        Row(5m, "nlp", "bert", "prod", "EUR"),
    ];

    [Fact]
    public void RollUp_GivesSubtotalsAtEveryLevel_LargestFirst_UntaggedShown()
    {
        var usd = HierarchyRollup.Build(Rows, Levels).Single(t => t.Currency == "USD");

        usd.Root.Amount.ShouldBe(200m);
        usd.Root.Children.Select(c => (c.Value, c.Amount)).ShouldBe([("nlp", 150m), ("vision", 40m), ("(untagged)", 10m)]);
        var nlp = usd.Root.Children[0];
        nlp.Children.Select(c => (c.Level, c.Value, c.Amount)).ShouldBe([("model", "bert", 120m), ("model", "gpt", 30m)]);
        nlp.Children[0].Children.Select(c => (c.Value, c.Amount)).ShouldBe([("prod", 100m), ("dev", 20m)]);
        usd.Root.Children[1].Children.ShouldHaveSingleItem().Value.ShouldBe("(untagged)");
    }

    [Fact]
    public void Depth_LimitsTheLevelsExpanded()
    {
        var usd = HierarchyRollup.Build(Rows, Levels, depth: 1).Single(t => t.Currency == "USD");

        usd.Levels.ShouldBe(["team"]);
        usd.Root.Children.ShouldAllBe(c => c.Children.Count == 0);
        usd.Root.Children.Sum(c => c.Amount).ShouldBe(200m);
    }

    [Fact]
    public void EachCurrency_IsItsOwnTree()
    {
        var trees = HierarchyRollup.Build(Rows, Levels);

        trees.Select(t => (t.Currency, t.Root.Amount)).ShouldBe([("EUR", 5m), ("USD", 200m)]);
    }

    [Fact]
    public void Flatten_ListsParentsBeforeChildren_WithSharesOfParentAndTotal()
    {
        var usd = HierarchyRollup.Build(Rows, Levels, depth: 2).Single(t => t.Currency == "USD");

        var rows = HierarchyRollup.Flatten(usd);

        rows.Select(r => (string.Join('/', r.Path), r.Depth, r.Amount)).ShouldBe(
        [
            ("nlp", 1, 150m),
            ("nlp/bert", 2, 120m),
            ("nlp/gpt", 2, 30m),
            ("vision", 1, 40m),
            ("vision/(untagged)", 2, 40m),
            ("(untagged)", 1, 10m),
            ("(untagged)/(untagged)", 2, 10m),
        ]);
        rows[1].ShareOfParent.ShouldBe(0.8m);
        rows[1].ShareOfTotal.ShouldBe(0.6m);
    }

    [Fact]
    public void Property_EveryNodeIsTheSumOfItsChildren_AndTheRootIsTheTotal()
    {
        var values = new[] { null, "a", "b", "c" };
        var gen = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Long[-100_000, 1_000_000], (t, m, e, cents) => Row(cents / 100m, values[t], values[m], values[e]))
            .Array[0, 30];
        gen.Sample(rows =>
        {
            var trees = HierarchyRollup.Build(rows, Levels);
            if (rows.Length == 0)
            {
                trees.ShouldBeEmpty();
                return;
            }

            var tree = trees.ShouldHaveSingleItem();
            tree.Root.Amount.ShouldBe(rows.Sum(r => r.Amount));
            Check(tree.Root);
        }, iter: 300);

        static void Check(HierarchyNode node)
        {
            if (node.Children.Count == 0)
            {
                node.Depth.ShouldBe(3);
                return;
            }

            node.Children.Sum(c => c.Amount).ShouldBe(node.Amount);
            foreach (var child in node.Children)
            {
                Check(child);
            }
        }
    }
}
