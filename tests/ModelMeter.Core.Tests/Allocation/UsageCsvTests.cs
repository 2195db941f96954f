using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.Allocation;

public class UsageCsvTests
{
    [Fact]
    public void Timestamps_GiveOneSamplePerLine_OnTheUtcDay()
    {
        var samples = UsageCsv.Parse(
            "timestamp,team,model,metric,value\n2026-10-01T23:30:00-02:00,nlp,bert,requests,1200\n2026-10-02,vision,,requests,7\n",
            "usage.csv");

        samples.Count.ShouldBe(2);
        samples[0].Period.ShouldBe(new DateOnly(2026, 10, 2), "23:30 at -02:00 is 01:30 UTC the next day");
        samples[0].Metric.ShouldBe("requests");
        samples[0].Value.ShouldBe(1200m);
        samples[0].Dimensions.ShouldBe(new Dictionary<string, string?> { ["team"] = "nlp", ["model"] = "bert" }, ignoreOrder: true);
        samples[1].Dimensions.ContainsKey("model").ShouldBeFalse("an empty cell is no value");
    }

    [Fact]
    public void Window_SpanningMidnight_IsSpreadOverTheDaysByTime_AndSumsExactly()
    {
        var samples = UsageCsv.Parse(
            "start,end,team,metric,value\n2026-10-01T22:00:00Z,2026-10-02T02:00:00Z,nlp,gpu_hours,32\n2026-10-01T00:00:00Z,2026-10-04T00:00:00Z,vision,gpu_hours,10\n",
            "usage.csv");

        samples.Where(s => s.Dimensions["team"] == "nlp").Select(s => (s.Period.Day, s.Value)).ShouldBe([(1, 16m), (2, 16m)]);
        var vision = samples.Where(s => s.Dimensions["team"] == "vision").ToList();
        vision.Select(s => s.Period.Day).ShouldBe([1, 2, 3]);
        vision.Sum(s => s.Value).ShouldBe(10m);
    }

    [Fact]
    public void WithATagPolicy_DimensionKeysAndValuesAreNormalisedLikeTags()
    {
        var policy = new TagPolicy(keys: [new TagKeyPolicy("team") { Aliases = ["squad"] }]);

        var sample = UsageCsv.Parse("timestamp,Squad,metric,value\n2026-10-01,  NLP ,gpu_hours,1.5\n", "usage.csv", policy).ShouldHaveSingleItem();

        sample.Dimension("team").ShouldBe("nlp");
    }

    [Fact]
    public void ImportedUsage_DrivesAnAllocationRule()
    {
        var usage = UsageCsv.Parse("start,end,team,metric,value\n2026-10-01T00:00:00Z,2026-10-01T06:00:00Z,nlp,gpu_hours,6\n2026-10-01T06:00:00Z,2026-10-01T08:00:00Z,vision,gpu_hours,2\n", "usage.csv");
        var rule = new AllocationRule("gpu", new PoolSelector { ServiceName = "EKS" }, "team", AllocationMethod.Usage) { Driver = new UsageDriver("gpu_hours") };
        var row = new CostPoolRow(new DateOnly(2026, 10, 1), "USD", 80m, "EKS", null, null, null, new Dictionary<string, string?>());

        var result = new AllocationEngine().Allocate([row], [rule], usage);

        result.Lines.Select(l => (l.Dimension("team"), l.Amount)).ShouldBe([("nlp", 60m), ("vision", 20m)]);
    }

    [Theory]
    [InlineData("team,metric,value\n", "line 1: give either a timestamp column or both start and end columns.")]
    [InlineData("timestamp,start,end,metric,value\n", "line 1: give either a timestamp column or both start and end columns.")]
    [InlineData("start,metric,value\n", "line 1: give either a timestamp column or both start and end columns.")]
    [InlineData("timestamp,team,value\n", "line 1: missing column 'metric'")]
    [InlineData("timestamp,metric,value\n2026-10-01T10:00:00,gpu_hours,1\n", "line 2, column 1: timestamp '2026-10-01T10:00:00' is not ISO 8601 with Z or an offset")]
    [InlineData("timestamp,metric,value\n2026-10-01,gpu_hours,-1\n", "line 2, column 3: value -1 is negative")]
    [InlineData("timestamp,metric,value\n2026-10-01,gpu_hours,1;5\n", "line 2, column 3: value '1;5' is not a number")]
    [InlineData("timestamp,metric,value\n2026-10-01,,1\n", "line 2, column 2: metric is empty.")]
    [InlineData("timestamp,metric,value\n2026-10-01,gpu_hours\n", "line 2: 2 fields, the header has 3.")]
    [InlineData("start,end,metric,value\n2026-10-02T00:00:00Z,2026-10-01T00:00:00Z,gpu_hours,1\n", "line 2, column 2: end 2026-10-01T00:00:00Z is not after start")]
    [InlineData("", "the file is empty")]
    public void BadText_IsRefusedWhole_SayingLineAndColumn(string text, string expected)
    {
        var ex = Should.Throw<UserInputException>(() => UsageCsv.Parse(text, "usage.csv"));

        ex.Message.ShouldStartWith("usage.csv: ");
        ex.Message.ShouldContain(expected);
    }
}
