using DuckDB.NET.Data;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;
using ModelMeter.Import.Focus;
using ModelMeter.Store.DuckDb;
using ModelMeter.Tests.Support;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>The embedded store against a real DuckDB file in a temporary folder, filled through the FOCUS importer.</summary>
public sealed class DuckDbCostStoreTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);
    private static readonly DateTime October = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Now));
    private readonly DuckDbCostStore _store;
    private int _files;

    public DuckDbCostStoreTests() => _store = DuckDbCostStore.Open(StorePath, _clock);

    private string StorePath => _temp.File("meter.duckdb");

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    private ImportRecord Import(FocusCsv csv, DuckDbCostStore? store = null)
    {
        var path = csv.WriteTo(_temp.File($"focus-{++_files}.csv"));
        var inputs = FocusImporter.Inspect([path]);
        using var session = (store ?? _store).BeginLineItemImport("focus");
        var report = FocusImporter.Read(inputs, session, skipBadRows: false);
        report.ProblemCount.ShouldBe(0);
        return session.Commit(Files(report), report.BilledTotals);
    }

    private static List<ImportedFile> Files(FocusImportReport report) =>
        report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList();

    /// <summary>The query as <c>report</c> runs it with no configuration: tags read through the default tag policy.</summary>
    private IReadOnlyList<CostRow> Query(string? by = null, string[]? where = null, TimeGrain? grain = null, CostMetric cost = CostMetric.Effective) =>
        _store.QueryCosts(new CostQuery
        {
            By = ReportArguments.ParseBy(by),
            Where = (where ?? []).Select(ReportArguments.ParseFilter).ToList(),
            Grain = grain,
            Cost = cost,
        }, TagPolicy.Default).OrderBy(r => r.Period).ThenBy(r => string.Join('\u0001', r.Values), StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal).ToList();

    /// <summary>Group value → cost, for single-dimension, single-currency queries.</summary>
    private Dictionary<string, decimal> CostsBy(string by, params string[] where) =>
        Query(by, where).ToDictionary(r => r.Values[0], r => r.Cost);

    private List<string> Snapshot() => Query("tag:team,ServiceCategory").Select(r => $"{string.Join('|', r.Values)}|{r.Currency}|{r.Cost}").ToList();

    private decimal Total(params string[] where) => Query(where: where).Sum(r => r.Cost);

    private static FocusCsv TeamsCsv() => new FocusCsv().WithColumn("x_Operation")
        .Row(("EffectiveCost", "10.25"), ("Tags", "{\"team\":\"nlp\",\"owner\":\"ada\"}"), ("ServiceCategory", "Compute"), ("x_Operation", "RunInstances"))
        .Row(("EffectiveCost", "4.75"), ("Tags", "{\"team\":\"nlp\"}"), ("ServiceCategory", "Storage"))
        .Row(("EffectiveCost", "20"), ("Tags", "{\"team\":\"vision\",\"owner\":\"grace\"}"), ("ServiceCategory", "Compute"))
        .Row(("EffectiveCost", "7"), ("Tags", ""), ("ServiceCategory", "Networking"))
        .Row(("EffectiveCost", "3"), ("Tags", "{\"env\":\"dev\"}"), ("ServiceCategory", "Compute"));

    [Fact]
    public void ImportThenQuery_GroupsByTag_ShowingUntaggedCost()
    {
        Import(TeamsCsv());

        CostsBy("tag:team").ShouldBe(new Dictionary<string, decimal> { ["nlp"] = 15m, ["vision"] = 20m, [MissingValue.Untagged] = 10m }, ignoreOrder: true);
    }

    [Fact]
    public void ImportThenQuery_GroupsByColumnsAndTagsTogether()
    {
        Import(TeamsCsv());

        var rows = Query("tag:team,ServiceCategory");

        rows.ShouldContain(r => r.Values.SequenceEqual(new[] { "nlp", "Storage" }) && r.Cost == 4.75m);
        rows.ShouldContain(r => r.Values.SequenceEqual(new[] { MissingValue.Untagged, "Compute" }) && r.Cost == 3m);
        rows.Sum(r => r.Cost).ShouldBe(45m);
    }

    [Fact]
    public void Import_StoresMoneyExactly_ToTheLastDigit()
    {
        Import(new FocusCsv()
            .Row(("BilledCost", "0.000000000000000001"), ("EffectiveCost", "0.1"))
            .Row(("BilledCost", "12345678901.123456789"), ("EffectiveCost", "0.2")));

        Total().ShouldBe(0.3m);
        Query(cost: CostMetric.Billed).Single().Cost.ShouldBe(12345678901.123456789000000001m);
    }

    [Fact]
    public void Import_RecordsProvenance_WithTheInjectedClock()
    {
        var record = Import(TeamsCsv());

        var listed = _store.ListImports().Single();
        listed.ImportId.ShouldBe(record.ImportId);
        listed.Kind.ShouldBe("focus");
        listed.ImportedAt.ShouldBe(Now);
        listed.Rows.ShouldBe(5);
        listed.ReplacedRows.ShouldBe(0);
        listed.BillingPeriods.ShouldBe(["2026-10-01..2026-11-01"]);
        listed.BilledTotals.ShouldBe(new Dictionary<string, decimal> { ["USD"] = 5m });
        listed.Files.Single().Path.ShouldEndWith("focus-1.csv");
        listed.Files.Single().Rows.ShouldBe(5);
        listed.SupersededBy.ShouldBeNull();
        _store.FindImportByContentHash(listed.Files.Single().Sha256)!.ImportId.ShouldBe(record.ImportId);
        _store.FindImportByContentHash(new string('0', 64)).ShouldBeNull();
    }

    [Fact]
    public void Reimport_OfTheSameProviderAccountAndPeriod_ReplacesTheEarlierRows()
    {
        var first = Import(new FocusCsv().Row(("EffectiveCost", "1"), ("BilledCost", "1")).Row(("EffectiveCost", "2"), ("BilledCost", "2")));
        _clock.Advance(TimeSpan.FromHours(1));

        var second = Import(new FocusCsv().Row(("EffectiveCost", "5"), ("BilledCost", "5")));

        Total().ShouldBe(5m);
        second.ReplacedRows.ShouldBe(2);
        var imports = _store.ListImports();
        imports.Single(i => i.ImportId == first.ImportId).SupersededBy.ShouldBe(second.ImportId);
        imports.Single(i => i.ImportId == second.ImportId).SupersededBy.ShouldBeNull();
        _store.FindImportByContentHash(imports.Single(i => i.ImportId == first.ImportId).Files.Single().Sha256).ShouldBeNull();
    }

    [Fact]
    public void Reimport_OnlyReplacesTheRestatedPeriod_OfThatAccount()
    {
        Import(new FocusCsv()
            .Row(("EffectiveCost", "1"), ("BillingAccountId", "a1"))
            .Row(("EffectiveCost", "10"), ("BillingAccountId", "a2"))
            .Row(("EffectiveCost", "100"), ("BillingAccountId", "a1"), ("BillingPeriodStart", "2026-09-01T00:00:00Z"), ("BillingPeriodEnd", "2026-10-01T00:00:00Z")));

        var restated = Import(new FocusCsv().Row(("EffectiveCost", "3"), ("BillingAccountId", "a1")));

        restated.ReplacedRows.ShouldBe(1);
        Total().ShouldBe(113m);
    }

    [Fact]
    public void Import_OfADifferentPeriod_AddsToTheStore()
    {
        var first = Import(new FocusCsv().Row(("EffectiveCost", "1")));

        var november = Import(new FocusCsv().Row(("EffectiveCost", "2"), ("BillingPeriodStart", "2026-11-01T00:00:00Z"), ("BillingPeriodEnd", "2026-12-01T00:00:00Z"),
            ("ChargePeriodStart", "2026-11-01T00:00:00Z"), ("ChargePeriodEnd", "2026-11-02T00:00:00Z")));

        Total().ShouldBe(3m);
        november.ReplacedRows.ShouldBe(0);
        _store.ListImports().ShouldAllBe(i => i.SupersededBy == null);
        _store.ChargeRange().ShouldBe((October, new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc)));
        first.ImportId.ShouldBeLessThan(november.ImportId);
    }

    [Fact]
    public void Import_OfAnotherProvider_ForTheSameAccountAndPeriod_AddsToTheStore()
    {
        Import(new FocusCsv().Row(("EffectiveCost", "1"), ("ProviderName", "AWS")));

        Import(new FocusCsv().Row(("EffectiveCost", "2"), ("ProviderName", "Azure")));

        CostsBy("ProviderName").ShouldBe(new Dictionary<string, decimal> { ["AWS"] = 1m, ["Azure"] = 2m }, ignoreOrder: true);
    }

    [Fact]
    public void Import_Focus14File_ReplacesByServiceProviderName()
    {
        var columns = FocusCsv.Focus10Columns.Except(["ProviderName", "PublisherName"]).Concat(["ServiceProviderName", "HostProviderName"]).ToArray();
        Import(new FocusCsv(columns).Row(("EffectiveCost", "1"), ("ServiceProviderName", "Nebius")));

        Import(new FocusCsv(columns).Row(("EffectiveCost", "4"), ("ServiceProviderName", "Nebius")));

        CostsBy("ProviderName").ShouldBe(new Dictionary<string, decimal> { ["Nebius"] = 4m }, ignoreOrder: true);
    }

    [Fact]
    public void Import_Focus13File_AllocatedColumnsCanBeReportedOn()
    {
        var columns = FocusCsv.Focus10Columns.Concat(["ServiceProviderName", "HostProviderName", "AllocatedMethodId", "AllocatedResourceId", "AllocatedTags"]);
        Import(new FocusCsv(columns)
            .Row(("EffectiveCost", "6"), ("ServiceProviderName", "CoreWeave"), ("AllocatedMethodId", "gpu-hours"), ("AllocatedResourceId", "job-1"), ("AllocatedTags", "{\"run\":\"r1\"}"))
            .Row(("EffectiveCost", "4"), ("ServiceProviderName", "CoreWeave"), ("AllocatedMethodId", "gpu-hours"), ("AllocatedResourceId", "job-2")));

        var rows = Query("ServiceProviderName,AllocatedMethodId,AllocatedResourceId");

        rows.Select(r => (string.Join('/', r.Values), r.Cost)).ShouldBe([("CoreWeave/gpu-hours/job-1", 6m), ("CoreWeave/gpu-hours/job-2", 4m)], ignoreOrder: true);
    }

    [Fact]
    public void RolledBackSession_LeavesTheStoreUnchanged()
    {
        Import(TeamsCsv());
        var before = Snapshot();
        var importsBefore = _store.ListImports();

        using (var session = _store.BeginLineItemImport("focus"))
        {
            var path = new FocusCsv().Rows(3, ("EffectiveCost", "1000")).WriteTo(_temp.File("never.csv"));
            FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false).RowsValid.ShouldBe(3);
        }

        Snapshot().ShouldBe(before);
        _store.ListImports().Count.ShouldBe(importsBefore.Count);
        _store.Dispose();
        using var reopened = DuckDbCostStore.Open(StorePath, _clock);
        reopened.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(45m);
        reopened.ListImports().Count.ShouldBe(1);
    }

    [Fact]
    public void ImportIds_HaveNoGap_AfterARolledBackImport()
    {
        Import(TeamsCsv()).ImportId.ShouldBe(1);
        using (var session = _store.BeginLineItemImport("focus"))
        {
            session.ImportId.ShouldBe(2);
        }

        Import(new FocusCsv().Row(("BillingAccountId", "other"))).ImportId.ShouldBe(2);
    }

    [Fact]
    public void Commit_WhenStoredTotalsDifferFromTheFiles_WritesNothing()
    {
        Import(TeamsCsv());
        var path = new FocusCsv().Row(("BilledCost", "2")).WriteTo(_temp.File("x.csv"));

        using (var session = _store.BeginLineItemImport("focus"))
        {
            var report = FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false);
            Should.Throw<InvalidOperationException>(() => session.Commit(Files(report), new Dictionary<string, decimal> { ["USD"] = 3m }))
                .Message.ShouldContain("nothing was written");
        }

        Total().ShouldBe(45m);
        _store.ListImports().Count.ShouldBe(1);
    }

    [Fact]
    public void MultiCurrency_TotalsAreKeptApart()
    {
        Import(new FocusCsv()
            .Row(("EffectiveCost", "10"), ("BillingCurrency", "USD"))
            .Row(("EffectiveCost", "7"), ("BillingCurrency", "EUR"))
            .Row(("EffectiveCost", "1000"), ("BillingCurrency", "JPY"), ("BillingAccountId", "jp")));

        var rows = Query();

        rows.Select(r => (r.Currency, r.Cost)).OrderBy(r => r.Currency, StringComparer.Ordinal).ShouldBe([("EUR", 7m), ("JPY", 1000m), ("USD", 10m)]);
        Query("tag:team").Count.ShouldBe(3);
    }

    [Fact]
    public void Credits_AreStoredNegative_AndReduceTheTotal()
    {
        Import(new FocusCsv()
            .Row(("EffectiveCost", "100"), ("BilledCost", "100"))
            .Row(("EffectiveCost", "-25.50"), ("BilledCost", "-25.50"), ("ChargeCategory", "Credit")));

        CostsBy("ChargeCategory").ShouldBe(new Dictionary<string, decimal> { ["Usage"] = 100m, ["Credit"] = -25.50m }, ignoreOrder: true);
        Total().ShouldBe(74.50m);
    }

    [Fact]
    public void Filter_Equal_OnHierarchyTag()
    {
        Import(TeamsCsv());

        Total("tag:team=nlp").ShouldBe(15m);
    }

    [Fact]
    public void Filter_NotEqual_KeepsUntaggedCost()
    {
        Import(TeamsCsv());

        Total("tag:team!=nlp").ShouldBe(30m);
    }

    [Fact]
    public void Filter_In_And_NotIn_OnColumns()
    {
        Import(TeamsCsv());

        Total("ServiceCategory in (Storage, Networking)").ShouldBe(11.75m);
        Total("ServiceCategory not in (Storage, Networking)").ShouldBe(33.25m);
    }

    [Fact]
    public void Filter_Untagged_SelectsCostWithoutTheTag()
    {
        Import(TeamsCsv());

        Total("tag:team=(untagged)").ShouldBe(10m);
        CostsBy("ServiceCategory", "tag:team=(untagged)").ShouldBe(new Dictionary<string, decimal> { ["Networking"] = 7m, ["Compute"] = 3m }, ignoreOrder: true);
    }

    [Fact]
    public void NonHierarchyTagKey_IsReadFromTheTagMap()
    {
        Import(TeamsCsv());

        CostsBy("tag:owner").ShouldBe(new Dictionary<string, decimal> { ["ada"] = 10.25m, ["grace"] = 20m, [MissingValue.Untagged] = 14.75m }, ignoreOrder: true);
        Total("tag:owner in (ada, grace)").ShouldBe(30.25m);
    }

    [Fact]
    public void HierarchyTag_FoundUnderAnAlias_IsGroupedUnderItsHierarchyKey()
    {
        Import(TeamsCsv());

        CostsBy("tag:environment").ShouldBe(new Dictionary<string, decimal> { ["dev"] = 3m, [MissingValue.Untagged] = 42m }, ignoreOrder: true);
        CostsBy("tag:Environment")["dev"].ShouldBe(3m);
    }

    [Fact]
    public void CustomXColumn_CanBeGroupedBy()
    {
        Import(TeamsCsv());

        CostsBy("x_Operation").ShouldBe(new Dictionary<string, decimal> { ["RunInstances"] = 10.25m, [MissingValue.None] = 34.75m }, ignoreOrder: true);
    }

    [Fact]
    public void MissingColumnValue_IsShownAsNone()
    {
        Import(new FocusCsv().Row(("RegionId", "")).Row(("RegionId", "us-east-1")));

        CostsBy("RegionId").Keys.ShouldBe([MissingValue.None, "us-east-1"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("NoSuchColumn")]
    [InlineData("BilledCost")]
    [InlineData("ChargePeriodStart")]
    [InlineData("Tags")]
    public void Query_ByAColumnThatCannotBeGrouped_IsBadInput(string column) =>
        Should.Throw<UserInputException>(() => Query(column)).Message.ShouldContain(column);

    [Fact]
    public void Query_FilterValues_AreParameters_NotSql()
    {
        Import(TeamsCsv());

        Total("tag:team='; DROP TABLE line_items; --").ShouldBe(0m);
        Total("tag:o'wner=x").ShouldBe(0m);
        Total().ShouldBe(45m);
    }

    [Fact]
    public void Query_Period_IsHalfOpenOnChargePeriodStart()
    {
        Import(new FocusCsv()
            .Row(("EffectiveCost", "1"), ("ChargePeriodStart", "2026-10-01T00:00:00Z"), ("ChargePeriodEnd", "2026-10-02T00:00:00Z"))
            .Row(("EffectiveCost", "2"), ("ChargePeriodStart", "2026-10-02T00:00:00Z"), ("ChargePeriodEnd", "2026-10-03T00:00:00Z"))
            .Row(("EffectiveCost", "4"), ("ChargePeriodStart", "2026-10-03T00:00:00Z"), ("ChargePeriodEnd", "2026-10-04T00:00:00Z")));

        var rows = _store.QueryCosts(new CostQuery { From = October.AddDays(1), To = October.AddDays(2) });

        rows.Single().Cost.ShouldBe(2m);
    }

    [Fact]
    public void Query_Cost_PicksTheCostColumn()
    {
        Import(new FocusCsv().Row(("BilledCost", "3"), ("EffectiveCost", "2"), ("ListCost", "5"), ("ContractedCost", "4")));

        Query(cost: CostMetric.Billed).Single().Cost.ShouldBe(3m);
        Query(cost: CostMetric.Effective).Single().Cost.ShouldBe(2m);
        Query(cost: CostMetric.List).Single().Cost.ShouldBe(5m);
        Query(cost: CostMetric.Contracted).Single().Cost.ShouldBe(4m);
    }

    public static TheoryData<TimeGrain, DateTime[], decimal[]> Grains => new()
    {
        // 2026-10-01 is a Thursday: weeks start on Monday (ISO) and are cut at the first of a month, so 10-01 (not 09-28),
        // 10-05, 10-26 and, for Sunday 1 November, 11-01.
        { TimeGrain.Day, [October, October.AddDays(5), October.AddDays(30), October.AddDays(31)], [1m, 2m, 4m, 8m] },
        { TimeGrain.Week, [October, new(2026, 10, 5, 0, 0, 0, DateTimeKind.Utc), new(2026, 10, 26, 0, 0, 0, DateTimeKind.Utc), October.AddMonths(1)], [1m, 2m, 4m, 8m] },
        { TimeGrain.Month, [October, October.AddMonths(1)], [7m, 8m] },
    };

    [Theory]
    [MemberData(nameof(Grains))]
    public void Query_Grain_BucketsByChargePeriodStart(TimeGrain grain, DateTime[] periods, decimal[] costs)
    {
        Import(new FocusCsv()
            .Row(("EffectiveCost", "1"), ("ChargePeriodStart", "2026-10-01T05:00:00Z"), ("ChargePeriodEnd", "2026-10-01T06:00:00Z"))
            .Row(("EffectiveCost", "2"), ("ChargePeriodStart", "2026-10-06T23:00:00Z"), ("ChargePeriodEnd", "2026-10-07T00:00:00Z"))
            .Row(("EffectiveCost", "4"), ("ChargePeriodStart", "2026-10-31T23:00:00Z"), ("ChargePeriodEnd", "2026-11-01T00:00:00Z"))
            .Row(("EffectiveCost", "8"), ("ChargePeriodStart", "2026-11-01T00:00:00Z"), ("ChargePeriodEnd", "2026-11-01T01:00:00Z"),
                 ("BillingPeriodStart", "2026-11-01T00:00:00Z"), ("BillingPeriodEnd", "2026-12-01T00:00:00Z")));

        var rows = Query(grain: grain);

        rows.Select(r => r.Period).ShouldBe(periods.Select(p => (DateTime?)p));
        rows.Select(r => r.Cost).ShouldBe(costs);
        rows.ShouldAllBe(r => r.Period!.Value.Kind == DateTimeKind.Utc);
    }

    [Fact]
    public void Open_RecordsTheSchemaVersion_Once()
    {
        _store.Dispose();
        using (DuckDbCostStore.Open(StorePath, _clock))
        {
            // Opening again must not apply the migrations again.
        }

        using var connection = new DuckDBConnection($"DataSource={StorePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, applied_at FROM schema_version ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
            reader.GetDateTime(1).ShouldBe(Now);
        }

        // Each migration is recorded exactly once, in order, with no gaps.
        versions.ShouldNotBeEmpty();
        versions.ShouldBe(Enumerable.Range(1, versions.Count));
    }

    [Fact]
    public void Open_RefusesAStoreNewerThanThisProgram()
    {
        _store.Dispose();
        using (var connection = new DuckDBConnection($"DataSource={StorePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version VALUES (99, now())";
            command.ExecuteNonQuery();
        }

        Should.Throw<UserInputException>(() => DuckDbCostStore.Open(StorePath, _clock)).Message.ShouldContain("schema version 99");
    }

    [Fact]
    public void Store_PersistsAcrossOpens()
    {
        Import(TeamsCsv());
        _store.Dispose();

        using var reopened = DuckDbCostStore.Open(StorePath, _clock);

        reopened.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(45m);
        reopened.ListImports().Single().Rows.ShouldBe(5);
    }

    [Fact]
    public void EmptyStore_HasNoChargeRange_AndNoImports()
    {
        _store.ChargeRange().ShouldBeNull();
        _store.ListImports().ShouldBeEmpty();
        _store.QueryCosts(new CostQuery { By = [new TagDimension("team")] }, TagPolicy.Default).ShouldBeEmpty();
    }
}
