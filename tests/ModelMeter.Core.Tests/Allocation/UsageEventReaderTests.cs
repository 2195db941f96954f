using System.Buffers;
using System.Globalization;
using System.Text;
using CsCheck;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Tests.Allocation;

/// <summary>The body of <c>POST /api/v1/usage</c>: read, checked event by event, summed per day, metric and dimensions.</summary>
public class UsageEventReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    private static UsageEventBatch Read(string body, string? team = null, int maxEvents = 1_000, TagPolicy? policy = null) =>
        new UsageEventReader(policy ?? TagPolicy.Default, team, Now).Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), maxEvents);

    private static string Samples(UsageEventBatch batch) => string.Join("; ", batch.Samples
        .Select(s => $"{s.Period:yyyy-MM-dd} {s.Metric} {s.Value.ToString(CultureInfo.InvariantCulture)} {string.Join(",", s.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}")
        .Order(StringComparer.Ordinal));

    [Fact]
    public void AJsonArray_IsSummedPerUtcDayMetricAndDimensions()
    {
        var batch = Read("""
            [{"timestamp":"2026-10-01T23:30:00-02:00","metric":"predictions","value":3,"model":"bert","team":"nlp"},
             {"timestamp":"2026-10-02T08:00:00Z","metric":"predictions","value":4,"team":"nlp","model":"bert"},
             {"timestamp":"2026-10-02T08:00:00Z","metric":"gpu_seconds","value":1.25,"team":"nlp","endpoint":null}]
            """);

        batch.Refused.ShouldBeFalse();
        batch.Events.ShouldBe(3);
        Samples(batch).ShouldBe("2026-10-02 gpu_seconds 1.25 team=nlp; 2026-10-02 predictions 7 model=bert,team=nlp", "23:30 at -02:00 is the next UTC day; field order does not matter; a null dimension is none");
    }

    [Fact]
    public void JsonLines_GiveTheSameSamplesAsTheArray()
    {
        const string A = """{"timestamp":"2026-10-05T00:00:00Z","metric":"requests","value":10,"team":"vision"}""";
        const string B = """{"timestamp":"2026-10-05T10:00:00Z","metric":"requests","value":5,"team":"vision"}""";

        Samples(Read($"{A}\n{B}\n")).ShouldBe(Samples(Read($"[{A},{B}]")));
        Samples(Read($"{A}\r\n{B}")).ShouldBe("2026-10-05 requests 15 team=vision");
    }

    [Theory]
    [InlineData("""{"timestamp":"2026-10-01T08:00:00","metric":"m","value":1}""", "timestamp '2026-10-01T08:00:00' is not ISO 8601 with Z or an offset")]
    [InlineData("""{"timestamp":"2026-11-17T00:00:00Z","metric":"m","value":1}""", "is more than a day in the future")]
    [InlineData("""{"timestamp":"2026-10-01T08:00:00Z","metric":"","value":1}""", "metric '' is not a non-empty text")]
    [InlineData("""{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":"1"}""", "value '1' is not a number")]
    [InlineData("""{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":-2}""", "value -2 is negative")]
    [InlineData("""{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1,"model":7}""", "field 'model' is a number; every field other than timestamp, metric and value is a dimension with a text value")]
    [InlineData("""{"metric":"m"}""", "missing timestamp, value; an event needs timestamp, metric and value")]
    [InlineData("""[1]""", "an event is a JSON object, not a number")]
    [InlineData("", "the body is empty")]
    [InlineData("[]", "the batch holds no events")]
    [InlineData("""[{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1}""", "not valid JSON (line 1, byte 61)")]
    [InlineData("""{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1,""", "not valid JSON")]
    public void ABadEvent_IsNamedWithWhatIsWrong(string body, string reason)
    {
        var batch = Read(body);

        batch.Refused.ShouldBeTrue();
        batch.Samples.ShouldBeEmpty();
        batch.Problems.ShouldHaveSingleItem().Reason.ShouldContain(reason, Case.Sensitive);
    }

    [Fact]
    public void OneBadEvent_RefusesTheBatch_AndEveryBadEventIsListedByIndex()
    {
        var good = """{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1}""";
        var bad = """{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":-1}""";
        var batch = Read(string.Join('\n', good, bad, good, bad));

        batch.Refused.ShouldBeTrue();
        batch.Samples.ShouldBeEmpty("nothing of a refused batch is stored");
        batch.Problems.Select(p => p.Index).ShouldBe([1, 3]);
        batch.ProblemCount.ShouldBe(2);
    }

    [Fact]
    public void ProblemsListed_AreCapped_ButCounted()
    {
        var bad = """{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":-1}""";
        var batch = Read(string.Join('\n', Enumerable.Repeat(bad, UsageEventReader.ProblemsListed + 20)), maxEvents: 10_000);

        batch.Problems.Count.ShouldBe(UsageEventReader.ProblemsListed);
        batch.ProblemCount.ShouldBe(UsageEventReader.ProblemsListed + 20);
    }

    [Fact]
    public void MoreEventsThanTheLimit_RefuseTheBatch()
    {
        var one = """{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1}""";

        var batch = Read(string.Join('\n', Enumerable.Repeat(one, 4)), maxEvents: 3);

        batch.Refused.ShouldBeTrue();
        batch.Problems.ShouldHaveSingleItem().Reason.ShouldContain("more than 3 events");
    }

    [Fact]
    public void ATeamScopedCaller_WritesItsTeamOnly_AndGetsItWhenNoneIsNamed()
    {
        var batch = Read("""
            {"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1}
            {"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":2,"Team":"NLP"}
            """, team: "nlp");
        var other = Read("""{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1,"team":"vision"}""", team: "nlp");

        batch.Refused.ShouldBeFalse();
        batch.Samples.Sum(s => s.Value).ShouldBe(3m);
        batch.Samples.ShouldAllBe(s => s.Dimensions.Any(d => d.Value == "nlp" || d.Value == "NLP"));
        other.Problems.ShouldHaveSingleItem().ShouldBe(new UsageEventProblem(0, "team 'vision': this API key writes usage for team 'nlp' only", Forbidden: true));
    }

    [Fact]
    public void TwoFieldsThatAreOneDimension_AreRefused()
    {
        var batch = Read("""{"timestamp":"2026-10-01T08:00:00Z","metric":"m","value":1,"team":"nlp","Team":"vision"}""");

        batch.Refused.ShouldBeTrue();
        batch.Problems[0].Reason.ShouldContain("team");
    }

    [Fact]
    public void Property_NothingIsLostOrCountedTwice_WhateverTheEvents()
    {
        var gen = Gen.Select(Gen.Int[0, 29], Gen.Int[0, 86_399], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 1_000_000], Gen.Int[0, 4])
            .Select((day, second, metric, team, value, scale) => (
                At: new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(day).AddSeconds(second),
                Metric: new[] { "predictions", "gpu_seconds", "input_tokens" }[metric],
                Team: new[] { "nlp", "vision", "search", "" }[team],
                Value: value / (decimal)Math.Pow(10, scale)))
            .Array[1, 200];

        gen.Sample(events =>
        {
            var lines = events.Select(e => string.Create(CultureInfo.InvariantCulture,
                $$"""{"timestamp":"{{e.At:yyyy-MM-ddTHH:mm:ssZ}}","metric":"{{e.Metric}}","value":{{e.Value}}{{(e.Team.Length > 0 ? $",\"team\":\"{e.Team}\"" : "")}}}"""));
            var batch = Read(string.Join('\n', lines));

            batch.Refused.ShouldBeFalse();
            batch.Events.ShouldBe(events.Length);
            foreach (var metric in events.Select(e => e.Metric).Distinct())
            {
                batch.Samples.Where(s => s.Metric == metric).Sum(s => s.Value).ShouldBe(events.Where(e => e.Metric == metric).Sum(e => e.Value));
            }

            batch.Samples.Select(s => (s.Period, s.Metric, s.Dimension("team"))).Distinct().Count().ShouldBe(batch.Samples.Count, "one sample per day, metric and dimensions");
        });
    }
}
