using ModelMeter.Core.Allocation;
using ModelMeter.Core.Configuration;
using ModelMeter.Import.Demo;

namespace ModelMeter.Import.Tests.Demo;

public class DemoUsageGeneratorTests
{
    private static readonly DemoOptions October = new() { Month = new DateOnly(2026, 10, 1), Seed = 42 };

    [Fact]
    public void DemoUsage_IsDeterministic_AndEveryDayUsesTheClusterBelowItsCapacity()
    {
        var first = Write(October, out var summary);
        var again = Write(October, out _);

        again.ShouldBe(first);
        var samples = UsageCsv.Parse(first, "usage.csv");
        var perDay = samples.GroupBy(s => s.Period).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        perDay.Keys.Min().ShouldBe(new DateOnly(2026, 10, 1));
        perDay.Keys.Max().ShouldBe(new DateOnly(2026, 10, 31));
        perDay.Values.ShouldAllBe(v => v > 0m && v < DemoUsageGenerator.CapacityPerDay);
        samples.Sum(s => s.Value).ShouldBe(summary.GpuHours);
        summary.GpuHours.ShouldBeLessThan(summary.CapacityGpuHours);
        samples.ShouldContain(s => s.Dimension("team") == null); // the untagged ad-hoc benchmark
        samples.ShouldAllBe(s => s.Metric == DemoUsageGenerator.Metric && s.Dimension("cluster") == DemoUsageGenerator.Cluster);
    }

    [Fact]
    public void DemoPolicy_Parses_WithAUsageRuleForTheClusterAndAnIdleLine()
    {
        var config = ConfigParser.Parse(DemoPolicy.Yaml, "demo.yaml");

        var rule = config.Allocation.Rules[0];
        rule.Method.ShouldBe("usage");
        rule.Driver!.Metric.ShouldBe(DemoUsageGenerator.Metric);
        rule.Idle!.CapacityPerDay.ShouldBe(DemoUsageGenerator.CapacityPerDay);
    }

    private static string Write(DemoOptions options, out DemoUsageSummary summary)
    {
        using var writer = new StringWriter();
        summary = DemoUsageGenerator.Write(writer, options);
        return writer.ToString();
    }
}
