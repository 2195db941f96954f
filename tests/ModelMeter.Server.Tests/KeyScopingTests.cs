using System.Net;
using System.Text;

namespace ModelMeter.Server.Tests;

/// <summary>A team's key reads and writes its team only, on every endpoint; org-wide and admin keys see all.</summary>
public sealed class KeyScopingTests : IClassFixture<ServerHarness>, IDisposable
{
    private readonly ServerFactory _server;

    public KeyScopingTests(ServerHarness harness) => _server = harness.Start();

    public void Dispose() => _server.Dispose();

    private HttpClient Nlp => _server.As("nlp-viewer");

    [Fact]
    public async Task Report_ShowsTheTeamsCostOnly_WhateverIsAsked()
    {
        var all = await (await _server.As("org-viewer").GetAsync("/api/v1/report?by=tag:team")).Read();
        var nlp = await (await Nlp.GetAsync("/api/v1/report?by=tag:team")).Read();
        var other = await (await Nlp.GetAsync("/api/v1/report?by=tag:team&where=tag:team=vision")).Read();
        var byModel = await (await Nlp.GetAsync("/api/v1/report?by=tag:model")).Read();

        all.Total().ShouldBe(35m);
        nlp.Values("tag:team").ShouldBe(["nlp"]);
        nlp.Total().ShouldBe(10m);
        other.GetProperty("rows").GetArrayLength().ShouldBe(0);
        byModel.Values("tag:model").ShouldBe(["bert"]);
    }

    [Fact]
    public async Task Allocation_ShowbackAndExplain_AreTheTeamsOnly()
    {
        var showback = await (await Nlp.GetAsync("/api/v1/allocation")).Read();
        var targets = showback.GetProperty("showback").GetProperty("statements").EnumerateArray()
            .SelectMany(s => s.GetProperty("lines").EnumerateArray()).Select(l => l.GetProperty("target").GetString()).ToList();
        targets.ShouldBe(["nlp"]);

        (await Nlp.GetAsync("/api/v1/allocation?explain=tag:team=nlp")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var other = await Nlp.GetAsync("/api/v1/allocation?explain=tag:team=vision");
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.Read()).GetProperty("detail").GetString().ShouldBe("--explain team=vision: this API key reads team 'nlp' only.");
    }

    [Fact]
    public async Task HierarchyAndTags_CountTheTeamsCostOnly()
    {
        var hierarchy = await (await Nlp.GetAsync("/api/v1/hierarchy")).Read();
        hierarchy.GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(10m);
        var tags = await (await Nlp.GetAsync("/api/v1/tags")).Read();
        tags.GetProperty("currencies")[0].GetProperty("total_cost").GetDecimal().ShouldBe(10m);
        var allTags = await (await _server.As("admin").GetAsync("/api/v1/tags")).Read();
        allTags.GetProperty("currencies")[0].GetProperty("total_cost").GetDecimal().ShouldBe(35m);
    }

    [Fact]
    public async Task ImportsAndMetrics_CoverEveryTeam_SoATeamKeyIsRefused()
    {
        (await Nlp.GetAsync("/api/v1/imports")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Nlp.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _server.As("org-viewer").GetAsync("/api/v1/imports")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _server.As("org-viewer").GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Usage_IsReadAndWrittenForTheTeamOnly()
    {
        var writer = _server.As("nlp-writer");
        var own = await writer.PostAsync("/api/v1/usage", new StringContent("""{"timestamp":"2026-10-10T00:00:00Z","metric":"scoped","value":2}""", Encoding.UTF8, "application/json"));
        var other = await writer.PostAsync("/api/v1/usage", new StringContent("""{"timestamp":"2026-10-10T00:00:00Z","metric":"scoped","value":3,"team":"Vision"}""", Encoding.UTF8, "application/json"));
        var vision = await _server.As("vision-writer").PostAsync("/api/v1/usage", new StringContent("""{"timestamp":"2026-10-10T00:00:00Z","metric":"scoped","value":4,"team":"vision"}""", Encoding.UTF8, "application/json"));
        var viewer = await Nlp.PostAsync("/api/v1/usage", new StringContent("""{"timestamp":"2026-10-10T00:00:00Z","metric":"scoped","value":5}""", Encoding.UTF8, "application/json"));

        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.Read()).GetProperty("problems")[0].GetProperty("reason").GetString().ShouldBe("team 'Vision': this API key writes usage for team 'nlp' only");
        vision.StatusCode.ShouldBe(HttpStatusCode.OK);
        viewer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Another team's event beside a malformed one: the batch is the caller's mistake (400), each event named.
        var mixed = await writer.PostAsync("/api/v1/usage", new StringContent("""[{"timestamp":"2026-10-10","metric":"scoped","value":1},{"timestamp":"2026-10-10T00:00:00Z","metric":"scoped","value":3,"team":"vision"}]""", Encoding.UTF8, "application/json"));
        mixed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await mixed.Read()).GetProperty("problems").GetArrayLength().ShouldBe(2);

        // An event without a team is the key's team's; each team reads its own.
        var nlpUsage = await (await Nlp.GetAsync("/api/v1/usage?metric=scoped&by=team")).Read();
        nlpUsage.GetProperty("rows").EnumerateArray().Select(r => $"{r.GetProperty("dimensions").GetProperty("team").GetString()} {r.GetProperty("value").GetDecimal()}").ShouldBe(["nlp 2"]);
        var allUsage = await (await _server.As("admin").GetAsync("/api/v1/usage?metric=scoped&by=team")).Read();
        allUsage.GetProperty("totals")[0].GetProperty("value").GetDecimal().ShouldBe(6m);
    }

