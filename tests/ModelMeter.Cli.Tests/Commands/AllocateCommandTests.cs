using System.Globalization;
using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

public class AllocateCommandTests(DemoAttributionFixture demo) : IClassFixture<DemoAttributionFixture>
{
    private const string Config = DemoAttributionFixture.DemoConfig;

    [Fact]
    public void Demo_PrintsCompliance_Hierarchy_Showback_AndAllocatedTotalEqualsBilledTotal()
    {
        demo.Demo.ExitCode.ShouldBe(0, demo.Demo.Error);
        demo.Demo.Out.ShouldContain("Imported the GPU cluster's job log");
        demo.Demo.Out.ShouldContain("Tag compliance (USD)");
        demo.Demo.Out.ShouldContain("Cost hierarchy (USD): cost_center > team");
        demo.Demo.Out.ShouldContain("Showback by team (USD)");
        demo.Demo.Out.ShouldContain("(idle)");
        demo.Demo.Out.ShouldMatch(@"Allocated total USD ([\d,.]+) = billed total USD \1 \(to the cent\)");
        File.Exists(Path.Combine(demo.Cli.Directory, Config)).ShouldBeTrue();
        File.Exists(Path.Combine(demo.Cli.Directory, ".modelmeter/demo/usage-2026-10.csv")).ShouldBeTrue();
    }

    [Fact]
    public async Task Allocate_OnTheDemoMonth_TotalEqualsTheReportTotal_ToTheCent()
    {
        var allocated = await demo.Cli.RunAsync("allocate", "--month", "2026-10", "--format", "json", "--config", Config);
        var report = await demo.Cli.RunAsync("report", "--month", "2026-10", "--format", "json");

        allocated.ExitCode.ShouldBe(0, allocated.Error);
        report.ExitCode.ShouldBe(0, report.Error);
        using var a = JsonDocument.Parse(allocated.Out);
        using var r = JsonDocument.Parse(report.Out);
        var billed = r.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
        var total = a.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
        billed.ShouldBeGreaterThan(0m);
        total.ShouldBe(billed);

        // Every line of the statement adds up, and the GPU cluster's shares and idle line are there.
        a.RootElement.GetProperty("dimension").GetString().ShouldBe("team");
        var lines = a.RootElement.GetProperty("statements")[0].GetProperty("lines").EnumerateArray().ToList();
        lines.Sum(l => l.GetProperty("total").GetDecimal()).ShouldBe(billed);
        lines.ShouldContain(l => l.GetProperty("target").GetString() == "(idle)" && l.GetProperty("idle").GetDecimal() > 0m);
        lines.Single(l => l.GetProperty("target").GetString() == "nlp").GetProperty("shared").GetProperty("gpu-cluster").GetDecimal().ShouldBeGreaterThan(0m);
    }

    [Fact]
    public async Task Allocate_Explain_ListsRuleDriverAndShare_ForEveryAmountTheTeamReceived()
    {
        var result = await demo.Cli.RunAsync("allocate", "--month", "2026-10", "--explain", "tag:team=NLP", "--config", Config);

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("Every amount team=nlp received:");
        result.Out.ShouldContain("direct cost: USD");
        result.Out.ShouldContain("shared from rule 'gpu-cluster'");
        result.Out.ShouldMatch(@"2026-10-01 rule 'gpu-cluster' \(usage\): nlp gpu_hours [\d.]+ of [\d.]+ = [\d.]+% of pool 2026-10-01/day USD");
        result.Out.ShouldContain("rule 'platform-services' (proportional): nlp direct cost");
        result.Out.ShouldContain("Total for team=nlp: USD");
    }

    [Fact]
    public async Task Allocate_ExplainJson_SharesOfTheDayAddUpToThePool()
    {
        var result = await demo.Cli.RunAsync("allocate", "--month", "2026-10", "--explain", "tag:team=(idle)", "--format", "json", "--config", Config);

        result.ExitCode.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var received = json.RootElement.GetProperty("received").EnumerateArray().ToList();
        received.Count.ShouldBe(31); // one idle line a day
        received.ShouldAllBe(r => r.GetProperty("kind").GetString() == "idle" && r.GetProperty("rule").GetString() == "gpu-cluster");
    }

