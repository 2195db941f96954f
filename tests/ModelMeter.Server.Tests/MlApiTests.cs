using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Kpis;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Unit;

namespace ModelMeter.Server.Tests;

/// <summary><c>runs</c>, <c>unit</c> and <c>kpi</c> over HTTP: the CLI's documents and messages, on a store with MLflow runs and predictions.</summary>
public sealed class MlApiTests : IClassFixture<MlServerHarness>, IDisposable
{
    private readonly MlServerHarness _harness;
    private readonly ServerFactory _server;

    public MlApiTests(MlServerHarness harness)
    {
        _harness = harness;
        _server = harness.Start();
    }

    public void Dispose() => _server.Dispose();

    private T UseCase<T>(Func<T, object> run, out string json)
        where T : notnull
    {
        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_harness.Temp.Path, _harness.Clock)).BuildServiceProvider();
        var useCase = services.GetRequiredService<T>();
        json = ModelMeterJson.Serialize(run(useCase));
        return useCase;
    }

    [Fact]
    public async Task WhatIfFrequency_IsTheDocumentTheCliWrites_ScopedToTheKeysTeam()
    {
        var body = await _server.As("nlp-viewer").GetStringAsync("/api/v1/what-if/frequency?experiment=bert-finetune&x=2&month=2026-10");
        UseCase<Application.WhatIf.WhatIfFrequencyUseCase>(u => u.Run(new Application.WhatIf.WhatIfFrequencyRequest
        {
            Experiment = "bert-finetune", X = "2", Month = "2026-10", Access = Application.Access.AccessScope.ForTeam("nlp"),
        }), out var expected);
        (body + "\n").ShouldBe(expected);

        // bert-finetune ran one hour on i-nlp, billed 10 USD: twice as often is 20.
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("what_if").GetDecimal().ShouldBe(20m);
        var other = await _server.As("nlp-viewer").GetAsync("/api/v1/what-if/frequency?experiment=yolo-train&x=2&month=2026-10");
        other.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await other.Read()).GetProperty("detail").GetString()!.ShouldContain("experiments with runs then: bert-finetune");
    }

    [Fact]
    public async Task RunsUnitAndKpi_AreTheDocumentsTheCliWrites()
    {
        var admin = _server.As("admin");

        // `runs --by tag:team --metric accuracy --chart estimators --format json`.
        var runs = await admin.GetStringAsync("/api/v1/runs?by=tag:team&metric=accuracy&chart=estimators");
        UseCase<RunsUseCase>(u => u.Run(new RunsRequest { By = "tag:team", Metrics = ["accuracy"], Chart = "estimators" }), out var expectedRuns);
        (runs + "\n").ShouldBe(expectedRuns);
        runs.ShouldContain("\"run_id\": \"r-nlp\"");

        // `unit --month 2026-10 --reconcile --price 0.01 --format json`: bert 10 USD over 4,000 predictions.
        var unit = await admin.GetStringAsync("/api/v1/unit?month=2026-10&reconcile=true&price=0.01");
        UseCase<UnitUseCase>(u => u.Run(new UnitRequest { Query = new CostQueryText { Month = "2026-10" }, Reconcile = true, Price = "0.01" }), out var expectedUnit);
        (unit + "\n").ShouldBe(expectedUnit);
        var bert = (await (await admin.GetAsync("/api/v1/unit?month=2026-10")).Read()).GetProperty("latest").EnumerateArray().Single(r => r.GetProperty("scope").GetString() == "bert");
        bert.GetProperty("cost_per_thousand_predictions").GetDecimal().ShouldBe(2.5m);

        // `kpi --month 2026-10 --format json`.
        var kpi = await admin.GetStringAsync("/api/v1/kpi?month=2026-10");
        UseCase<KpiUseCase>(u => u.Run(new KpiRequest { Query = new CostQueryText { Month = "2026-10" } }), out var expectedKpi);
        (kpi + "\n").ShouldBe(expectedKpi);
        kpi.ShouldContain("\"name\": \"bert_cost_per_1k\"");
    }

    [Fact]
    public async Task BadOptions_AreProblemsWithTheCliMessages()
    {
        var admin = _server.As("admin");

        var chart = await admin.GetAsync("/api/v1/runs?chart=pie");
        var by = await admin.GetAsync("/api/v1/unit?by=ServiceName");
        var month = await admin.GetAsync("/api/v1/kpi?month=2026-13");

        chart.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        chart.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await chart.Read()).GetProperty("detail").GetString().ShouldBe("--chart 'pie' is not a run chart; use runtime, starts, estimators.");
        by.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await by.Read()).GetProperty("detail").GetString().ShouldBe("--by 'ServiceName': unit costs are per one tag (tag:model, tag:team, tag:product), the key units are logged under.");
        month.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OpenApi_SpellsTheirParametersAsTheCliOptions()
    {
        var openapi = await (await _server.As(null).GetAsync("/openapi/v1.json")).Read();
        List<string> Parameters(string path) => openapi.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();

        // RunsSettings less --out (a file on the caller's machine) and --format; UnitSettings (CostQuerySettings + --price, --reconcile); KpiSettings less --tree (a rendering).
        Parameters("/api/v1/runs").ShouldBe(["experiment", "from", "to", "last", "month", "by", "metric", "reconcile", "chart"], ignoreOrder: true, "spelled as the CLI's options");
        Parameters("/api/v1/unit").ShouldBe(["by", "where", "from", "to", "last", "month", "grain", "cost", "price", "reconcile"], ignoreOrder: true, "spelled as the CLI's options");
        Parameters("/api/v1/kpi").ShouldBe(["from", "to", "month", "grain"], ignoreOrder: true, "spelled as the CLI's options");
    }
}
