using ModelMeter.Core.Catalog;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace ModelMeter.Core.Tests.Catalog;

public class PriceCatalogTests
{
    private static readonly PriceCatalog BuiltIn = PriceCatalog.Load();

    [Theory]
    [InlineData("T4")]
    [InlineData("L4")]
    [InlineData("A10G")]
    [InlineData("V100")]
    [InlineData("A100-40GB")]
    [InlineData("A100-80GB")]
    [InlineData("H100-SXM")]
    [InlineData("H100-PCIe")]
    [InlineData("H200")]
    [InlineData("B200")]
    public void BuiltIn_HasTheRequiredGpus_WithDenseBf16OrFp16(string key)
    {
        var gpu = BuiltIn.Gpu(key);
        gpu.PeakTflops.ShouldContainKey("fp16");
        gpu.MemoryGb.ShouldBeGreaterThan(0m);
    }

    [Fact]
    public void BuiltIn_GpuFiguresAreDense_NotTheSparsityHeadline()
    {
        // docs/prices.md: A100 312 dense (624 sparse), H100 SXM 989.4 dense (1,979 sparse), L4 121 dense (242 sparse).
        BuiltIn.Gpu("A100-80GB").PeakTflopsFor("bf16").ShouldBe(312);
        BuiltIn.Gpu("H100-SXM").PeakTflopsFor("bf16").ShouldBe(989.4);
        BuiltIn.Gpu("L4").PeakTflopsFor("bf16").ShouldBe(121);
    }

    [Fact]
    public void BuiltIn_GpuWithoutAPrecision_SaysWhichItHas()
    {
        var ex = Should.Throw<UserInputException>(() => BuiltIn.Gpu("V100").PeakTflopsFor("bf16"));
        ex.Message.ShouldContain("V100");
        ex.Message.ShouldContain("fp16");
    }