    [Fact]
    public async Task ReportAllocated_ByTeam_Csv_IsAShowbackStatement_WhoseTotalsEqualTheBill()
    {
        var result = await demo.Cli.RunAsync("report", "--by", "tag:team", "--allocated", "--month", "2026-10", "--format", "csv", "--config", Config);
        var report = await demo.Cli.RunAsync("report", "--month", "2026-10", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("team,currency,direct,shared:gpu-cluster,shared:platform-services,idle,unallocated,total,share");
        var totals = lines.Skip(1).Select(l => l.Split(',')).ToList();
        totals.Select(f => f[0]).ShouldBe(["nlp", "search", "vision", "recsys", "(idle)", "(untagged)"], ignoreOrder: true);
        foreach (var f in totals)
        {
            var parts = f.Skip(2).Take(5).Sum(Parse);
            parts.ShouldBe(Parse(f[7]));
        }

        using var r = JsonDocument.Parse(report.Out);
        totals.Sum(f => Parse(f[7])).ShouldBe(r.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal());

        var markdown = await demo.Cli.RunAsync("report", "--by", "tag:team", "--allocated", "--month", "2026-10", "--format", "markdown", "--config", Config);
        markdown.Out.ShouldContain("| team | Direct | Shared: gpu-cluster | Shared: platform-services | Idle | Unallocated | Total | Share |");
    }

    [Fact]
    public async Task ReportAllocated_WithGrainAndChart_DrawsTheTrendUnderTheTable()
    {
        var withChart = await demo.Cli.RunAsync("report", "--allocated", "--by", "tag:team", "--grain", "week", "--chart", "--month", "2026-10", "--config", Config);
        var without = await demo.Cli.RunAsync("report", "--allocated", "--by", "tag:team", "--grain", "week", "--month", "2026-10", "--config", Config);

        withChart.ExitCode.ShouldBe(0, withChart.Error);
        withChart.Out.ShouldContain("█");
        without.Out.ShouldNotContain("█");
    }

    [Fact]
    public async Task Tags_FailUnder99_OnTheDemo_Exits1_BecauseOfTheUntaggedSandbox()
    {
        // The cloud bill's tagging: the costs outside it (190,500 USD typed in with their team and product) are all tagged
        // and would lift the share past 99%.
        var failing = await demo.Cli.RunAsync("tags", "--month", "2026-10", "--fail-under", "99", "--where", "ProviderName!=internal", "--config", Config);
        var passing = await demo.Cli.RunAsync("tags", "--month", "2026-10", "--fail-under", "90", "--where", "ProviderName!=internal", "--format", "json", "--config", Config);
        var everything = await demo.Cli.RunAsync("tags", "--month", "2026-10", "--fail-under", "99", "--config", Config);

        failing.ExitCode.ShouldBe(1, failing.Error);
        failing.Out.ShouldContain("(below 99%)");
        failing.Out.ShouldContain("i-0ba5eba110000001");
        passing.ExitCode.ShouldBe(0, passing.Error);
        using var json = JsonDocument.Parse(passing.Out);
        var usd = json.RootElement.GetProperty("currencies")[0];
        usd.GetProperty("fully_tagged_percent").GetDecimal().ShouldBeInRange(90m, 99m);
        usd.GetProperty("largest_untagged").EnumerateArray().ShouldContain(u => u.GetProperty("sub_account_id").GetString() == "444444444444");
        everything.ExitCode.ShouldBe(0, everything.Error);
    }

    [Fact]
    public async Task ReportByHierarchy_Depth2_SubtotalsAddUp()
    {
        var result = await demo.Cli.RunAsync("report", "--by", "hierarchy", "--depth", "2", "--month", "2026-10", "--format", "json", "--config", Config);
        var report = await demo.Cli.RunAsync("report", "--month", "2026-10", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("levels").EnumerateArray().Select(l => l.GetString()).ShouldBe(["cost_center", "team"]);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => (Depth: r.GetProperty("depth").GetInt32(), Path: r.GetProperty("path").GetString()!, Cost: r.GetProperty("cost").GetDecimal()))
            .ToList();
        rows.ShouldAllBe(r => r.Depth <= 2);
        var total = json.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
        using var r = JsonDocument.Parse(report.Out);
        total.ShouldBe(r.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal());
        rows.Where(x => x.Depth == 1).Sum(x => x.Cost).ShouldBe(total);
        foreach (var parent in rows.Where(x => x.Depth == 1))
        {
            rows.Where(x => x.Depth == 2 && x.Path.StartsWith(parent.Path + " > ", StringComparison.Ordinal)).Sum(x => x.Cost).ShouldBe(parent.Cost);
        }

        rows.ShouldContain(x => x.Path == "CC-100 > nlp");
    }

    [Fact]
    public async Task ReportByHierarchy_Allocated_PutsTheSharedClusterUnderTheTeams()
    {
        var result = await demo.Cli.RunAsync("report", "--by", "hierarchy", "--depth", "2", "--allocated", "--month", "2026-10", "--format", "csv", "--config", Config);

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldStartWith("currency,depth,level,path,value,cost,share_of_parent,share_of_total\n");
        result.Out.ShouldContain(",2,team,CC-300 > (idle),(idle),");
    }

    [Fact]
    public async Task Allocate_InAReportingCurrency_ConvertsAtTheDaysRate_AndRefusesADayWithoutOne()
    {
        demo.Cli.WriteFile("rates.csv", "date,from,to,rate\n2026-09-30,EUR,USD,1.25\n");
        demo.Cli.WriteFile("late-rates.csv", "date,from,to,rate\n2026-10-15,EUR,USD,1.25\n");

        var eur = await demo.Cli.RunAsync("allocate", "--month", "2026-10", "--currency", "EUR", "--rates", "rates.csv", "--format", "json", "--config", Config);
        var missing = await demo.Cli.RunAsync("allocate", "--month", "2026-10", "--currency", "EUR", "--rates", "late-rates.csv", "--config", Config);
        var report = await demo.Cli.RunAsync("report", "--month", "2026-10", "--format", "json");

        eur.ExitCode.ShouldBe(0, eur.Error);
        using var json = JsonDocument.Parse(eur.Out);
        using var r = JsonDocument.Parse(report.Out);
        var usd = r.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
        var total = json.RootElement.GetProperty("totals").GetProperty("EUR").GetDecimal();
        Math.Abs(total - (usd / 1.25m)).ShouldBeLessThan(1m); // each day's rows converted, to the cent
        missing.ExitCode.ShouldBe(2);
        missing.Error.ShouldContain("EUR");

        // Imported once, the rates serve every later --currency without --rates.
        var imported = await demo.Cli.RunAsync("import", "rates", "rates.csv");
        var stored = await demo.Cli.RunAsync("report", "--by", "tag:team", "--allocated", "--month", "2026-10", "--currency", "EUR", "--format", "json", "--config", Config);
        imported.ExitCode.ShouldBe(0, imported.Error);
        imported.Out.ShouldContain("Imported 1 exchange rate(s)");
        stored.ExitCode.ShouldBe(0, stored.Error);
        using var storedJson = JsonDocument.Parse(stored.Out);
        storedJson.RootElement.GetProperty("totals").GetProperty("EUR").GetDecimal().ShouldBe(total);
    }

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public async Task AllocateByCategory_OnTheDemoMonth_SplitsSharedPoolsByTheirCategories_AndAddsUpToTheBill_ToTheCent()
    {
        var allocated = await demo.Cli.RunAsync("allocate", "--by", "tag:team,category", "--month", "2026-10", "--format", "json", "--config", Config);
        var statement = await demo.Cli.RunAsync("allocate", "--by", "category", "--month", "2026-10", "--format", "json", "--config", Config);
        var report = await demo.Cli.RunAsync("report", "--by", "category", "--month", "2026-10", "--format", "json", "--config", Config);

        allocated.ExitCode.ShouldBe(0, allocated.Error);
        statement.ExitCode.ShouldBe(0, statement.Error);
        report.ExitCode.ShouldBe(0, report.Error);
        using var a = JsonDocument.Parse(allocated.Out);
        using var s = JsonDocument.Parse(statement.Out);
        using var r = JsonDocument.Parse(report.Out);
        var billed = r.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
        var rows = a.RootElement.GetProperty("rows").EnumerateArray().ToList();

        // Conservation: the allocated rows by team and category, and the statement by category, are the bill to the cent.
        a.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(billed);
        rows.Sum(x => x.GetProperty("cost").GetDecimal()).ShouldBe(billed);
        s.RootElement.GetProperty("dimension").GetString().ShouldBe("category");
        s.RootElement.GetProperty("statements")[0].GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("total").GetDecimal()).ShouldBe(billed);

        // The same classifier as the report: each category's allocated cost is the report's, give or take the cents
        // the pools' splits round (a shared pool's shares keep its categories in proportion).
        var byCategory = rows.GroupBy(x => x.GetProperty("category").GetString()!).ToDictionary(g => g.Key, g => g.Sum(x => x.GetProperty("cost").GetDecimal()));
        var reported = r.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(x => x.GetProperty("category").GetString()!, x => x.GetProperty("cost").GetDecimal());
        byCategory.Keys.ShouldBe(reported.Keys, ignoreOrder: true);
        foreach (var (category, cost) in reported)
        {
            Math.Abs(byCategory[category] - cost).ShouldBeLessThan(1m, category);
        }

        // The shared GPU cluster is training compute: the teams' shares of it land in training, not in other.
        rows.ShouldContain(x => x.GetProperty("tag:team").GetString() == "nlp" && x.GetProperty("category").GetString() == "training" && x.GetProperty("cost").GetDecimal() > 0m);
        byCategory.Keys.ShouldContain("inference");
    }

