using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Reporting;
using ModelMeter.Import.Focus;
using ModelMeter.Store.DuckDb;
using ModelMeter.Tests.Support;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>
/// What the store contract (<see cref="DuckDbCostStoreContractTests"/>) cannot see: the DuckDB file across opens, its
/// import numbering, and FOCUS files going through the importer into it.
/// </summary>
public sealed class DuckDbCostStoreTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);

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

    private ImportRecord Import(FocusCsv csv)
    {
        var path = csv.WriteTo(_temp.File($"focus-{++_files}.csv"));
        using var session = _store.BeginLineItemImport(ImportKind.Focus);
        var report = FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false);
        report.ProblemCount.ShouldBe(0);
        return session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList(), report.BilledTotals);
    }

    private Dictionary<string, decimal> CostsBy(string by) =>
        _store.QueryCosts(new CostQuery { By = ReportArguments.ParseBy(by) }, TagPolicy.Default).ToDictionary(r => r.Values[0], r => r.Cost);

    private static FocusCsv TeamsCsv() => new FocusCsv().WithColumn("x_Operation")
        .Row(("EffectiveCost", "10.25"), ("Tags", "{\"team\":\"nlp\",\"owner\":\"ada\"}"), ("ServiceCategory", "Compute"), ("x_Operation", "RunInstances"))
        .Row(("EffectiveCost", "4.75"), ("Tags", "{\"team\":\"nlp\"}"), ("ServiceCategory", "Storage"))
        .Row(("EffectiveCost", "20"), ("Tags", "{\"team\":\"vision\",\"owner\":\"grace\"}"), ("ServiceCategory", "Compute"))
        .Row(("EffectiveCost", "7"), ("Tags", ""), ("ServiceCategory", "Networking"))
        .Row(("EffectiveCost", "3"), ("Tags", "{\"env\":\"dev\"}"), ("ServiceCategory", "Compute"));

    [Fact]
    public void FocusFile_ThroughTheImporter_IsReportedByHierarchyTag_OtherTag_AndCustomColumn()
    {
        Import(TeamsCsv());

        CostsBy("tag:team").ShouldBe(new Dictionary<string, decimal> { ["nlp"] = 15m, ["vision"] = 20m, [MissingValue.Untagged] = 10m }, ignoreOrder: true);
        CostsBy("tag:environment").ShouldBe(new Dictionary<string, decimal> { ["dev"] = 3m, [MissingValue.Untagged] = 42m }, ignoreOrder: true);
        CostsBy("tag:owner").ShouldBe(new Dictionary<string, decimal> { ["ada"] = 10.25m, ["grace"] = 20m, [MissingValue.Untagged] = 14.75m }, ignoreOrder: true);
        CostsBy("x_Operation").ShouldBe(new Dictionary<string, decimal> { ["RunInstances"] = 10.25m, [MissingValue.None] = 34.75m }, ignoreOrder: true);
    }

    [Fact]
    public void FocusFile_MoneyIsStoredExactly_ToTheLastDigitOfTheText()
    {
        Import(new FocusCsv()
            .Row(("BilledCost", "0.000000000000000001"), ("EffectiveCost", "0.1"))
            .Row(("BilledCost", "12345678901.123456789"), ("EffectiveCost", "0.2")));

        _store.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(0.3m);
        _store.QueryCosts(new CostQuery { Cost = CostMetric.Billed }).Single().Cost.ShouldBe(12345678901.123456789000000001m);
    }

    [Fact]
    public void Focus14File_IsReplacedByServiceProviderName()
    {
        var columns = FocusCsv.Focus10Columns.Except(["ProviderName", "PublisherName"]).Concat(["ServiceProviderName", "HostProviderName"]).ToArray();
        Import(new FocusCsv(columns).Row(("EffectiveCost", "1"), ("ServiceProviderName", "Nebius")));

        Import(new FocusCsv(columns).Row(("EffectiveCost", "4"), ("ServiceProviderName", "Nebius")));

        CostsBy("ProviderName").ShouldBe(new Dictionary<string, decimal> { ["Nebius"] = 4m }, ignoreOrder: true);
    }

    [Fact]
    public void Focus13File_AllocatedColumnsCanBeReportedOn()
    {
        var columns = FocusCsv.Focus10Columns.Concat(["ServiceProviderName", "HostProviderName", "AllocatedMethodId", "AllocatedResourceId", "AllocatedTags"]);
        Import(new FocusCsv(columns)
            .Row(("EffectiveCost", "6"), ("ServiceProviderName", "CoreWeave"), ("AllocatedMethodId", "gpu-hours"), ("AllocatedResourceId", "job-1"), ("AllocatedTags", "{\"run\":\"r1\"}"))
            .Row(("EffectiveCost", "4"), ("ServiceProviderName", "CoreWeave"), ("AllocatedMethodId", "gpu-hours"), ("AllocatedResourceId", "job-2")));

        var rows = _store.QueryCosts(new CostQuery { By = ReportArguments.ParseBy("ServiceProviderName,AllocatedMethodId,AllocatedResourceId") });

        rows.Select(r => (string.Join('/', r.Values), r.Cost)).ShouldBe([("CoreWeave/gpu-hours/job-1", 6m), ("CoreWeave/gpu-hours/job-2", 4m)], ignoreOrder: true);
        _store.QueryBilledCostRows(new CostQuery()).Single(r => r.AllocatedResourceId == "job-1").AllocatedTags.ShouldBe(new Dictionary<string, string?> { ["run"] = "r1" });
    }

    [Fact]
    public void RolledBackImport_IsNotInTheFile_AfterReopening()
    {
        Import(TeamsCsv());
        using (var session = _store.BeginLineItemImport(ImportKind.Focus))
        {
            var path = new FocusCsv().Rows(3, ("EffectiveCost", "1000")).WriteTo(_temp.File("never.csv"));
            FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false).RowsValid.ShouldBe(3);
        }

        _store.Dispose();
        using var reopened = DuckDbCostStore.Open(StorePath, _clock);

        reopened.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(45m);
        reopened.ListImports().Count.ShouldBe(1);
    }

    [Fact]
    public void ImportIds_HaveNoGap_AfterARolledBackImport()
    {
        Import(TeamsCsv()).ImportId.ShouldBe(1);
        using (var session = _store.BeginLineItemImport(ImportKind.Focus))
        {
            session.ImportId.ShouldBe(2);
        }

        Import(new FocusCsv().Row(("BillingAccountId", "other"))).ImportId.ShouldBe(2);
    }

    [Fact]
    public void Store_PersistsAcrossOpens()
    {
        Import(TeamsCsv());
        _store.Dispose();

        using var reopened = DuckDbCostStore.Open(StorePath, _clock);

        reopened.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(45m);
        var import = reopened.ListImports().Single();
        import.Rows.ShouldBe(5);
        import.Kind.ShouldBe(ImportKind.Focus);
        import.ImportedAt.ShouldBe(Now);
    }

    /// <summary>
    /// A process killed while DuckDB writes an import's commit can leave a write-ahead log from which DuckDB 1.5 brings
    /// back the import's bulk-written rows without its imports row (duckdb/duckdb#25931): reopened, the store must hold
    /// the imports before it, nothing more, whether it is opened to read or to write, and the next import must be exact.
    /// </summary>
    [Fact]
    public void RowsDescribedAlike_ShareOneDescriptor_AndEachRowReadsBackWithItsOwnDescription()
    {
        // Given hours of two resources, one seen again after the other, one differing only in a custom column, one
        // only in its tags, and one only in the value of that custom column (not next to the other, so only the hash
        // can tell them apart)
        var csv = new FocusCsv().WithColumn("x_Operation")
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "1"))
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "2"))
            .Row(("ResourceId", "gpu-2"), ("EffectiveCost", "3"))
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "4"))
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "5"), ("x_Operation", "Stop"))
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "6"), ("Tags", "{\"team\":\"vision\"}"))
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "7"), ("x_Operation", "Start"));

        // When they are imported
        Import(csv);

        // Then each distinct description is stored once, and every row has its own back
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.DescriptorsTable}").ShouldBe(["5"]);
        _store.Strings($"SELECT CAST(EffectiveCost::INTEGER AS VARCHAR) || ' ' || ResourceId || ' ' || CAST(x_Values AS VARCHAR) || ' ' || coalesce(tag_team, '-') FROM {LineItemsTable.Name} ORDER BY EffectiveCost")
            .ShouldBe(["1 gpu-1 [] nlp", "2 gpu-1 [] nlp", "3 gpu-2 [] nlp", "4 gpu-1 [] nlp", "5 gpu-1 [Stop] nlp", "6 gpu-1 [] vision", "7 gpu-1 [Start] nlp"]);
    }

    [Fact]
    public void RowsNearlyAllDescribedAnew_AreNoLongerLookedUp_AndEveryRowStillReadsBackWithItsOwnDescription()
    {
        // Given 10,000 rows with a resource of its own each (a window of lookups with no hits), then the first 5,000
        // resources again, none next to its first row
        var csv = new FocusCsv();
        for (var i = 0; i < 10_000; i++)
        {
            csv.Row(("ResourceId", $"r-{i}"), ("EffectiveCost", "1"));
        }

        for (var i = 0; i < 5_000; i++)
        {
            csv.Row(("ResourceId", $"r-{i}"), ("EffectiveCost", "2"));
        }

        // When they are imported
        Import(csv);

        // Then past the window each row got a description of its own without a lookup (the repeats too), and every
        // resource still reads back with its own hours
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.DescriptorsTable}").ShouldBe(["15000"]);
        _store.Strings($"SELECT CAST(count(DISTINCT ResourceId) AS VARCHAR) || ' ' || CAST(sum(EffectiveCost)::INTEGER AS VARCHAR) FROM {LineItemsTable.Name}").ShouldBe(["10000 20000"]);
        _store.Strings($"SELECT string_agg(CAST(EffectiveCost::INTEGER AS VARCHAR), ',' ORDER BY EffectiveCost) FROM {LineItemsTable.Name} WHERE ResourceId IN ('r-0', 'r-4999', 'r-5000', 'r-9999') GROUP BY ResourceId ORDER BY ResourceId")
            .ShouldBe(["1,2", "1,2", "1", "1"]);
    }

    [Fact]
    public void OneResourceInTwoContexts_GetsADescriptorInEach_AndEachRowReadsBackWithItsOwnContext()
    {
        // Given hours of one resource in two regions (the second region's hour not next to the first's, so only the
        // descriptor's hash, which includes its context, can tell them apart) and another resource in the first region
        var csv = new FocusCsv()
            .Row(("ResourceId", "gpu-1"), ("RegionId", "us-east-1"), ("EffectiveCost", "1"))
            .Row(("ResourceId", "gpu-2"), ("RegionId", "us-east-1"), ("EffectiveCost", "2"))
            .Row(("ResourceId", "gpu-1"), ("RegionId", "eu-west-1"), ("EffectiveCost", "3"))
            .Row(("ResourceId", "gpu-2"), ("RegionId", "us-east-1"), ("EffectiveCost", "4"))
            .Row(("ResourceId", "gpu-1"), ("RegionId", "us-east-1"), ("EffectiveCost", "5"));

        // When they are imported
        Import(csv);

        // Then there are two contexts (one a region), three descriptors, and every row has its own region back
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.ContextsTable}").ShouldBe(["2"]);
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.DescriptorsTable}").ShouldBe(["3"]);
        _store.Strings($"SELECT CAST(EffectiveCost::INTEGER AS VARCHAR) || ' ' || ResourceId || ' ' || RegionId FROM {LineItemsTable.Name} ORDER BY EffectiveCost")
            .ShouldBe(["1 gpu-1 us-east-1", "2 gpu-2 us-east-1", "3 gpu-1 eu-west-1", "4 gpu-2 us-east-1", "5 gpu-1 us-east-1"]);
    }

    [Fact]
    public void ARestatedBill_LeavesNoFactDescriptorOrContextOfTheRowsItReplaced_AndAnotherAccountsRowsStay()
    {
        // Given October of acct-1 in two regions and of acct-2, imported
        var first = Import(new FocusCsv()
            .Row(("RegionId", "us-east-1"), ("BilledCost", "1"))
            .Row(("RegionId", "eu-west-1"), ("BilledCost", "2"))
            .Row(("BillingAccountId", "acct-2"), ("BilledCost", "4")));

        // When acct-1's October is imported again, restated
        var restated = Import(new FocusCsv().Row(("RegionId", "us-east-1"), ("ResourceId", "i-009"), ("BilledCost", "8")));

        // Then of the first import only acct-2's row is left, in each of the three tables
        restated.ReplacedRows.ShouldBe(2);
        foreach (var table in new[] { LineItemsTable.FactsTable, LineItemsTable.DescriptorsTable, LineItemsTable.ContextsTable })
        {
            _store.Strings($"SELECT CAST(import_id AS VARCHAR) FROM {table} ORDER BY import_id").ShouldBe([$"{first.ImportId}", $"{restated.ImportId}"], table);
        }

        _store.Strings($"SELECT BillingAccountId || ' ' || ResourceId || ' ' || CAST(BilledCost::INTEGER AS VARCHAR) FROM {LineItemsTable.Name} ORDER BY BilledCost")
            .ShouldBe(["acct-2 i-001 4", "acct-1 i-009 8"]);
    }

    [Fact]
    public void RowsGivenOneDescriptionKey_AreStoredUnderOneDescriptor_FoundByTheKeyAlone()
    {
        // Given two rows a reader said share one description (LineItemRow.DescriptionKey), though the second names
        // another resource (so a store that compared values would keep them apart), and a row it said nothing of
        var path = new FocusCsv()
            .Row(("ResourceId", "gpu-1"), ("EffectiveCost", "1"))
            .Row(("ResourceId", "gpu-2"), ("EffectiveCost", "2"))
            .Row(("ResourceId", "gpu-3"), ("EffectiveCost", "3"))
            .WriteTo(_temp.File("keyed.csv"));

        // When they are imported, the first two under one key
        using (var session = _store.BeginLineItemImport(ImportKind.Focus))
        {
            var report = FocusImporter.Read(FocusImporter.Inspect([path]), new Keyed(session), skipBadRows: false);
            session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(), report.BilledTotals);
        }

        // Then the store took the key's word: one descriptor for both, found by the key without reading their values
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.DescriptorsTable}").ShouldBe(["2"]);
        _store.Strings($"SELECT CAST(EffectiveCost::INTEGER AS VARCHAR) || ' ' || ResourceId FROM {LineItemsTable.Name} ORDER BY EffectiveCost")
            .ShouldBe(["1 gpu-1", "2 gpu-1", "3 gpu-3"]);
    }

    [Fact]
    public void ATypedParquetFile_LoadedByColumnsInAnyOrder_StoresTheRowsOfTheSameRowsInCsv_AndAnAbandonedLoadLeavesNothing_NorItsOrderSetting()
    {
        // Given 300 hourly rows of three resources as CSV and as typed Parquet (TIMESTAMP periods, DOUBLE and DECIMAL
        // amounts, tags as a MAP); the Parquet file is read by columns and loaded with one INSERT ... SELECT
        const string Rows = """
            SELECT 'acct-1' AS BillingAccountId, 'Acme' AS BillingAccountName,
                   TIMESTAMP '2026-10-01' AS BillingPeriodStart, TIMESTAMP '2026-11-01' AS BillingPeriodEnd,
                   TIMESTAMP '2026-10-01' + INTERVAL (i // 3) HOUR AS ChargePeriodStart, TIMESTAMP '2026-10-01' + INTERVAL (i // 3 + 1) HOUR AS ChargePeriodEnd,
                   'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName, 'EC2' AS ServiceName, 'Compute' AS ServiceCategory,
                   'Usage' AS ChargeCategory, NULL AS ChargeClass, 'hour' AS ChargeDescription, 'gpu-' || (i % 3) AS ResourceId,
                   ((i % 7) * 0.1::DOUBLE + 1.0 / 3) AS BilledCost, ((i % 7) * 0.125)::DECIMAL(18,6) AS EffectiveCost,
                   2::DECIMAL(18,6) AS ListCost, 2::DECIMAL(18,6) AS ContractedCost, 'USD' AS BillingCurrency,
                   1::DECIMAL(18,6) AS PricingQuantity, 'Hours' AS PricingUnit, TAGS AS Tags
            FROM range(0, 300) AS r(i) ORDER BY i
            """;
        var csv = _temp.File("rows.csv");
        var parquet = _temp.File("rows.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY ({Rows.Replace("TAGS", "'{\"team\":\"t' || (i % 3) || '\"}'", StringComparison.Ordinal)}) TO '{csv}' (FORMAT csv, HEADER)";
            command.ExecuteNonQuery();
            command.CommandText = $"COPY ({Rows.Replace("TAGS", "MAP {'team': 't' || (i % 3)}", StringComparison.Ordinal)}) TO '{parquet}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        // When an import of the Parquet file is abandoned before its commit
        using (var session = _store.BeginLineItemImport(ImportKind.Focus))
        {
            FocusImporter.Read(FocusImporter.Inspect([parquet]), session, skipBadRows: false).RowsValid.ShouldBe(300);
        }

        // Then the store holds nothing of it, and reads in insertion order again (the load inserted in any order)
        string PreservesOrder() => _store.Strings("SELECT CAST(current_setting('preserve_insertion_order') AS VARCHAR)").Single();
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.FactsTable}").ShouldBe(["0"]);
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.DescriptorsTable}").ShouldBe(["0"]);
        PreservesOrder().ShouldBe("true");

        // When it is imported, and the CSV into a store of its own
        using var fromCsv = DuckDbCostStore.Open(_temp.File("csv.duckdb"), _clock);
        var loads = new List<long>();
        ImportRecord ImportInto(DuckDbCostStore store, string file)
        {
            using var session = store.BeginLineItemImport(ImportKind.Focus);
            var report = FocusImporter.Read(FocusImporter.Inspect([file]), new Loads((IColumnarFactSink)session, loads), skipBadRows: false);
            return session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(), report.BilledTotals);
        }

        var record = ImportInto(_store, parquet);
        loads.ShouldBe([300L]);
        PreservesOrder().ShouldBe("true");
        ImportInto(fromCsv, csv);
        loads.ShouldBe([300L]);

        // Then both stores hold the same 300 line items, value for value, three descriptions and the same totals
        const string Items = $"SELECT CAST(COLUMNS(* EXCLUDE (import_id)) AS VARCHAR) FROM {LineItemsTable.Name} ORDER BY ChargePeriodStart, ResourceId";
        string All(DuckDbCostStore store) => string.Join("\n", store.Strings($"SELECT concat_ws('|', COLUMNS(*)) FROM ({Items})"));
        All(_store).Split('\n').Length.ShouldBe(300);
        All(_store).ShouldBe(All(fromCsv));
        _store.Strings($"SELECT CAST(count(*) AS VARCHAR) FROM {LineItemsTable.DescriptorsTable}").ShouldBe(["3"]);
        record.Rows.ShouldBe(300);
        record.BilledTotals["USD"].ShouldBe(decimal.Parse(fromCsv.Strings("SELECT CAST(sum(BilledCost) AS VARCHAR) FROM line_items").Single(), CultureInfo.InvariantCulture));
    }

    /// <summary>Passes rows and columnar loads on to the store's session, noting each load's rows.</summary>
    private sealed class Loads(IColumnarFactSink inner, List<long> loads) : IColumnarFactSink
    {
        public void Append(LineItemRow row) => inner.Append(row);

        public long AppendFacts(ColumnarFacts facts)
        {
            var rows = inner.AppendFacts(facts);
            loads.Add(rows);
            return rows;
        }
    }

    /// <summary>Says the rows of gpu-1 and gpu-2 share a description, as the Parquet reader does for rows DuckDB found alike.</summary>
    private sealed class Keyed(ILineItemSink inner) : ILineItemSink
    {
        public void Append(LineItemRow row)
        {
            row.DescriptionKey = row.Text[FocusSchema.Get("ResourceId").Slot] is "gpu-1" or "gpu-2" ? 42 : 0;
            inner.Append(row);
        }
    }

    [Fact]
    public void ATagSetIsStoredOnce_AcrossImports_AndAnAbandonedImportLeavesNoneBehind()
    {
        long TagSetCount() => long.Parse(_store.Strings("SELECT CAST(count(*) AS VARCHAR) FROM tag_sets").Single(), CultureInfo.InvariantCulture);

        // Given the four tag sets of one file (and the empty one, id 0)
        Import(TeamsCsv());
        TagSetCount().ShouldBe(5);

        // When another account's file repeats two of them and adds one
        Import(new FocusCsv()
            .Row(("BillingAccountId", "other"), ("EffectiveCost", "1"), ("BilledCost", "1"), ("Tags", "{\"team\":\"nlp\",\"owner\":\"ada\"}"))
            .Row(("BillingAccountId", "other"), ("EffectiveCost", "2"), ("BilledCost", "2"), ("Tags", "{\"team\":\"vision\",\"owner\":\"grace\"}"))
            .Row(("BillingAccountId", "other"), ("EffectiveCost", "4"), ("BilledCost", "4"), ("Tags", "{\"team\":\"audio\"}")));

        // Then only the new one was added, and every line item still reads its own tags
        TagSetCount().ShouldBe(6);
        CostsBy("tag:team").ShouldBe(new Dictionary<string, decimal> { ["nlp"] = 16m, ["vision"] = 22m, ["audio"] = 4m, [MissingValue.Untagged] = 10m }, ignoreOrder: true);

        // And an import abandoned after reading a new tag set leaves the table as it was
        var path = new FocusCsv().Row(("BillingAccountId", "third"), ("Tags", "{\"team\":\"speech\"}")).WriteTo(_temp.File("abandoned.csv"));
        using (var session = _store.BeginLineItemImport(ImportKind.Focus))
        {
            FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false);
        }

        TagSetCount().ShouldBe(6);
    }

    [Fact]
    public void TagSetsThatNeverRepeat_PauseTheLookups_SoASetSeenAgainThenIsStoredAgain_AndReportsStillReadEachRowsTags()
    {
        long TagSetCount() => long.Parse(_store.Strings("SELECT CAST(count(*) AS VARCHAR) FROM tag_sets").Single(), CultureInfo.InvariantCulture);

        // Given a file whose first CacheWorth.Window rows each have a tag set of their own (a job id per row), then the
        // first row's set again
        var unique = Core.Text.CacheWorth.Window;
        var csv = new FocusCsv();
        for (var i = 0; i < unique; i++)
        {
            csv.Row(("ResourceId", $"r-{i}"), ("EffectiveCost", "1"), ("BilledCost", "1"), ("Tags", $"{{\"team\":\"nlp\",\"job\":\"job-{i}\"}}"));
        }

        csv.Row(("ResourceId", "r-0"), ("EffectiveCost", "2"), ("BilledCost", "2"), ("Tags", "{\"team\":\"nlp\",\"job\":\"job-0\"}"));

        // When it is imported
        Import(csv);

        // Then the repeated set was not looked up (nearly every lookup before it missed) and has a row of its own
        TagSetCount().ShouldBe(unique + 2); // the empty set, the unique ones, the repeat again

        // And the reports read each row's own tags: the repeat's job holds both its rows' costs
        CostsBy("tag:team").ShouldBe(new Dictionary<string, decimal> { ["nlp"] = unique + 2m });
        CostsBy("tag:job")["job-0"].ShouldBe(3m);
        CostsBy("tag:job")["job-1"].ShouldBe(1m);
    }

    [Fact]
    public void DescriptionsThatNeverRepeat_AreWrittenWithoutDictionaries_ThoseThatRepeatWithThem_AndTheStoreKeepsItsSetting()
    {
        string Disabled(DuckDbCostStore store) => store.Strings("SELECT CAST(current_setting('disabled_compression_methods') AS VARCHAR)").Single();
        string ImportedWhile(DuckDbCostStore store, int rows, Func<int, string> resource)
        {
            var csv = new FocusCsv();
            for (var i = 0; i < rows; i++)
            {
                csv.Row(("ResourceId", resource(i)), ("ChargeDescription", $"GPU hour of {resource(i)}"), ("EffectiveCost", "1"), ("BilledCost", "1"));
            }

            var file = csv.WriteTo(_temp.File($"{Guid.NewGuid():N}.csv"));
            using var session = store.BeginLineItemImport(ImportKind.Focus);
            var report = FocusImporter.Read(FocusImporter.Inspect([file]), session, skipBadRows: false);
            var during = Disabled(store);
            session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(), report.BilledTotals);
            return during;
        }

        // Given a bill whose rows repeat two resources: imported with every compression method
        ImportedWhile(_store, 3 * Core.Text.CacheWorth.Window, i => $"r-{i % 2}").ShouldBe("");

        // When a bill with a resource of its own on every row is imported: without dictionaries, once its descriptions
        // were nearly all new (more rows than a row group, which DuckDB compresses as it fills, 122,880)
        using var other = DuckDbCostStore.Open(_temp.File("unique.duckdb"), _clock);
        ImportedWhile(other, 125_000, i => $"r-{i}").ToLowerInvariant().ShouldBe("dictionary");

        // Then none of its descriptors' text in that first row group is a dictionary (the all-null columns would be one),
        // and both stores allow every method again
        other.Execute("CHECKPOINT");
        other.Strings($"SELECT DISTINCT compression FROM pragma_storage_info('{LineItemsTable.DescriptorsTable}') WHERE segment_type = 'VARCHAR' AND row_group_id = 0 ORDER BY 1")
            .ShouldNotContain("Dictionary");
        Disabled(other).ShouldBe("");
        Disabled(_store).ShouldBe("");
    }

    [Fact]
    public void ALineItemImport_RunsWithTheSmallerImportBuffer_AndARowGroupAtATimeWriteBuffer_AndTheStoreGetsItsOwnBack_CommittedOrAbandoned()
    {
        string Setting(string name) => _store.Strings($"SELECT CAST(current_setting('{name}') AS VARCHAR)").Single();
        string Limit() => Setting("memory_limit");
        string WriteBuffer() => Setting("write_buffer_row_group_count");
        var open = Limit();
        var openBuffer = WriteBuffer();
        openBuffer.ShouldBe("5"); // DuckDB's own default, which the store keeps outside imports

        using (_store.BeginLineItemImport(ImportKind.Focus))
        {
            Limit().ShouldNotBe(open);
            Limit().ShouldStartWith("244"); // 256 MB, as DuckDB shows it in MiB
            WriteBuffer().ShouldBe("1");
        }

        Limit().ShouldBe(open);
        WriteBuffer().ShouldBe(openBuffer);
        Import(TeamsCsv());
        Limit().ShouldBe(open);
        WriteBuffer().ShouldBe(openBuffer);
    }

    [Fact]
    public void AUsageValueTooLargeForTheStoresDecimal_IsRefused_NeverStoredWrapped()
    {
        // DECIMAL(38,18) holds less than 10^20; the chunk writer scales by 10^18 into 128 bits, which would wrap silently.
        using (var session = _store.BeginUsageImport())
        {
            session.Append(new UsageSample(new DateOnly(2026, 10, 1), "requests", 99_999_999_999_999_999_999.5m, new Dictionary<string, string?>()));
            var error = Should.Throw<InvalidOperationException>(() =>
                session.Append(new UsageSample(new DateOnly(2026, 10, 1), "requests", 100_000_000_000_000_000_000m, new Dictionary<string, string?>())));
            error.Message.ShouldBe("Usage sample 2026-10-01 requests: value 100000000000000000000 has more than 20 digits before the point; it cannot be stored exactly.");
        }

        _store.QueryUsage(null, null).ShouldBeEmpty();
        using var exact = _store.BeginUsageImport();
        exact.Append(new UsageSample(new DateOnly(2026, 10, 1), "requests", 99_999_999_999_999_999_999.5m, new Dictionary<string, string?>()));
        exact.Commit(new ImportedFile("u.csv", new string('a', 64), 10, 1));
        _store.QueryUsage(null, null).ShouldHaveSingleItem().Value.ShouldBe(99_999_999_999_999_999_999.5m);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RowsOfAnImportInterruptedInItsCommit_AreNotPartOfTheStore_WhenItIsReopened(bool readOnly)
    {
        var first = Import(TeamsCsv());
        _store.Execute($"INSERT INTO {LineItemsTable.ContextsTable} SELECT * REPLACE (import_id + 1 AS import_id, context_id + 1000000 AS context_id) FROM {LineItemsTable.ContextsTable}");
        _store.Execute($"INSERT INTO {LineItemsTable.DescriptorsTable} SELECT * REPLACE (import_id + 1 AS import_id, descriptor_id + 1000000 AS descriptor_id, context_id + 1000000 AS context_id) FROM {LineItemsTable.DescriptorsTable}");
        _store.Execute($"INSERT INTO {LineItemsTable.FactsTable} SELECT * REPLACE (import_id + 1 AS import_id, descriptor_id + 1000000 AS descriptor_id) FROM {LineItemsTable.FactsTable}");

        _store.Execute("INSERT INTO usage_samples VALUES ($id, DATE '2026-10-01', 'gpu_hours', 1, [], [], NULL)", ("id", first.ImportId + 1));
        _store.Execute("INSERT INTO import_totals VALUES ($id, 'USD', 45)", ("id", first.ImportId + 1));
        _store.Dispose();

        using (var reopened = DuckDbCostStore.Open(StorePath, _clock, readOnly))
        {
            reopened.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(45m);
            reopened.QueryUsage(null, null).ShouldBeEmpty();
            reopened.ListImports().Select(i => i.ImportId).ShouldBe([first.ImportId]);
        }

        using var writable = DuckDbCostStore.Open(StorePath, _clock);
        writable.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(45m);
        foreach (var table in new[] { LineItemsTable.FactsTable, LineItemsTable.DescriptorsTable, LineItemsTable.ContextsTable })
        {
            writable.Strings($"SELECT DISTINCT CAST(import_id AS VARCHAR) FROM {table}").ShouldBe([$"{first.ImportId}"], table);
        }

        var path = new FocusCsv().Row(("BillingAccountId", "other"), ("BilledCost", "2"), ("EffectiveCost", "2")).WriteTo(_temp.File("next.csv"));
        using var session = writable.BeginLineItemImport(ImportKind.Focus);
        var report = FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false);
        var next = session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(), report.BilledTotals);
        next.ImportId.ShouldBe(first.ImportId + 1);
        writable.QueryCosts(new CostQuery()).Single().Cost.ShouldBe(47m);
    }
}