    [Theory]
    [InlineData("p3.2xlarge")]
    [InlineData("p4d.24xlarge")]
    [InlineData("p4de.24xlarge")]
    [InlineData("p5.48xlarge")]
    [InlineData("g5.xlarge")]
    [InlineData("g6.xlarge")]
    [InlineData("a2-highgpu-8g")]
    [InlineData("a3-highgpu-8g")]
    [InlineData("g2-standard-4")]
    [InlineData("Standard_ND96asr_v4")]
    [InlineData("Standard_NC24ads_A100_v4")]
    public void BuiltIn_HasInstanceFamiliesOfAllThreeClouds_WithAllThreePrices(string key)
    {
        var instance = BuiltIn.Instance(key);
        instance.OnDemandPerHour.ShouldBeGreaterThan(0m);
        instance.Spot.ShouldNotBeNull().PerHour.ShouldBeLessThan(instance.OnDemandPerHour);
        instance.Commitment1y.ShouldNotBeNull().PerHour.ShouldBeLessThan(instance.OnDemandPerHour);
        instance.GpuCount.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void BuiltIn_P4d_IsThePostCutPriceFromPricesMd_WithIndicativeSpot()
    {
        var p4d = BuiltIn.Instance("p4d.24xlarge");
        p4d.OnDemandPerHour.ShouldBe(21.957642m);
        p4d.GpuKey.ShouldBe("A100-40GB");
        p4d.GpuCount.ShouldBe(8);

        // spot = 21.957642 × (1 − 0.5) = 10.978821, and it says it is indicative
        p4d.Spot!.PerHour.ShouldBe(10.978821m);
        p4d.Spot.Basis.ShouldContain("indicative");
    }

    [Fact]
    public void BuiltIn_LlmPrices_AreTheSnapshotPerTokenPricesTimesAMillion()
    {
        // model_prices.json: gpt-4o-mini 1.5e-07 input, 7.5e-08 cache read, 6e-07 output per token
        var mini = BuiltIn.Llm("gpt-4o-mini");
        mini.InputPerMillion.ShouldBe(0.15m);
        mini.CachedInputPerMillion.ShouldBe(0.075m);
        mini.OutputPerMillion.ShouldBe(0.6m);
        mini.Provenance.AsOf.ShouldBe(new DateOnly(2025, 9, 5));
        mini.Provenance.Source.ShouldContain("litellm");
    }

    [Fact]
    public void BuiltIn_StorageAndTransfer_FollowPricesMd()
    {
        BuiltIn.Storage("aws-s3-standard").PerGbMonth.ShouldBe(0.023m);
        BuiltIn.Transfer("aws-cross-zone").EffectivePerGb.ShouldBe(0.02m);
        BuiltIn.Transfer("aws-cross-region").PerGb.ShouldBe(0.02m);
        BuiltIn.Transfer("aws-internet-egress").PerGb.ShouldBe(0.09m);
        BuiltIn.Transfer("aws-same-zone").PerGb.ShouldBe(0m);
    }

    [Fact]
    public void BuiltIn_EveryEntryCarriesASourceAndADate()
    {
        foreach (var entry in BuiltIn.Entries)
        {
            entry.Provenance.Source.ShouldNotBeNullOrWhiteSpace();
            entry.Provenance.AsOf.Year.ShouldBeGreaterThanOrEqualTo(2024);
        }
    }

    [Fact]
    public void UnknownInstance_NamesTheKey_AndSuggestsNearMatches()
    {
        var ex = Should.Throw<UserInputException>(() => BuiltIn.Instance("p5.48xlarg"));
        ex.Message.ShouldContain("'p5.48xlarg'");
        ex.Message.ShouldContain("p5.48xlarge");
    }

    [Fact]
    public void UnknownGpu_NamesTheKey_AndSuggestsTheVariants()
    {
        var ex = Should.Throw<UserInputException>(() => BuiltIn.Gpu("H100"));
        ex.Message.ShouldContain("Unknown GPU 'H100'");
        ex.Message.ShouldContain("H100-SXM");
        ex.Message.ShouldContain("H100-PCIe");
    }

    [Fact]
    public void UserOverride_ReplacesTheFieldsItSets_AndKeepsTheRest()
    {
        const string yaml = """
            prices:
              source: "our negotiated rate card"
              as_of: 2026-10-01
              instances:
                - key: p5.48xlarge
                  on_demand: 40
                - key: p4d.24xlarge
                  spot: 9.5
                - {key: my-cluster-node, provider: onprem, region: dc1, gpu: H100-SXM, gpu_count: 8, on_demand: 30}
            """;
        var config = ConfigParser.Parse(yaml, "modelmeter.yaml");
        var catalog = PriceCatalog.Load(config.Prices, "modelmeter.yaml");

        var p5 = catalog.Instance("p5.48xlarge");
        p5.OnDemandPerHour.ShouldBe(40m);
        p5.GpuCount.ShouldBe(8);
        p5.Spot!.PerHour.ShouldBe(20m); // derived again: 40 × (1 − 0.5)
        p5.Provenance.Source.ShouldBe("our negotiated rate card");
        p5.Provenance.Origin.ShouldBe("modelmeter.yaml");
        catalog.Instance("my-cluster-node").OnDemandPerHour.ShouldBe(30m);
        var p4d = catalog.Instance("p4d.24xlarge");
        p4d.OnDemandPerHour.ShouldBe(21.957642m);
        p4d.Spot.ShouldBe(new HourlyPrice(9.5m, "our negotiated rate card"));
    }

    [Fact]
    public void UserOverride_WithoutASource_IsRefused()
    {
        var config = ConfigParser.Parse("prices:\n  llm:\n    - {key: gpt-4o, input: 2, as_of: 2026-10-01}\n", "modelmeter.yaml");
        var ex = Should.Throw<UserInputException>(() => PriceCatalog.Load(config.Prices, "modelmeter.yaml"));
        ex.Message.ShouldContain("gpt-4o");
        ex.Message.ShouldContain("source");
    }

    [Fact]
    public void UserOverride_WithAMisspeltField_IsRefusedWithItsLine()
    {
        var ex = Should.Throw<UserInputException>(() => ConfigParser.Parse("prices:\n  instances:\n    - {key: p5.48xlarge, on_demnd: 40}\n", "modelmeter.yaml"));
        ex.Message.ShouldContain("line 3");
    }

    [Fact]
    public void UserOverride_ForAnInstanceOnAnUnknownGpu_SuggestsTheKnownOnes()
    {
        var config = ConfigParser.Parse(
            "prices:\n  source: x\n  as_of: 2026-10-01\n  instances:\n    - {key: box, provider: onprem, region: dc1, gpu: A100, gpu_count: 1, on_demand: 1}\n",
            "modelmeter.yaml");
        var ex = Should.Throw<UserInputException>(() => PriceCatalog.Load(config.Prices, "modelmeter.yaml"));
        ex.Message.ShouldContain("'A100'");
        ex.Message.ShouldContain("A100-40GB");
    }

    [Fact]
    public void Staleness_WarnsOnlyAfter180Days()
    {
        var catalog = PriceCatalog.Build([new CatalogSource("test.yaml", CatalogParser.Parse(
            "source: s\nas_of: 2025-06-01\nstorage:\n  - {key: disk, provider: p, tier: t, per_gb_month: 0.1}\n", "test.yaml"))]);

        // 2025-06-01 + 180 days = 2025-11-28: exactly 180 days old is still fresh; 181 days is stale.
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 11, 28, 12, 0, 0, TimeSpan.Zero));
        catalog.StaleEntries(clock).ShouldBeEmpty();
        catalog.StalenessWarning(clock).ShouldBeNull();

        clock.Advance(TimeSpan.FromDays(1));
        catalog.StaleEntries(clock).Select(e => e.Key).ShouldBe(["disk"]);
        catalog.StalenessWarning(clock).ShouldNotBeNull().ShouldContain("181 days ago");
    }
}
