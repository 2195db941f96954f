using ModelMeter.Core.Attribution;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>The aggregates the tag policy and allocation run on: <see cref="ICostStore.QueryBilledCostRows"/> and <see cref="ICostStore.QueryTaggedCosts"/>.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    private static LineItem Hour(string start, string service, string? resource, string account, decimal cost) =>
        Item(cost).Charge(start).Text("ServiceName", service).Text("ResourceId", resource).Text("SubAccountId", account);

    /// <summary>A tag map as "key=value,key=value" in key order, to compare maps by content.</summary>
    private static string Describe(IReadOnlyDictionary<string, string?>? tags) =>
        tags is null ? "null" : string.Join(',', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));

    [Fact]
    public void QueryBilledCostRows_SumsPerDayCurrencyServiceResourceAccountAndRawTagSet()
    {
        Import(
            Hour("2026-10-01T00:00:00Z", "Amazon EC2", "i-1", "111", 1.25m).Tag("Team", "NLP").Tag("env", "prod"),
            Hour("2026-10-01T01:00:00Z", "Amazon EC2", "i-1", "111", 1.25m).Tag("Team", "NLP").Tag("env", "prod"),
            Hour("2026-10-01T02:00:00Z", "Amazon EC2", "i-1", "111", 0.5m).Tag("Team", "vision"),
            Hour("2026-10-02T00:00:00Z", "Amazon EC2", "i-1", "111", 2m).Tag("Team", "NLP").Tag("env", "prod"),
            Hour("2026-10-01T05:00:00Z", "Amazon EC2", "i-1", "111", 7m).Tag("Team", "NLP").Tag("env", "prod").Text("BillingCurrency", "EUR"),
            Hour("2026-10-01T03:00:00Z", "Amazon S3", null, "222", 0.000000001m),
            Hour("2026-10-01T04:00:00Z", "AWS Credits", null, "222", -3m));

        var rows = Store.QueryBilledCostRows(new CostQuery());

        // Given seven hourly items, then one row per day x currency x service x resource x account x raw tag set.
        rows.Select(r => (r.Period, r.Currency, r.ServiceName, r.ResourceId, r.SubAccountId, Describe(r.Tags), r.Amount)).ShouldBe(
        [
            (new DateOnly(2026, 10, 1), "USD", "Amazon EC2", "i-1", "111", "Team=NLP,env=prod", 2.5m), // 1.25 + 1.25, tags raw: the policy normalises later
            (new DateOnly(2026, 10, 1), "USD", "Amazon EC2", "i-1", "111", "Team=vision", 0.5m),
            (new DateOnly(2026, 10, 2), "USD", "Amazon EC2", "i-1", "111", "Team=NLP,env=prod", 2m),
            (new DateOnly(2026, 10, 1), "EUR", "Amazon EC2", "i-1", "111", "Team=NLP,env=prod", 7m),
            (new DateOnly(2026, 10, 1), "USD", "Amazon S3", null, "222", "", 0.000000001m),
            (new DateOnly(2026, 10, 1), "USD", "AWS Credits", null, "222", "", -3m),
        ], ignoreOrder: true);
        rows.ShouldAllBe(r => !r.IsProviderAllocated && r.AllocatedTags == null && r.AllocatedResourceId == null);
    }

    [Fact]
    public void QueryBilledCostRows_HonoursThePeriodTheWhereAndTheCostMetric_IgnoringGroupingAndGrain()
    {
        Import(
            Hour("2026-10-01T00:00:00Z", "Amazon EC2", "i-1", "111", 1m).Tag("team", "nlp"),
            Hour("2026-10-02T00:00:00Z", "Amazon EC2", "i-1", "111", 2m).Tag("team", "nlp").Tag("owner", "ada"),
            Hour("2026-10-02T01:00:00Z", "Amazon EC2", "i-1", "111", 16m).Tag("team", "vision").Tag("owner", "ada"),
            Hour("2026-10-02T02:00:00Z", "Amazon S3", "b-1", "111", 4m).Tag("team", "nlp"),
            Hour("2026-10-03T00:00:00Z", "Amazon EC2", "i-1", "111", 8m).Tag("team", "nlp"),
            Hour("2026-10-02T03:00:00Z", "Amazon EC2", "i-1", "111", 0m).Costs(billed: 32m, effective: 0m, list: 0m, contracted: 0m).Tag("team", "nlp"));
        var oct2 = new CostQuery
        {
            From = LineItem.Utc("2026-10-02T00:00:00Z"),
            To = LineItem.Utc("2026-10-03T00:00:00Z"),
            Where = [new Filter(new ColumnDimension("ServiceName"), FilterOperator.Equal, ["Amazon EC2"])],
            By = [new TagDimension("team")],
            Grain = TimeGrain.Month,
        };

        Store.QueryBilledCostRows(oct2).Select(r => (Describe(r.Tags), r.Amount))
            .ShouldBe([("owner=ada,team=nlp", 2m), ("owner=ada,team=vision", 16m), ("team=nlp", 0m)], ignoreOrder: true);
        Store.QueryBilledCostRows(oct2 with { Cost = CostMetric.Billed }).Select(r => (Describe(r.Tags), r.Amount))
            .ShouldBe([("owner=ada,team=nlp", 2m), ("owner=ada,team=vision", 16m), ("team=nlp", 32m)], ignoreOrder: true);
        // Tag conditions are the tag policy's to read (over these rows' tags), never the store's.
        Should.Throw<ArgumentException>(() => Store.QueryBilledCostRows(oct2 with { Where = [.. oct2.Where, new Filter(new TagDimension("team"), FilterOperator.Equal, ["vision"])] }));
    }

    [Fact]
    public void QueryBilledCostRows_WithWorkloadFields_GroupsByAndCarriesTheColumnsTheCategoryRulesRead()
    {
        // Two SageMaker hours of one resource, one training and one hosting (same day, service, resource, tags), an
        // S3 hour without usage type, and an Azure meter with its own provider, resource type and description.
        Import(
            Hour("2026-10-01T00:00:00Z", "Amazon SageMaker", "ml-1", "111", 3m).Text("ServiceCategory", "AI and Machine Learning")
                .Text("SkuId", "SKU-T").Text("ResourceType", "Training job").Custom("x_UsageType", "USE1-Train:ml.p4d.24xlarge").Tag("team", "nlp"),
            Hour("2026-10-01T01:00:00Z", "Amazon SageMaker", "ml-1", "111", 2m).Text("ServiceCategory", "AI and Machine Learning")
                .Text("SkuId", "SKU-H").Text("ResourceType", "Endpoint").Custom("x_UsageType", "USE1-Host:ml.g5.xlarge").Tag("team", "nlp"),
            Hour("2026-10-01T02:00:00Z", "Amazon SageMaker", "ml-1", "111", 0.5m).Text("ServiceCategory", "AI and Machine Learning")
                .Text("SkuId", "SKU-H").Text("ResourceType", "Endpoint").Custom("x_UsageType", "USE1-Host:ml.g5.xlarge").Tag("team", "nlp"),
            Hour("2026-10-01T03:00:00Z", "Amazon S3", "b-1", "111", 1m).Text("ServiceCategory", "Storage").Text("SkuId", "S3-STD").Tag("team", "nlp"),
            Hour("2026-10-01T04:00:00Z", "Azure Machine Learning", "aml-1", "222", 4m).Text("ProviderName", "Microsoft")
                .Text("ResourceType", "Microsoft.MachineLearningServices/workspaces").Text("ChargeDescription", "Inference endpoint hours"));

        var plain = Store.QueryBilledCostRows(new CostQuery());
        var wide = Store.QueryBilledCostRows(new CostQuery(), workloadFields: true);

        // Without the fields, the two SageMaker usage types share one group and no row carries them.
        plain.ShouldAllBe(r => r.Workload == null);
        plain.Select(r => (r.ServiceName, r.Amount)).ShouldBe([("Amazon SageMaker", 5.5m), ("Amazon S3", 1m), ("Azure Machine Learning", 4m)], ignoreOrder: true);
        wide.Select(r => (r.ServiceName, r.Workload!.ProviderName, r.Workload.ServiceCategory, r.Workload.ResourceType, r.Workload.SkuId, r.Workload.UsageType, r.Workload.ChargeDescription, r.Amount)).ShouldBe(
        [
            ("Amazon SageMaker", "AWS", "AI and Machine Learning", "Training job", "SKU-T", "USE1-Train:ml.p4d.24xlarge", null, 3m),
            ("Amazon SageMaker", "AWS", "AI and Machine Learning", "Endpoint", "SKU-H", "USE1-Host:ml.g5.xlarge", null, 2.5m),
            ("Amazon S3", "AWS", "Storage", null, "S3-STD", null, null, 1m),
            ("Azure Machine Learning", "Microsoft", "Compute", "Microsoft.MachineLearningServices/workspaces", null, null, "Inference endpoint hours", 4m),
        ], ignoreOrder: true);
        // The same total either way: the wider groups only split the narrower ones.
        wide.Sum(r => r.Amount).ShouldBe(plain.Sum(r => r.Amount));
        wide.Select(r => Describe(r.Tags)).Distinct().ShouldBe(["team=nlp", ""], ignoreOrder: true);
    }

    [Fact]
    public void QueryBilledCostRows_WithWorkloadFields_ComesInTheSameOrderOnEveryStore()
    {
        Import(
            Hour("2026-10-01T00:00:00Z", "Amazon SageMaker", "ml-1", "111", 1m).Custom("x_UsageType", "USE1-Train:a"),
            Hour("2026-10-01T01:00:00Z", "Amazon SageMaker", "ml-1", "111", 2m).Custom("x_UsageType", "USE1-Host:b"),
            Hour("2026-10-01T02:00:00Z", "Amazon SageMaker", "ml-1", "111", 4m).Text("SkuId", "Z"),
            Hour("2026-10-01T03:00:00Z", "Amazon SageMaker", "ml-1", "111", 8m).Text("SkuId", "A"));

        // Rows ordered by their columns, the workload fields last, NULLs last: the order the allocation rules see.
        Store.QueryBilledCostRows(new CostQuery(), workloadFields: true).Select(r => r.Amount).ShouldBe([8m, 4m, 2m, 1m]);
    }

    [Fact]
    public void QueryBilledCostRows_CarriesTheProvidersAllocationColumns()
    {
        Import(
            Item(6m).Tag("team", "platform").Text("AllocatedMethodId", "gpu-hours").Text("AllocatedResourceId", "job-1").AllocatedTag("run", "r1").AllocatedTag("team", "nlp"),
            Item(4m).Tag("team", "platform").Text("AllocatedMethodId", "gpu-hours").Text("AllocatedResourceId", "job-2"),
            Item(1m).Tag("team", "platform"));

        var rows = Store.QueryBilledCostRows(new CostQuery());

        rows.Select(r => (r.AllocatedMethodId, r.AllocatedResourceId, Describe(r.AllocatedTags), Describe(r.Tags), r.Amount)).ShouldBe(
        [
            ("gpu-hours", "job-1", "run=r1,team=nlp", "team=platform", 6m),
            ("gpu-hours", "job-2", "null", "team=platform", 4m),
            (null, null, "null", "team=platform", 1m),
        ], ignoreOrder: true);
        rows.Count(r => r.IsProviderAllocated).ShouldBe(2);
    }

    /// <summary>
    /// <code>
    /// day    service  resource account  tags              cost
    /// 10-01  EC2      i-1      111      team=nlp owner=ada  10 USD
    /// 10-01  S3       b-1      111      team=nlp owner=ada   5 USD  (Storage)
    /// 10-02  EC2      i-2      222      team=nlp owner=ada   2 USD
    /// 10-02  EC2      i-3      222      (none)               4 USD
    /// 10-01  EC2      i-1      111      team=vision          3 EUR
    /// </code>
    /// </summary>
    private void ImportTaggedCosts() => Import(
        Hour("2026-10-01T00:00:00Z", "Amazon EC2", "i-1", "111", 10m).Tag("team", "nlp").Tag("owner", "ada"),
        Hour("2026-10-01T01:00:00Z", "Amazon S3", "b-1", "111", 5m).Tag("team", "nlp").Tag("owner", "ada").Text("ServiceCategory", "Storage"),
        Hour("2026-10-02T00:00:00Z", "Amazon EC2", "i-2", "222", 2m).Tag("team", "nlp").Tag("owner", "ada"),
        Hour("2026-10-02T01:00:00Z", "Amazon EC2", "i-3", "222", 4m),
        Hour("2026-10-01T02:00:00Z", "Amazon EC2", "i-1", "111", 3m).Tag("team", "vision").Text("BillingCurrency", "EUR"));

    private List<(string Tags, string? Account, string? Resource, string Currency, decimal Cost)> TaggedCosts(CostQuery query, bool byAccount, bool byResource) =>
        Store.QueryTaggedCosts(query, byAccount, byResource).Select(r => (Describe(r.Tags), r.SubAccountId, r.ResourceId, r.Currency, r.Cost)).ToList();

    [Fact]
    public void QueryTaggedCosts_GroupsByRawTagSet_LeavingAccountAndResourceOut_UnlessAsked()
    {
        ImportTaggedCosts();

        var rows = Store.QueryTaggedCosts(new CostQuery(), byAccount: false, byResource: false);

        // 10 + 5 + 2 under nlp/ada; the untagged 4; the EUR apart.
        rows.Select(r => (Describe(r.Tags), r.SubAccountId, r.ResourceId, r.Currency, r.Cost)).ShouldBe(
            [("owner=ada,team=nlp", null, null, "USD", 17m), ("", null, null, "USD", 4m), ("team=vision", null, null, "EUR", 3m)], ignoreOrder: true);
        rows.ShouldAllBe(r => r.Period == null && r.Values.Count == 0);
    }

    [Fact]
    public void QueryTaggedCosts_ByAccount()
    {
        ImportTaggedCosts();

        TaggedCosts(new CostQuery(), byAccount: true, byResource: false).ShouldBe(
        [
            ("owner=ada,team=nlp", "111", null, "USD", 15m), ("owner=ada,team=nlp", "222", null, "USD", 2m),
            ("", "222", null, "USD", 4m), ("team=vision", "111", null, "EUR", 3m),
        ], ignoreOrder: true);
    }

    [Fact]
    public void QueryTaggedCosts_ByResource_AndByBoth()
    {
        ImportTaggedCosts();

        TaggedCosts(new CostQuery(), byAccount: false, byResource: true).ShouldBe(
        [
            ("owner=ada,team=nlp", null, "i-1", "USD", 10m), ("owner=ada,team=nlp", null, "b-1", "USD", 5m), ("owner=ada,team=nlp", null, "i-2", "USD", 2m),
            ("", null, "i-3", "USD", 4m), ("team=vision", null, "i-1", "EUR", 3m),
        ], ignoreOrder: true);
        TaggedCosts(new CostQuery(), byAccount: true, byResource: true).ShouldBe(
        [
            ("owner=ada,team=nlp", "111", "i-1", "USD", 10m), ("owner=ada,team=nlp", "111", "b-1", "USD", 5m), ("owner=ada,team=nlp", "222", "i-2", "USD", 2m),
            ("", "222", "i-3", "USD", 4m), ("team=vision", "111", "i-1", "EUR", 3m),
        ], ignoreOrder: true);
    }

    [Fact]
    public void QueryTaggedCosts_ByColumnsAndGrain_WithinThePeriod_RowsOfOneTagSetShareOneMap()
    {
        ImportTaggedCosts();

        var rows = Store.QueryTaggedCosts(new CostQuery { By = [new ColumnDimension("ServiceCategory")], Grain = TimeGrain.Day }, byAccount: false, byResource: false);

        rows.Select(r => (r.Period, string.Join('|', r.Values), Describe(r.Tags), r.Currency, r.Cost)).ShouldBe(
        [
            (LineItem.Utc("2026-10-01T00:00:00Z"), "Compute", "owner=ada,team=nlp", "USD", 10m),
            (LineItem.Utc("2026-10-01T00:00:00Z"), "Storage", "owner=ada,team=nlp", "USD", 5m),
            (LineItem.Utc("2026-10-02T00:00:00Z"), "Compute", "owner=ada,team=nlp", "USD", 2m),
            (LineItem.Utc("2026-10-02T00:00:00Z"), "Compute", "", "USD", 4m),
            (LineItem.Utc("2026-10-01T00:00:00Z"), "Compute", "team=vision", "EUR", 3m),
        ], ignoreOrder: true);
        rows.ShouldAllBe(r => r.Period!.Value.Kind == DateTimeKind.Utc);
        var nlp = rows.Where(r => Describe(r.Tags) == "owner=ada,team=nlp").Select(r => r.Tags).ToList();
        nlp.ShouldAllBe(t => ReferenceEquals(t, nlp[0]));

        var fromOct2 = new CostQuery { From = LineItem.Utc("2026-10-02T00:00:00Z"), Where = [new Filter(new ColumnDimension("ResourceId"), FilterOperator.NotEqual, ["i-3"])] };
        TaggedCosts(fromOct2, byAccount: false, byResource: false).ShouldBe([("owner=ada,team=nlp", null, null, "USD", 2m)]);
    }

    [Fact]
    public void QueryTaggedCosts_RefusesTagDimensions_WhichTheCallerResolves()
    {
        ImportTaggedCosts();

        Should.Throw<ArgumentException>(() => Store.QueryTaggedCosts(new CostQuery { By = [new TagDimension("team")] }, byAccount: false, byResource: false));
        Should.Throw<ArgumentException>(() => Store.QueryTaggedCosts(
            new CostQuery { Where = [new Filter(new TagDimension("team"), FilterOperator.Equal, ["nlp"])] }, byAccount: false, byResource: false));
    }
}