    [Fact]
    public async Task AllocateWhereCategory_AndTheHierarchyWhereCategory_KeepOnlyThatCategory()
    {
        var inference = await demo.Cli.RunAsync("allocate", "--by", "tag:team,category", "--where", "category=inference", "--month", "2026-10", "--format", "json", "--config", Config);
        var all = await demo.Cli.RunAsync("allocate", "--by", "tag:team,category", "--month", "2026-10", "--format", "json", "--config", Config);
        var tree = await demo.Cli.RunAsync("report", "--by", "hierarchy", "--where", "category=training", "--month", "2026-10", "--format", "json", "--config", Config);
        var allocatedTree = await demo.Cli.RunAsync("report", "--by", "hierarchy", "--allocated", "--where", "category=training", "--month", "2026-10", "--format", "json", "--config", Config);
        var training = await demo.Cli.RunAsync("report", "--where", "category=training", "--month", "2026-10", "--format", "json", "--config", Config);

        inference.ExitCode.ShouldBe(0, inference.Error);
        tree.ExitCode.ShouldBe(0, tree.Error);
        allocatedTree.ExitCode.ShouldBe(0, allocatedTree.Error);
        using var i = JsonDocument.Parse(inference.Out);
        using var a = JsonDocument.Parse(all.Out);
        var rows = i.RootElement.GetProperty("rows").EnumerateArray().ToList();
        rows.ShouldNotBeEmpty();
        rows.ShouldAllBe(x => x.GetProperty("category").GetString() == "inference");
        rows.Sum(x => x.GetProperty("cost").GetDecimal()).ShouldBe(
            a.RootElement.GetProperty("rows").EnumerateArray().Where(x => x.GetProperty("category").GetString() == "inference").Sum(x => x.GetProperty("cost").GetDecimal()));

        // The bill's tree of training cost totals the report's training cost exactly (no pool is split there).
        using var t = JsonDocument.Parse(tree.Out);
        using var r = JsonDocument.Parse(training.Out);
        var trained = r.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
        trained.ShouldBeGreaterThan(0m);
        Total(t).ShouldBe(trained);
        using var at = JsonDocument.Parse(allocatedTree.Out);
        Math.Abs(Total(at) - trained).ShouldBeLessThan(1m);
    }

    private static decimal Total(JsonDocument hierarchy) =>
        hierarchy.RootElement.GetProperty("totals").GetProperty("USD").GetDecimal();
}
