using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using ModelMeter.Application;
using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Forecasting;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Errors;

namespace ModelMeter.Server.Tests;

/// <summary>The API returns the use cases' documents and messages, as the CLI does.</summary>
public sealed class ApiTests : IClassFixture<ServerHarness>, IDisposable
{
    private readonly ServerHarness _harness;
    private readonly ServerFactory _server;

    public ApiTests(ServerHarness harness)
    {
        _harness = harness;
        _server = harness.Start();
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Report_IsTheDocumentTheCliWrites()
    {
        var body = await _server.As("admin").GetStringAsync("/api/v1/report?by=tag:team&month=2026-10");

        // Same use case, same query, same serializer: the CLI's `report --by tag:team --month 2026-10 --format json`.
        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var expected = ModelMeterJson.Serialize(services.GetRequiredService<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { By = "tag:team", Month = "2026-10" } }));
        (body + "\n").ShouldBe(expected);
    }

    [Fact]
    public async Task Tco_IsTheDocumentTheCliWrites_AndATeamKeySeesOnlyItsTeam()
    {
        var body = await _server.As("admin").GetStringAsync("/api/v1/tco?by=tag:team&month=2026-10");

        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var expected = ModelMeterJson.Serialize(services.GetRequiredService<TcoUseCase>().Run(new TcoRequest { Query = new CostQueryText { By = "tag:team", Month = "2026-10" } }));
        (body + "\n").ShouldBe(expected);
        var nlp = await (await _server.As("nlp-viewer").GetAsync("/api/v1/tco?by=tag:team&month=2026-10")).Read();
        nlp.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("values")[0].GetString()).ShouldBe(["nlp"]);
    }

    [Fact]
    public async Task WhatIfLlm_IsTheDocumentTheCliWrites_AndRefusesAMissingModelWithTheCliMessage()
    {
        var body = await _server.As("nlp-viewer").GetStringAsync("/api/v1/what-if/llm?as=gpt-4.1-mini&month=2026-10&where=tag:feature=assistant");

        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var expected = ModelMeterJson.Serialize(services.GetRequiredService<Application.WhatIf.WhatIfLlmUseCase>().Run(new Application.WhatIf.WhatIfLlmRequest
        {
            As = "gpt-4.1-mini", Month = "2026-10", Where = ["tag:feature=assistant"], Access = Application.Access.AccessScope.ForTeam("nlp"),
        }));
        (body + "\n").ShouldBe(expected);
        var missing = await _server.As("admin").GetAsync("/api/v1/what-if/llm?month=2026-10");
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.Read()).GetProperty("detail").GetString()!.ShouldStartWith("Name the model to reprice on with --as");
    }

    [Fact]
    public async Task WhatIfInstance_IsTheDocumentTheCliWrites_AndATeamKeyCannotRepriceAnotherTeamsResource()
    {
        var body = await _server.As("nlp-viewer").GetStringAsync("/api/v1/what-if/instance?resource=i-nlp&as=g5.xlarge&month=2026-10");

        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var expected = ModelMeterJson.Serialize(services.GetRequiredService<Application.WhatIf.WhatIfInstanceUseCase>().Run(new Application.WhatIf.WhatIfInstanceRequest
        {
            Resource = "i-nlp", As = "g5.xlarge", Month = "2026-10", Access = Application.Access.AccessScope.ForTeam("nlp"),
        }));
        (body + "\n").ShouldBe(expected);

        // One hour billed 10 USD, no catalogued SKU: 1 h × g5.xlarge's 1.006 on-demand.
        var document = await (await _server.As("nlp-viewer").GetAsync("/api/v1/what-if/instance?resource=i-nlp&as=g5.xlarge&month=2026-10")).Read();
        document.GetProperty("what_if").GetDecimal().ShouldBe(1.006m);
        var other = await _server.As("nlp-viewer").GetAsync("/api/v1/what-if/instance?resource=i-vision&as=g5.xlarge&month=2026-10");
        other.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await other.Read()).GetProperty("detail").GetString()!.ShouldStartWith("No usage charges of resource 'i-vision'");
    }

    [Fact]
    public async Task Report_WhereIsRepeatable_AsTheCliOption()
    {
        var report = await (await _server.As("admin").GetAsync("/api/v1/report?by=tag:team&where=tag:environment=prod&where=tag:model!=bert")).Read();

        report.Values("tag:team").ShouldBe(["vision"]);
        report.Total().ShouldBe(20m);
    }

    [Fact]
    public async Task BadInput_IsAProblemDetails400_WithTheCliMessage()
    {
        var response = await _server.As("admin").GetAsync("/api/v1/report?grain=fortnight");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Read();
        var cli = Should.Throw<UserInputException>(() => new CostQueryText { Grain = "fortnight" }.ToQuery(DateTime.UnixEpoch));
        problem.GetProperty("detail").GetString().ShouldBe(cli.Message);
        problem.GetProperty("status").GetInt32().ShouldBe(400);
    }

    [Theory]
    [InlineData("/api/v1/allocation?month=2026-10", "showback")]
    [InlineData("/api/v1/allocation?month=2026-10&explain=tag:team=nlp", "explanation")]
    [InlineData("/api/v1/hierarchy?month=2026-10&depth=2", "rows")]
    [InlineData("/api/v1/tags?month=2026-10", "currencies")]
    [InlineData("/api/v1/imports", "imports")]
    [InlineData("/api/v1/catalog?kind=gpu", "entries")]
    [InlineData("/api/v1/usage", "totals")]
    [InlineData("/api/v1/budgets", "budgets")]
    [InlineData("/api/v1/budgets/status", "budgets")]
    [InlineData("/api/v1/budgets/status/nlp?as-of=2026-10-10", "budgets")]
    [InlineData("/api/v1/forecast?by=tag:team&period=quarter&backtest=true", "forecasters")]
    [InlineData("/api/v1/anomalies?by=tag:team&last=8w&detector=wow&min-impact=1&threshold=0.5", "anomalies")]
    [InlineData("/api/v1/recommendations?min-saving=0&where=ServiceCategory=Compute", "findings")]
    public async Task EveryReadEndpoint_ReturnsItsDocument(string url, string field)
    {
        var response = await _server.As("admin").GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Read()).TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Recommendations_WithATeamKey_AreTheTeamsFindingsOnly_AsTheUseCaseScopesThem()
    {
        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var recommend = services.GetRequiredService<Application.Recommendations.RecommendUseCase>();
        static List<string?> Teams(string body) =>
            JsonDocument.Parse(body).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("team").GetString()).ToList();

        var nlp = await _server.As("nlp-viewer").GetStringAsync("/api/v1/recommendations?min-saving=0");
        var all = await _server.As("admin").GetStringAsync("/api/v1/recommendations?min-saving=0");
        var vision = await _server.As("nlp-viewer").GetStringAsync("/api/v1/recommendations?min-saving=0&where=tag:team=vision");

        (nlp + "\n").ShouldBe(ModelMeterJson.Serialize(recommend.Run(new Application.Recommendations.RecommendRequest { MinSaving = 0m, Access = Application.Access.AccessScope.ForTeam("nlp") })));
        Teams(nlp).ShouldAllBe(t => t == "nlp");
        Teams(all).ShouldContain(t => t != "nlp", "other teams have findings the nlp key does not see");
        Teams(vision).ShouldBeEmpty();
    }

    [Fact]
    public async Task BudgetsForecastAndAnomalies_AreTheDocumentsTheCliWrites()
    {
        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var admin = _server.As("admin");

        // `budget status --format json`, `budget status nlp`, `budget list`, `forecast --by tag:team`, `anomalies --by tag:team --detector wow`.
        var status = await admin.GetStringAsync("/api/v1/budgets/status");
        (status + "\n").ShouldBe(ModelMeterJson.Serialize(services.GetRequiredService<BudgetsUseCase>().Status(new BudgetStatusRequest())));
        var nlp = await admin.GetStringAsync("/api/v1/budgets/status/nlp");
        (nlp + "\n").ShouldBe(ModelMeterJson.Serialize(services.GetRequiredService<BudgetsUseCase>().Status(new BudgetStatusRequest { Name = "nlp" })));
        var list = await admin.GetStringAsync("/api/v1/budgets");
        (list + "\n").ShouldBe(ModelMeterJson.Serialize(services.GetRequiredService<BudgetsUseCase>().List(StoreOptions.Default)));
        var forecast = await admin.GetStringAsync("/api/v1/forecast?by=tag:team&period=month");
        (forecast + "\n").ShouldBe(ModelMeterJson.Serialize(services.GetRequiredService<ForecastUseCase>().Run(new ForecastRequest { By = "tag:team", Period = "month" })));
        var anomalies = await admin.GetStringAsync("/api/v1/anomalies?by=tag:team&detector=wow");
        (anomalies + "\n").ShouldBe(ModelMeterJson.Serialize(services.GetRequiredService<AnomaliesUseCase>().Run(new AnomaliesRequest { By = "tag:team", Detector = "wow" })));

        var recommendations = await admin.GetStringAsync("/api/v1/recommendations?min-saving=0");
        (recommendations + "\n").ShouldBe(ModelMeterJson.Serialize(services.GetRequiredService<Application.Recommendations.RecommendUseCase>().Run(new Application.Recommendations.RecommendRequest { MinSaving = 0m })));
        JsonDocument.Parse(recommendations).RootElement.GetProperty("findings").GetArrayLength().ShouldBeGreaterThan(0);

        var budgets = JsonDocument.Parse(status).RootElement.GetProperty("budgets").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        budgets["org"].GetProperty("spent").GetDecimal().ShouldBe(35m);
        budgets["vision"].GetProperty("status").GetString().ShouldBe("over");
        budgets["nlp"].GetProperty("percent").GetDecimal().ShouldBe(50m);
    }

    [Theory]
    [InlineData("/api/v1/budgets/status/nope", "There is no budget named 'nope'; the budgets are org, nlp, vision.")]
    [InlineData("/api/v1/recommendations?explain=idle-00000000", "--explain 'idle-00000000' is not a finding of this window")]
    [InlineData("/api/v1/budgets/status?as-of=20.10.2026", "--as-of '20.10.2026' is not a day; write it as YYYY-MM-DD, e.g. 2026-11-20.")]
    [InlineData("/api/v1/forecast?forecaster=psychic", "--forecaster 'psychic' is not a forecaster; use ")]
    [InlineData("/api/v1/anomalies?detector=psychic", "--detector 'psychic' is not a detector; use ")]
    public async Task BudgetsForecastAndAnomalies_BadInput_IsA400_WithTheCliMessage(string url, string message)
    {
        var response = await _server.As("admin").GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Read()).GetProperty("detail").GetString().ShouldStartWith(message);
    }

    [Fact]
    public async Task Estimate_TakesTheSpecAsTheBody()
    {
        const string Spec = "kind: envelope\nname: napkin\ninputs:\n  instance: p5.48xlarge\n  instances: 2\n  hours: 72\n";
        var response = await _server.As("nlp-viewer").PostAsync("/api/v1/estimate?spec=napkin.yaml", new StringContent(Spec, Encoding.UTF8, "application/yaml"));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var estimate = await response.Read();
        estimate.GetProperty("spec").GetString().ShouldBe("napkin.yaml");
        estimate.GetProperty("kind").GetString().ShouldBe("envelope");
    }

    [Fact]
    public async Task Check_OverBudget_SaysSoInTheDocument()
    {
        var response = await _server.As("admin").PostAsync("/api/v1/check?total=120&budget=100", new StringContent(""));

        var check = await response.Read();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        check.GetProperty("passed").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task OpenApi_DescribesTheApi_AndTheReferencePageServesItsScriptLocally()
    {
        var openapi = await (await _server.As(null).GetAsync("/openapi/v1.json")).Read();
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/v1/report");
        paths.ShouldContain("/api/v1/usage");
        paths.ShouldContain("/api/v1/allocation");
        var report = openapi.GetProperty("paths").GetProperty("/api/v1/report").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        report.ShouldBe(["by", "where", "from", "to", "last", "month", "grain", "cost", "top"], ignoreOrder: true, "spelled as the CLI's options");
        List<string> Parameters(string path) => openapi.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
        Parameters("/api/v1/budgets/status").ShouldBe(["as-of"]);
        Parameters("/api/v1/budgets/status/{name}").ShouldBe(["name", "as-of"], ignoreOrder: true);
        Parameters("/api/v1/forecast").ShouldBe(["by", "where", "period", "cost", "allocated", "time-zone", "as-of", "forecaster", "backtest"], ignoreOrder: true, "spelled as the CLI's options");
        Parameters("/api/v1/anomalies").ShouldBe(["by", "where", "last", "from", "to", "detector", "min-impact", "threshold"], ignoreOrder: true, "spelled as the CLI's options");
        paths.ShouldContain("/api/v1/budgets");

        var page = await _server.As(null).GetStringAsync("/api/");
        page.ShouldNotContain("cdn.jsdelivr");
        page.ShouldContain("scalar.js");
        var script = await _server.As(null).GetAsync("/api/scalar.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_AndReadiness()
    {
        (await _server.As(null).GetStringAsync("/healthz")).ShouldBe("ok\n");
        (await _server.As(null).GetStringAsync("/readyz")).ShouldBe("ready\n");
    }

    [Fact]
    public async Task NoKey_Is401_AndARevokedKeyToo()
    {
        (await _server.As(null).GetAsync("/api/v1/report")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _server.As("revoked").GetAsync("/api/v1/report")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var browser = await _server.As(null).GetAsync("/teams/nlp");
        browser.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        browser.Headers.Location!.ToString().ShouldStartWith("/login");
    }

    [Fact]
    public async Task NoAuth_LetsAnyoneIn_AsAdmin()
    {
        using var open = _harness.Start(new() { ["NoAuth"] = "true" });

        var report = await (await open.As(null).GetAsync("/api/v1/report?by=tag:team")).Read();

        report.Total().ShouldBe(35m);
    }
}
