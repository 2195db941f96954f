using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Configuration;

namespace ModelMeter.Core.Tests.Allocation;

/// <summary>
/// A month of an ML organisation's bill run through the documented config (docs/allocation.md): tag resolution,
/// every rule kind, idle, an unallocated day, a provider split, a credit; every figure worked by hand.
/// </summary>
public class MonthScenarioTests
{
    private const string Infra = "111122223333";
    private const string Cluster = "arn:aws:eks:us-east-1:111122223333:cluster/gpu-a";

    private static Dictionary<string, string?> Tags(params (string Key, string Value)[] tags) => tags.ToDictionary(t => t.Key, t => (string?)t.Value);

    private static (ModelMeterConfig Config, TagPolicy Policy, IReadOnlyList<AllocationRule> Rules) Config()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", "modelmeter.allocation.yaml"));
        var config = ConfigParser.Parse(yaml, "modelmeter.yaml");
        var policy = AttributionConfigReader.BuildTagPolicy(config);
        return (config, policy, AttributionConfigReader.BuildRules(config, policy));
    }

    private static List<BilledCostRow> Bill()
    {
        var rows = new List<BilledCostRow>();
        for (var d = 1; d <= 31; d++)
        {
            var day = new DateOnly(2026, 10, d);
            rows.Add(new(day, "USD", 192.00m, "Amazon EKS", Cluster, Infra, Tags()));
            rows.Add(new(day, "USD", 48.00m, "Amazon EC2", "i-0a100", Infra, Tags()));
            rows.Add(new(day, "USD", 31.00m, "Amazon EC2", "i-platform-monitoring", Infra, Tags(("Team", "Platform"))));
            rows.Add(new(day, "USD", 20.00m, "Amazon SageMaker", "endpoint/bert", "777788889999",
                Tags(("user:team", "NLP"), ("env", "Production"), ("model", "bert"), ("owner", "Ada"))));
            rows.Add(new(day, "USD", 10.00m, "Amazon SageMaker", "endpoint/resnet", "555566667777", Tags(("Team", "vision"), ("model", "resnet"))));
            rows.Add(new(day, "USD", 5.00m, "Amazon EC2", "i-notebook-old", "999900001111", Tags()));
            rows.Add(new(day, "USD", 3.333333m, "Amazon S3", "bucket/checkpoints", Infra, Tags()));
        }

        rows.Add(new(new DateOnly(2026, 10, 1), "USD", 100.00m, "AWS Support", null, Infra, Tags()));
        rows.Add(new(new DateOnly(2026, 10, 15), "USD", -50.00m, "Credits", null, Infra, Tags()));
        rows.Add(new(new DateOnly(2026, 10, 3), "USD", 12.00m, "Amazon EKS", Cluster, Infra, Tags(),
            AllocatedMethodId: "split-cost-allocation", AllocatedResourceId: "pod/ranker-train", AllocatedTags: Tags(("team", "recsys"))));
        return rows;
    }

    private static List<UsageSample> Usage()
    {
        var usage = new List<UsageSample>();
        for (var d = 1; d <= 31; d++)
        {
            var day = new DateOnly(2026, 10, d);
            if (d != 10)
            {
                // Day 10: the cluster's job log is missing.
                usage.Add(new(day, "gpu_hours", 96m, Tags(("team", "nlp"), ("cluster", "gpu-a"))));
                usage.Add(new(day, "gpu_hours", 48m, Tags(("team", "vision"), ("cluster", "gpu-a"))));
                usage.Add(new(day, "gpu_hours", 500m, Tags(("team", "vision"), ("cluster", "gpu-b"))));
            }

            usage.Add(new(day, "gpu_seconds", 43_200m, Tags(("team", "recsys"), ("resource_id", "i-0a100"))));
            usage.Add(new(day, "gpu_seconds", 21_600m, Tags(("team", "nlp"), ("resource_id", "i-0a100"))));
            usage.Add(new(day, "gpu_seconds_capacity", 86_400m, Tags(("resource_id", "i-0a100"))));
        }

        return usage;
    }

    [Fact]
    public void Month_StatementPerTeam_WorkedByHand_AndTotalsEqualTheBillToTheLastDigit()
    {
        var (_, policy, rules) = Config();
        var bill = Bill();

        var rows = CostAttribution.Attribute(policy, bill);
        var result = new AllocationEngine(AttributionConfigReader.Labels(policy)).Allocate(rows, rules, Usage());
        var statement = ShowbackStatement.Build(result, "team", policy.UntaggedLabel).ShouldHaveSingleItem();

        var billTotal = bill.Sum(r => r.Amount);
        billTotal.ShouldBe(9651.333323m);
        statement.Total.ShouldBe(billTotal);
        result.TotalsByCurrency()["USD"].ShouldBe(billTotal);

        var byTarget = statement.Lines.ToDictionary(l => l.Target);
        byTarget.Keys.Order(StringComparer.Ordinal).ShouldBe(["(idle)", "(unallocated: gpu-cluster)", "(untagged)", "nlp", "recsys", "vision"]);

        // nlp: bert 31 × 20; cluster 30 days × 96 GPU-h at $1; A100 used part 12/day and idle share 4/day; platform 31.00 / 3
        // with the extra cent each day; support 100 × 20/30 on day 1; storage 50 % of 10 333 cents plus the pool's 0.003323.
        var nlp = byTarget["nlp"];
        (nlp.Direct, nlp.SharedByRule["gpu-cluster"], nlp.SharedByRule["shared-a100"], nlp.SharedByRule["platform-team"], nlp.SharedByRule["support"], nlp.SharedByRule["shared-storage"], nlp.Idle)
            .ShouldBe((620.00m, 2880.00m, 372.00m, 320.54m, 66.67m, 51.663323m, 124.00m));

        var vision = byTarget["vision"];
        (vision.Direct, vision.SharedByRule["gpu-cluster"], vision.SharedByRule["shared-a100"], vision.SharedByRule["platform-team"], vision.SharedByRule["support"], vision.SharedByRule["shared-storage"], vision.Idle)
            .ShouldBe((310.00m, 1440.00m, 0m, 320.23m, 33.33m, 31.00m, 0m));

        // recsys: the provider's own split (not split again), A100 24/day used and 8/day idle.
        var recsys = byTarget["recsys"];
        (recsys.Direct, recsys.SharedByRule["shared-a100"], recsys.SharedByRule["platform-team"], recsys.SharedByRule["shared-storage"], recsys.Idle)
            .ShouldBe((12.00m, 744.00m, 320.23m, 20.67m, 248.00m));

        byTarget["(idle)"].Total.ShouldBe(1440.00m);
        byTarget["(unallocated: gpu-cluster)"].Unallocated.ShouldBe(192.00m);
        byTarget["(untagged)"].Direct.ShouldBe(105.00m, "the old notebook (31 × 5) and the untagged credit (−50) stay visible");
    }

    [Fact]
    public void Month_Explain_ForOneTeam_ListsEveryAmountWithItsRule()
    {
        var (_, policy, rules) = Config();
        var result = new AllocationEngine(AttributionConfigReader.Labels(policy)).Allocate(CostAttribution.Attribute(policy, Bill()), rules, Usage());

        var nlp = result.For("team", "nlp");

        nlp.Sum(l => l.Amount).ShouldBe(4434.873323m);
        nlp.Where(l => l.Kind != AllocationKind.Direct).ShouldAllBe(l => l.Explanation != null && l.Rule != null);
        var support = nlp.Single(l => l.Rule == "support");
        support.Explanation!.Describe().ShouldBe(
            "2026-10-01 rule 'support' (proportional): nlp direct cost USD 20 of 30 = 66.6667% of pool 2026-10-01/day USD 100.00 from 1 row(s) of AWS Support -> USD 66.67");
    }

    [Fact]
    public void Month_HierarchyOfAllocatedCost_RollsUpToTheBill_WithInheritedCostCentres()
    {
        var (config, policy, rules) = Config();
        var result = new AllocationEngine(AttributionConfigReader.Labels(policy)).Allocate(CostAttribution.Attribute(policy, Bill()), rules, Usage());

        var tree = HierarchyRollup.Build(result.Lines.Select(l => l.ToDimensionedAmount()), AttributionConfigReader.HierarchyLevels(config, policy), depth: 2, policy.UntaggedLabel)
            .ShouldHaveSingleItem();

        tree.Root.Amount.ShouldBe(9651.333323m);
        tree.Root.Children.Select(c => c.Value).ShouldContain("CC-100", "cost of the shared-infrastructure account inherits its cost centre");
    }

    [Fact]
    public void Month_Compliance_FindsTheUntaggedNotebookAndTheMissingProductionTags()
    {
        var (_, policy, _) = Config();

        var report = TagCompliance.Compute(policy, CostAttribution.ForCompliance(Bill()), top: 10).ShouldHaveSingleItem();

        report.Credits.ShouldBe(-50.00m);
        report.LargestUntagged.Select(u => u.ResourceId).ShouldContain("i-notebook-old");
        var bert = report.LargestUntagged.FirstOrDefault(u => u.ResourceId == "endpoint/bert");
        report.Keys.Single(k => k.Key == "cost_center").RequiredCost.ShouldBe(620.00m, "only bert is environment=prod; it lacks a cost centre (its account has none)");
        bert.ShouldNotBeNull().MissingKeys.ShouldBe(["cost_center"]);
    }
}