    [Fact]
    public async Task Check_WithAScope_CountsTheTeamsSpendOnly()
    {
        var vision = await (await Nlp.PostAsync("/api/v1/check?total=1&budget=100&scope=tag:team=vision&currency=USD", new StringContent(""))).Read();
        var own = await (await Nlp.PostAsync("/api/v1/check?total=1&budget=100&scope=tag:environment=prod&currency=USD", new StringContent(""))).Read();
        var admin = await (await _server.As("admin").PostAsync("/api/v1/check?total=1&budget=100&scope=tag:environment=prod&currency=USD", new StringContent(""))).Read();

        vision.GetProperty("spent_to_date").GetDecimal().ShouldBe(0m);
        own.GetProperty("spent_to_date").GetDecimal().ShouldBe(10m);
        admin.GetProperty("spent_to_date").GetDecimal().ShouldBe(30m);
    }

    [Fact]
    public async Task BudgetStatusAndList_AreTheTeamsBudgetsOnly()
    {
        static List<string> Names(System.Text.Json.JsonElement document) =>
            document.GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("name").GetString()!).ToList();
        var status = await (await Nlp.GetAsync("/api/v1/budgets/status")).Read();
        var list = await (await Nlp.GetAsync("/api/v1/budgets")).Read();
        var own = await (await Nlp.GetAsync("/api/v1/budgets/status/nlp")).Read();
        var all = await (await _server.As("org-viewer").GetAsync("/api/v1/budgets/status")).Read();

        Names(status).ShouldBe(["nlp"]);
        status.GetProperty("budgets")[0].GetProperty("spent").GetDecimal().ShouldBe(10m);
        Names(list).ShouldBe(["nlp"]);
        Names(own).ShouldBe(["nlp"]);
        Names(all).ShouldBe(["org", "nlp", "vision"]);
        // The org's budget is charged every team's cost, so no one team's key reads it; another team's is refused by name.
        var org = await Nlp.GetAsync("/api/v1/budgets/status/org");
        org.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await org.Read()).GetProperty("detail").GetString().ShouldBe("Budget 'org' is charged more than team 'nlp' (everything); this API key reads team 'nlp' only.");
        (await Nlp.GetAsync("/api/v1/budgets/status/vision")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var missing = await (await Nlp.GetAsync("/api/v1/budgets/status/nope")).Read();
        missing.GetProperty("detail").GetString().ShouldBe("There is no budget named 'nope'; the budgets are nlp.");
    }

    [Fact]
    public async Task ForecastAndAnomalies_CoverTheTeamsScopesOnly()
    {
        static List<string> Teams(System.Text.Json.JsonElement forecast) =>
            forecast.GetProperty("scopes").EnumerateArray().Select(s => s.GetProperty("values").GetProperty("tag:team").GetString()!).Order(StringComparer.Ordinal).ToList();
        var nlp = await (await Nlp.GetAsync("/api/v1/forecast?by=tag:team&period=month")).Read();
        var vision = await (await Nlp.GetAsync("/api/v1/forecast?by=tag:team&where=tag:team=vision")).Read();
        var all = await (await _server.As("admin").GetAsync("/api/v1/forecast?by=tag:team")).Read();

        Teams(nlp).ShouldBe(["nlp"]);
        nlp.GetProperty("scopes")[0].GetProperty("spent").GetDecimal().ShouldBe(10m);
        Teams(vision).ShouldBeEmpty();
        Teams(all).ShouldBe(["(untagged)", "nlp", "vision"]);

        var anomalies = await Nlp.GetAsync("/api/v1/anomalies?by=tag:team&where=tag:team=vision&min-impact=0");
        anomalies.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anomalies.Read()).GetProperty("anomalies").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task EstimatesAndCatalog_HoldNoTeamData_AndAnyKeyReadsThem()
    {
        (await Nlp.GetAsync("/api/v1/catalog?search=h100")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Dashboard_ShowsATeamKeyItsTeamOnly()
    {
        var own = await Nlp.GetAsync("/teams/nlp?month=2026-10");
        var other = await Nlp.GetAsync("/teams/vision?month=2026-10");
        var overview = await Nlp.GetStringAsync("/?month=2026-10");

        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        overview.ShouldContain("10.00 USD");
        overview.ShouldNotContain(">vision<");
        overview.ShouldNotContain("35.00 USD");
    }
}
