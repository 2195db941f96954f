using ModelMeter.Application.Demo;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;

namespace ModelMeter.Application.Tests.Demo;

/// <summary>The demo month, which brings its costs outside the bill by default, built once.</summary>
public sealed class DemoWithCostsFixture : IDisposable
{
    internal AppHarness App { get; } = new();

    public DemoResult Result { get; }

    public DemoWithCostsFixture() => Result = App.Get<DemoUseCase>().Run(new DemoRequest { Month = "2026-10", Months = 1 });

    public void Dispose() => App.Dispose();
}

/// <summary>
/// On the demo, every line item lands in its workload category, and a team lead sees what each product really cost,
/// cloud and people together.
/// </summary>
public sealed class DemoWholeCostTests(DemoWithCostsFixture demo) : IClassFixture<DemoWithCostsFixture>
{
    private StoreOptions DemoConfig => new(Config: demo.App.Temp.File(".modelmeter/demo/modelmeter.yaml"));

    private CostReport Report(string by, params string[] where) =>
        demo.App.Get<ReportUseCase>().Run(new ReportRequest { Store = DemoConfig, Query = new CostQueryText { Month = "2026-10", By = by, Where = where } });

    [Fact]
    public void EveryDemoResource_LandsInItsCategory()
    {
        // Line items without a resource name (the credit, the unattached volume) are checked by their type below.
        var byResource = Report("ResourceName,category").Rows
            .Where(r => r.Values[0] != "(none)")
            .GroupBy(r => r.Values[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Values[1]).Distinct(StringComparer.Ordinal).Single(), StringComparer.Ordinal);

        foreach (var (resource, category) in new Dictionary<string, string>
        {
            ["ranker-v3-train"] = "training", ["llm-finetune-7b"] = "training", ["vision-detector-train"] = "training",
            ["nb-vision-jdoe"] = "training", ["gpu-cluster-node-1"] = "training",
            ["ranker-v3-prod"] = "inference", ["query-embed-prod"] = "inference", ["assistant-staging"] = "inference",
            ["claude-sonnet-4 input"] = "inference", ["reco-nightly-batch"] = "inference", ["reco-twotower-prod"] = "inference",
            ["acme-ml-checkpoints"] = "storage", ["acme-ml-datasets"] = "storage",
            ["feature-store-sync us-east-1a<->us-east-1c"] = "data_transfer", ["model artefact downloads"] = "data_transfer",
            ["ML metrics and logs"] = "other", ["sandbox-1"] = "other",
        })
        {
            byResource[resource].ShouldBe(category, resource);
        }

        Report("ResourceType,category", "ResourceType=Volume").Rows.ShouldHaveSingleItem().Values[1].ShouldBe("storage");
    }

    [Fact]
    public void TheCostsOutsideTheBill_AreInternalLineItems_InEveryReport()
    {
        var costs = demo.Result.InternalCosts.ShouldNotBeNull();
        costs.Outcome.ShouldBe(Application.Imports.ImportOutcome.Imported);
        var byProvider = Report("ProviderName").Rows.ToDictionary(r => r.Values[0], r => r.Cost, StringComparer.Ordinal);
        byProvider["internal"].ShouldBe(190500m);
        Report("category", "ProviderName=internal").Rows.Select(r => r.Values[0]).Order(StringComparer.Ordinal)
            .ShouldBe(["data_acquisition", "data_labelling", "licences", "monitoring", "personnel"]);
    }

    [Fact]
    public void Tco_ShowsEachProductsWholeCost_AndAddsUpToTheReportsTotal()
    {
        var tco = demo.App.Get<TcoUseCase>().Run(new TcoRequest { Store = DemoConfig, Query = new CostQueryText { Month = "2026-10", By = "tag:product" } });

        var total = Report("").Totals["USD"];
        tco.Totals["USD"]["total"].ShouldBe(total);
        tco.Totals["USD"]["personnel"].ShouldBe(165000m);
        var search = tco.Rows.Single(r => r.Values[0] == "search");
        search.Amounts["personnel"].ShouldBe(38500m);
        search.Amounts["data"].ShouldBe(6400m);
        search.Amounts["cloud_training"].ShouldBeGreaterThan(0m);
        search.Amounts["cloud_inference"].ShouldBeGreaterThan(0m);
        search.Amounts.Values.Sum().ShouldBe(search.Total);
        search.Shares.Values.Sum().ShouldBe(1m, 0.00001m);
    }
}
