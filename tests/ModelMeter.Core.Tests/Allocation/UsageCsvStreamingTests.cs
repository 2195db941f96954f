using CsCheck;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;

namespace ModelMeter.Core.Tests.Allocation;

/// <summary>The streaming reader behind <c>import usage</c> of millions of lines: the same samples and errors as Parse.</summary>
public class UsageCsvStreamingTests
{
    [Fact]
    public void Read_YieldsTheSamplesBeforeABadLine_ThenRefusesAtThatLine()
    {
        // Given three good lines and a bad fourth
        const string csv = "timestamp,team,metric,value\n2026-10-01T00:00:00Z,nlp,gpu_hours,1\n2026-10-01T00:00:00Z,vision,gpu_hours,2\n2026-10-01T01:00:00Z,nlp,gpu_hours,3\n2026-10-01T01:00:00Z,nlp,gpu_hours,x\n";
        var seen = new List<UsageSample>();

        // When they are read one at a time
        var error = Should.Throw<UserInputException>(() =>
        {
            foreach (var sample in UsageCsv.Read(csv, "usage.csv"))
            {
                seen.Add(sample);
            }
        });

        // Then the good lines arrived before the refusal, which names the bad line as Parse does
        seen.Select(s => s.Value).ShouldBe([1m, 2m, 3m]);
        error.Message.ShouldStartWith("usage.csv: line 5, column 4");
        Should.Throw<UserInputException>(() => UsageCsv.Parse(csv, "usage.csv")).Message.ShouldBe(error.Message);
    }

    [Fact]
    public void RepeatedTimestampText_IsParsedOnce_ButEveryChangedOneIsParsedAndChecked()
    {
        const string csv = "timestamp,team,metric,value\n2026-10-01T23:00:00-02:00,nlp,gpu_hours,1\n2026-10-01T23:00:00-02:00,cv,gpu_hours,1\n2026-10-01T23:00:00Z,cv,gpu_hours,1\n2026-10-01T23:00:00,cv,gpu_hours,1\n";

        var error = Should.Throw<UserInputException>(() => UsageCsv.Read(csv, "usage.csv").ToList());

        error.Message.ShouldStartWith("usage.csv: line 5, column 1: timestamp '2026-10-01T23:00:00' is not ISO 8601 with Z or an offset");
        var good = UsageCsv.Parse(string.Join('\n', csv.Split('\n')[..4]) + "\n", "usage.csv");
        good.Select(s => s.Start).ShouldBe([new DateTime(2026, 10, 2, 1, 0, 0), new DateTime(2026, 10, 2, 1, 0, 0), new DateTime(2026, 10, 1, 23, 0, 0)]);
        good.Select(s => s.Period.Day).ShouldBe([2, 2, 1]);
    }

    [Fact]
    public void Read_GivesExactlyWhatParseGives_OnGeneratedFiles()
    {
        Gen.Int[0, 23].Array[0, 40]
            .Sample(hours =>
            {
                var lines = hours.Select((h, i) => $"2026-10-0{1 + (i % 3)}T{h:00}:00:00Z,team{i % 4},gpu_hours,{((h * 37) + i) % 1000}.5");
                var csv = "timestamp,team,metric,value\n" + string.Join('\n', lines) + "\n";
                var read = UsageCsv.Read(csv, "usage.csv").ToList();
                var parsed = UsageCsv.Parse(csv, "usage.csv");
                read.Select(s => (s.Period, s.Start, s.Metric, s.Value, string.Join(',', s.Dimensions.OrderBy(d => d.Key)))).ShouldBe(
                    parsed.Select(s => (s.Period, s.Start, s.Metric, s.Value, string.Join(',', s.Dimensions.OrderBy(d => d.Key)))));
                CsvText.Records(csv, "usage.csv").Select(r => (r.Line, string.Join('|', r.Fields)))
                    .ShouldBe(CsvText.Parse(csv, "usage.csv").Select(r => (r.Line, string.Join('|', r.Fields))));
            });
    }

    [Fact]
    public void LinesOfOneDimensionSet_ShareOneNormalisedDictionary_AndPastTheCacheEveryLineKeepsItsOwnValues()
    {
        // Given 5,000 distinct teams (more than the sets the reader remembers), then two of them again, and a policy
        var policy = new TagPolicy(keys: [new TagKeyPolicy("team") { Aliases = ["squad"] }]);
        var lines = Enumerable.Range(0, 5000).Select(i => $"2026-10-01T00:00:00Z, Team{i} ,gpu_hours,1")
            .Append("2026-10-01T01:00:00Z, Team0 ,gpu_hours,2")
            .Append("2026-10-01T01:00:00Z, Team4999 ,gpu_hours,3");
        var csv = "timestamp,Squad,metric,value\n" + string.Join('\n', lines) + "\n";

        // When the file is read
        var samples = UsageCsv.Read(csv, "usage.csv", policy).ToList();

        // Then every line has its own team, normalised by the policy as before
        samples.Select(s => s.Dimensions["team"]).ShouldBe(Enumerable.Range(0, 5000).Select(i => $"team{i}").Append("team0").Append("team4999"));
        samples.ShouldAllBe(s => s.Dimensions.Count == 1);

        // And a set seen recently is the very same dictionary, so the store builds its lists once
        ReferenceEquals(samples[5001].Dimensions, samples[4999].Dimensions).ShouldBeTrue();
        ReferenceEquals(samples[5000].Dimensions, samples[0].Dimensions).ShouldBeFalse();
    }
}
