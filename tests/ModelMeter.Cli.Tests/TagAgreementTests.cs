using System.Globalization;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// One reading of tags: <c>report</c>, <c>tags</c>, <c>allocate</c>, <c>check --scope</c> and <c>report --by
/// hierarchy</c> read tag keys and values through the same tag policy (the default one without a config), so they
/// show the same figures for the same condition. And one definition of a week for reports and allocation.
/// </summary>
public sealed class TagAgreementTests : IDisposable
{
    /// <summary>A policy that aliases squad to team and declares nothing else: the built-in aliases must survive it.</summary>
    private const string SquadPolicy = """
        tags:
          keys:
            team:
              aliases: [squad]
        """;

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>November 2026 (the harness's clock is 2026-11-15): one line item per row, on the given day.</summary>
    private static FocusCsv November(params (int Day, string Resource, decimal Cost, string Tags)[] rows)
    {
        var csv = new FocusCsv();
        foreach (var (day, resource, cost, tags) in rows)
        {
            var start = new DateTime(2026, 11, day, 3, 0, 0, DateTimeKind.Utc);
            csv.Row(("BillingPeriodStart", "2026-11-01T00:00:00Z"), ("BillingPeriodEnd", "2026-12-01T00:00:00Z"),
                ("ChargePeriodStart", Instant(start)), ("ChargePeriodEnd", Instant(start.AddHours(1))),
                ("ResourceId", resource), ("EffectiveCost", Money(cost)), ("BilledCost", Money(cost)), ("Tags", tags));
        }

        return csv;
    }

    private async Task Import(FocusCsv csv)
    {
        _cli.Write(csv, "focus.csv");
        var import = await _cli.Run("import", "focus", "focus.csv", "--quiet");
        import.ExitCode.ShouldBe(0, import.ToString());
    }

    [Theory]
    [InlineData("tag:team=search")]
    [InlineData("tag:team=Search")]
    [InlineData("tag:Team=SEARCH ")]
    public async Task CheckScope_ReadsTagsThroughThePolicy_AndSeesWhatReportWhereShows(string scope)
    {
        // Given search's spend under three spellings, one of them the policy's alias squad.
        await Import(November((2, "i-1", 100m, """{"squad":"search"}"""), (3, "i-2", 50m, """{"Team":"Search"}"""), (4, "i-3", 30m, """{"team":"vision"}""")));
        _cli.WriteText(SquadPolicy, "modelmeter.yaml");

        var report = await _cli.Run("report", "--by", "ServiceName", "--where", scope, "--month", "2026-11", "--format", "csv");
        var check = await _cli.Run("check", "--total", "0", "--budget", "1000", "--scope", scope, "--format", "json");

        report.ExitCode.ShouldBe(0, report.ToString());
        check.ExitCode.ShouldBe(0, check.ToString());
        Sum(report.Out, "cost").ShouldBe(150m);
        check.Json().GetProperty("spent_to_date").GetDecimal().ShouldBe(150m, "the budget check sees exactly the spend report shows");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReportByEnvironment_UnderstandsEnvAndProviderNamespaces_WithOrWithoutAPolicyOfOtherKeys(bool withPolicy)
    {
        // Given env and gcp:environment, which the built-in policy reads as environment.
        await Import(November((2, "i-1", 100m, """{"env":"prod"}"""), (3, "i-2", 50m, """{"gcp:environment":"dev"}""")));
        if (withPolicy)
        {
            _cli.WriteText(SquadPolicy, "modelmeter.yaml");
        }

        var report = await _cli.Run("report", "--by", "tag:environment", "--month", "2026-11", "--format", "csv");

        report.ExitCode.ShouldBe(0, report.ToString());
        ByValue(report.Out, "tag:environment", "cost").ShouldBe(new Dictionary<string, decimal> { ["prod"] = 100m, ["dev"] = 50m },
            "a config that declares only team extends the built-in aliases; it does not lose env");
    }

    public static TheoryData<string?, Dictionary<string, decimal>> Policies => new()
    {
        // No config: squad is a key of its own, so its cost is untagged for team.
        { null, new() { ["search"] = 150m, ["nlp"] = 48m, ["vision"] = 30m, ["(untagged)"] = 32m } },
        { SquadPolicy, new() { ["search"] = 175m, ["nlp"] = 48m, ["vision"] = 30m, ["(untagged)"] = 7m } },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Report_Tags_Allocate_Check_AndHierarchy_AgreeOnEveryTeam(string? config, Dictionary<string, decimal> expected)
    {
        // Given one store with team spelled every way a bill spells it.
        await Import(November(
            (2, "i-1", 100m, """{"team":"search"}"""),
            (3, "i-2", 50m, """{"Team":" Search "}"""),
            (4, "i-3", 25m, """{"squad":"search"}"""),
            (5, "i-4", 40m, """{"user:team":"nlp"}"""),
            (6, "i-5", 8m, """{"gcp:Team":"NLP"}"""),
            (7, "i-6", 30m, """{"team":"vision","env":"prod"}"""),
            (8, "i-7", 7m, "{}")));
        if (config is not null)
        {
            _cli.WriteText(config, "modelmeter.yaml");
        }

        var month = new[] { "--month", "2026-11" };
        var search = new[] { "--where", "tag:team=search" };

        // When every command is asked for the teams, and for team=search.
        var report = await Csv("report", ["--by", "tag:team", .. month]);
        var reportSearch = await Csv("report", ["--by", "ServiceName", .. search, .. month]);
        var allocate = await Csv("allocate", ["--by", "tag:team", .. month]);
        var allocateSearch = await Csv("allocate", ["--by", "tag:team", .. search, .. month]);
        var hierarchy = await Csv("report", ["--by", "hierarchy", "--depth", "2", .. month]);
        var hierarchySearch = await Csv("report", ["--by", "hierarchy", "--depth", "2", .. search, .. month]);
        var tags = await _cli.Run(["tags", .. search, .. month, "--format", "json"]);
        var check = await _cli.Run("check", "--total", "0", "--budget", "1000", "--scope", "tag:team=search", "--format", "json");

        // Then they agree: per team, and on search's total.
        ByValue(report, "tag:team", "cost").ShouldBe(expected, ignoreOrder: true);
        ByValue(allocate, "team", "total").ShouldBe(expected, ignoreOrder: true);
        ByValue(Level(hierarchy, "team"), "value", "cost").ShouldBe(expected, ignoreOrder: true);
        var total = expected["search"];
        Sum(reportSearch, "cost").ShouldBe(total);
        Sum(allocateSearch, "total").ShouldBe(total);
        Sum(Level(hierarchySearch, "team"), "cost").ShouldBe(total);
        tags.ExitCode.ShouldBe(0, tags.ToString());
        tags.Json().GetProperty("currencies")[0].GetProperty("total_cost").GetDecimal().ShouldBe(total);
        check.ExitCode.ShouldBe(0, check.ToString());
        check.Json().GetProperty("spent_to_date").GetDecimal().ShouldBe(total);
    }

    [Fact]
    public async Task ReportByWeek_AndAllocatedByWeek_BucketTheSameDays_CuttingWeeksAtMonthAndYearEnds()
    {
        // Given a line item of 1 a day for nlp and a shared AWS Support charge of 2 a day, split evenly by a weekly rule,
        // around a month end (Wednesday 30 September 2026) and a year end (Thursday 31 December 2026).
        var days = Days(new(2026, 9, 26), new(2026, 10, 4)).Concat(Days(new(2026, 12, 26), new(2027, 1, 4))).ToList();
        var csv = new FocusCsv();
        foreach (var day in days)
        {
            var start = day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
            var month = new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            foreach (var (service, cost, tags) in new[] { ("Amazon EC2", "1", """{"team":"nlp"}"""), ("AWS Support", "2", "{}") })
            {
                csv.Row(("BillingPeriodStart", Instant(month)), ("BillingPeriodEnd", Instant(month.AddMonths(1))),
                    ("ChargePeriodStart", Instant(start)), ("ChargePeriodEnd", Instant(start.AddHours(1))),
                    ("ServiceName", service), ("EffectiveCost", cost), ("BilledCost", cost), ("Tags", tags));
            }
        }

        await Import(csv);
        _cli.WriteText("""
            allocation:
              grain: week
              rules:
                - { name: support, pool: { service: AWS Support }, target: team, method: even, targets: [nlp, vision] }
            """, "modelmeter.yaml");
        var period = new[] { "--from", "2026-09-01", "--to", "2027-02-01", "--grain", "week" };

        var report = await Csv("report", [.. period]);
        var allocated = await Csv("allocate", ["--by", "tag:team", .. period]);

        // Then both show the same weeks: ISO weeks from Monday, cut at the first of a month (and so of a year).
        var expected = new Dictionary<string, decimal>
        {
            ["2026-09-21"] = 6m, // Sat 26, Sun 27 September
            ["2026-09-28"] = 9m, // Mon 28 to Wed 30 September
            ["2026-10-01"] = 12m, // Thu 1 to Sun 4 October: the same ISO week, cut at the month
            ["2026-12-21"] = 6m,
            ["2026-12-28"] = 12m, // Mon 28 to Thu 31 December
            ["2027-01-01"] = 9m, // Fri 1 to Sun 3 January: ISO week 2026-W53, cut at the year
            ["2027-01-04"] = 3m,
        };
        ByValue(report, "period", "cost").ShouldBe(expected, ignoreOrder: true);
        ByValue(allocated, "period", "cost").ShouldBe(expected, ignoreOrder: true);
        allocated.Where(r => r["tag:team"] == "vision").Sum(r => Decimal(r["cost"])).ShouldBe(days.Count * 1m, "vision's half of the support pools");
    }

    private async Task<List<Dictionary<string, string>>> Csv(string command, string[] args)
    {
        var run = await _cli.Run([command, .. args, "--format", "csv"]);
        run.ExitCode.ShouldBe(0, run.ToString());
        return Records(run.Out);
    }

    private static List<Dictionary<string, string>> Records(string csv)
    {
        var records = SimpleCsv.Parse(csv).Where(r => r.Length > 1).ToList();
        return records.Skip(1).Select(r => records[0].Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
    }

    private static List<Dictionary<string, string>> Level(List<Dictionary<string, string>> hierarchy, string level) =>
        hierarchy.Where(r => r["level"] == level).ToList();

    private static Dictionary<string, decimal> ByValue(string csv, string key, string amount) => ByValue(Records(csv), key, amount);

    /// <summary>Amounts summed by a column's value (a team under several cost centres is one team).</summary>
    private static Dictionary<string, decimal> ByValue(List<Dictionary<string, string>> records, string key, string amount) =>
        records.GroupBy(r => r[key], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => Decimal(r[amount])), StringComparer.Ordinal);

    private static decimal Sum(string csv, string amount) => Sum(Records(csv), amount);

    private static decimal Sum(List<Dictionary<string, string>> records, string amount) => records.Sum(r => Decimal(r[amount]));

    private static decimal Decimal(string text) => SimpleCsv.Decimal(text);

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    private static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
