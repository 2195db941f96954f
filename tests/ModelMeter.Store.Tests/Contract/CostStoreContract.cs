using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>
/// What every <see cref="ICostStore"/> must do, checked through the interface alone, so a new store (ClickHouse, ...)
/// runs this suite unchanged: derive <c>XxxCostStoreContractTests : CostStoreContract&lt;XxxStoreFixture&gt;</c>.
/// Stores are filled the way the readers fill them, through <see cref="Core.Billing.ILineItemSink.Append"/>; every
/// expected figure is worked out by hand in the test.
/// </summary>
/// <remarks>
/// This part: line-item imports (commit, isolation, rollback, replacement of restated bills, the totals check,
/// duplicate files, provenance). Queries, attribution aggregates, usage and exchange rates are in the other parts.
/// </remarks>
public abstract partial class CostStoreContract<TFixture> : IClassFixture<TFixture>, IDisposable
    where TFixture : class, ICostStoreFixture
{
    protected static readonly DateTime Now = new(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);

    private readonly List<ICostStore> _readers = [];
    private int _files;

    protected CostStoreContract(TFixture fixture)
    {
        Fixture = fixture;
        Store = fixture.CreateStore(Clock);
    }

    protected TFixture Fixture { get; }

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));

    protected ICostStore Store { get; }

    public void Dispose()
    {
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }

        Store.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Another reader of the same data, disposed with the test.</summary>
    protected ICostStore Reader()
    {
        var reader = Fixture.OpenReader(Store, Clock);
        _readers.Add(reader);
        return reader;
    }

    /// <summary>A file as an importer describes it; its SHA-256 is that of its name, so each name is a distinct file.</summary>
    protected static ImportedFile File(string path, long rows) =>
        new(path, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path))), 100 + rows, rows);

    /// <summary>The totals a reader hands to <c>Commit</c>: the items' BilledCost summed per currency.</summary>
    protected static Dictionary<string, decimal> BilledTotals(IEnumerable<LineItem> items) =>
        items.GroupBy(i => i.Currency, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(i => i.BilledCost), StringComparer.Ordinal);

    /// <summary>Imports the items as one FOCUS file and commits.</summary>
    protected ImportRecord Import(params LineItem[] items) => Import([File($"focus-{++_files}.csv", items.Length)], items);

    protected ImportRecord Import(IReadOnlyList<ImportedFile> files, params LineItem[] items)
    {
        using var session = Store.BeginLineItemImport(ImportKind.Focus);
        foreach (var item in items)
        {
            session.Append(item.Row);
        }

        return session.Commit(files, BilledTotals(items));
    }

    protected static LineItem Item(decimal cost) => new LineItem().Cost(cost);

    /// <summary>Total EffectiveCost of the whole store in one currency (USD unless said).</summary>
    protected decimal Total(ICostStore? store = null, string currency = "USD") =>
        (store ?? Store).QueryCosts(new CostQuery()).Where(r => r.Currency == currency).Sum(r => r.Cost);

    [Fact]
    public void EmptyStore_HoldsNothing()
    {
        Store.ListImports().ShouldBeEmpty();
        Store.ChargeRange().ShouldBeNull();
        Store.QueryCosts(new CostQuery(), TagPolicy.Default).ShouldBeEmpty();
        Store.QueryCosts(new CostQuery { By = [new TagDimension("team")], Grain = TimeGrain.Day }, TagPolicy.Default).ShouldBeEmpty();
        Store.QueryBilledCostRows(new CostQuery()).ShouldBeEmpty();
        Store.QueryTaggedCosts(new CostQuery(), byAccount: true, byResource: true).ShouldBeEmpty();
        Store.QueryUsage(null, null).ShouldBeEmpty();
        Store.ExchangeRates().ShouldBeEmpty();
        Store.FindImportByContentHash(new string('0', 64)).ShouldBeNull();
    }

    [Fact]
    public void Import_Committed_IsQueryable_AndReturnsItsProvenance()
    {
        var files = new[] { File("oct-a.csv", 2), File("oct-b.csv", 1) };
        ImportRecord record;
        long sessionId;
        using (var session = Store.BeginLineItemImport(ImportKind.Focus))
        {
            sessionId = session.ImportId;
            session.Append(Item(1.25m).Row);
            session.Append(Item(2.50m).Row);
            session.Append(Item(3m).Text("BillingCurrency", "EUR").Row);
            record = session.Commit(files, new Dictionary<string, decimal> { ["USD"] = 3.75m, ["EUR"] = 3m });
        }

        // 1.25 + 2.50 = 3.75 USD; 3 EUR apart.
        Total().ShouldBe(3.75m);
        Total(currency: "EUR").ShouldBe(3m);
        record.ImportId.ShouldBe(sessionId);
        record.Kind.ShouldBe(ImportKind.Focus);
        record.ImportedAt.ShouldBe(Now);
        record.Rows.ShouldBe(3);
        record.ReplacedRows.ShouldBe(0);
        record.Files.ShouldBe(files);
        record.BillingPeriods.ShouldBe(["2026-10-01..2026-11-01"]);
        record.BilledTotals.ShouldBe(new Dictionary<string, decimal> { ["EUR"] = 3m, ["USD"] = 3.75m }, ignoreOrder: true);
        record.SupersededBy.ShouldBeNull();
        ShouldMatch(Store.ListImports().ShouldHaveSingleItem(), record);
    }

    [Fact]
    public void Import_NotCommitted_IsNotVisibleToAnotherReader()
    {
        Import(Item(45m));
        var reader = Reader();

        using (var session = Store.BeginLineItemImport(ImportKind.Focus))
        {
            session.Append(Item(1000m).Charge("2026-12-01T00:00:00Z").Row);
            session.Append(Item(1000m).Text("BillingAccountId", "acct-2").Row);

            // Given rows appended but not committed, then a reader sees only what was there before.
            Total(reader).ShouldBe(45m);
            reader.ListImports().Count.ShouldBe(1);
            reader.ChargeRange().ShouldBe((LineItem.Utc("2026-10-01T00:00:00Z"), LineItem.Utc("2026-10-01T01:00:00Z")));
            session.Commit([File("late.csv", 2)], new Dictionary<string, decimal> { ["USD"] = 2000m });
        }

        // 45 + 1000 + 1000.
        Total(reader).ShouldBe(2045m);
        reader.ListImports().Count.ShouldBe(2);
    }

    [Fact]
    public void Import_DisposedWithoutCommit_LeavesTheStoreAsItWas()
    {
        var first = Import(Item(10m).Tag("team", "nlp"), Item(5m));
        var reader = Reader();

        using (var session = Store.BeginLineItemImport(ImportKind.Focus))
        {
            // A restatement of the same period (it would replace both rows) and a new tag set, then a crash.
            session.Append(Item(1000m).Tag("team", "never").Tag("owner", "nobody").Row);
        }

        foreach (var store in new[] { Store, reader })
        {
            Total(store).ShouldBe(15m);
            store.QueryCosts(new CostQuery { By = [new TagDimension("team")] }, TagPolicy.Default).Select(r => (r.Values[0], r.Cost))
                .ShouldBe([("nlp", 10m), (MissingValue.Untagged, 5m)], ignoreOrder: true);
            store.QueryCosts(new CostQuery { By = [new TagDimension("owner")] }, TagPolicy.Default).Select(r => (r.Values[0], r.Cost))
                .ShouldBe([(MissingValue.Untagged, 15m)]);
            var import = store.ListImports().ShouldHaveSingleItem();
            import.ImportId.ShouldBe(first.ImportId);
            import.SupersededBy.ShouldBeNull();
        }

        // The store takes the next import as if the rolled-back one had never begun.
        var next = Import(Item(2m).Text("BillingAccountId", "acct-2"));
        next.ImportId.ShouldBeGreaterThan(first.ImportId);
        Total().ShouldBe(17m);
    }

    [Fact]
    public void Reimport_OfTheSameProviderAccountAndPeriod_ReplacesTheEarlierRows()
    {
        var first = Import(Item(1m), Item(2m).Charge("2026-10-15T00:00:00Z"));
        Clock.Advance(TimeSpan.FromHours(1));

        var second = Import(Item(5m));

        // The restated October of AWS / acct-1 replaces both earlier rows: 5, not 1 + 2 + 5.
        Total().ShouldBe(5m);
        second.ReplacedRows.ShouldBe(2);
        second.ImportedAt.ShouldBe(Now.AddHours(1));
        second.ImportId.ShouldBeGreaterThan(first.ImportId);
        var imports = Store.ListImports();
        imports.Select(i => i.ImportId).ShouldBe([first.ImportId, second.ImportId]);
        imports[0].SupersededBy.ShouldBe(second.ImportId);
        imports[0].Rows.ShouldBe(2);
        imports[1].SupersededBy.ShouldBeNull();
        imports[1].ReplacedRows.ShouldBe(2);
        Store.FindImportByContentHash(first.Files.Single().Sha256).ShouldBeNull();
        Store.FindImportByContentHash(second.Files.Single().Sha256)!.ImportId.ShouldBe(second.ImportId);
    }

    [Fact]
    public void Reimport_ReplacesOnlyTheRestatedPeriod_OfThatProviderAndAccount()
    {
        var first = Import(
            Item(1m).Text("BillingAccountId", "a1"),
            Item(10m).Text("BillingAccountId", "a2"),
            Item(20m).Text("BillingAccountId", "a1").Text("ProviderName", "Azure"),
            Item(100m).Text("BillingAccountId", "a1").Charge("2026-09-30T00:00:00Z"));

        var restated = Import(Item(3m).Text("BillingAccountId", "a1"));

        // Only AWS / a1 / October (the 1) goes: a2's October, Azure's a1 and a1's September stay. 10 + 20 + 100 + 3.
        restated.ReplacedRows.ShouldBe(1);
        Total().ShouldBe(133m);
        Store.ListImports().Single(i => i.ImportId == first.ImportId).SupersededBy.ShouldBeNull();
        Store.FindImportByContentHash(first.Files.Single().Sha256)!.ImportId.ShouldBe(first.ImportId);
    }

    [Fact]
    public void Import_OfAnotherPeriod_AddsToTheStore_AndWidensTheChargeRange()
    {
        Import(Item(1m));

        var november = Import(Item(2m).Charge("2026-11-30T23:00:00Z"));

        Total().ShouldBe(3m);
        november.ReplacedRows.ShouldBe(0);
        november.BillingPeriods.ShouldBe(["2026-11-01..2026-12-01"]);
        Store.ListImports().ShouldAllBe(i => i.SupersededBy == null);
        var range = Store.ChargeRange()!.Value;
        range.ShouldBe((LineItem.Utc("2026-10-01T00:00:00Z"), LineItem.Utc("2026-12-01T00:00:00Z")));
        range.First.Kind.ShouldBe(DateTimeKind.Utc);
        range.Last.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Fact]
    public void ChargeRange_CoversTheLiveRowsOnly()
    {
        Import(Item(1m).Charge("2026-10-03T00:00:00Z"), Item(1m).Charge("2026-10-20T00:00:00Z", "2026-10-21T00:00:00Z"));

        Import(Item(1m).Charge("2026-10-05T00:00:00Z", "2026-10-05T06:00:00Z"));

        // The restatement replaced both earlier rows: the range is its own row's.
        Store.ChargeRange().ShouldBe((LineItem.Utc("2026-10-05T00:00:00Z"), LineItem.Utc("2026-10-05T06:00:00Z")));
    }

    [Fact]
    public void Import_SpanningTwoBillingPeriods_ListsBoth_InOrder()
    {
        var record = Import(Item(1m).Charge("2026-10-02T00:00:00Z"), Item(2m).Charge("2026-09-02T00:00:00Z"), Item(4m).Charge("2026-10-09T00:00:00Z"));

        record.BillingPeriods.ShouldBe(["2026-09-01..2026-10-01", "2026-10-01..2026-11-01"]);
        Store.ListImports().Single().BillingPeriods.ShouldBe(["2026-09-01..2026-10-01", "2026-10-01..2026-11-01"]);
        record.BilledTotals.ShouldBe(new Dictionary<string, decimal> { ["USD"] = 7m });
    }

    [Theory]
    [MemberData(nameof(CostStoreContractData.WrongTotals), MemberType = typeof(CostStoreContractData))]
    public void Commit_WhenTheStoredTotalsDifferFromTheFiles_WritesNothing(string expected)
    {
        Import(Item(45m));
        var totals = expected.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('='))
            .ToDictionary(t => t[0], t => decimal.Parse(t[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

        using (var session = Store.BeginLineItemImport(ImportKind.Focus))
        {
            // A restatement (it would replace the 45) whose rows add up to 2 USD.
            session.Append(Item(0.5m).Row);
            session.Append(Item(1.5m).Tag("team", "nlp").Row);
            Should.Throw<InvalidOperationException>(() => session.Commit([File("restated.csv", 2)], totals));
        }

        Total().ShouldBe(45m);
        Total(Reader()).ShouldBe(45m);
        var import = Store.ListImports().ShouldHaveSingleItem();
        import.SupersededBy.ShouldBeNull();
        Store.FindImportByContentHash(File("restated.csv", 2).Sha256).ShouldBeNull();
    }

    [Fact]
    public void Commit_WhenTheStoresTotalsWouldReach10To20_IsRefused_AndTheStoreStaysAsItWas()
    {
        // 6·10^19 USD fits DECIMAL(38,18); another account's 6·10^19 would bring the store's BilledCost to 1.2·10^20,
        // beyond what a report could total (each import alone fits, so only the store can refuse it).
        var huge = 60_000_000_000_000_000_000m;
        Import(Item(huge));
        var other = Item(huge).Text("BillingAccountId", "acct-2");

        using (var session = Store.BeginLineItemImport(ImportKind.Focus))
        {
            session.Append(other.Row);
            Should.Throw<Core.Errors.UserInputException>(() => session.Commit([File("huge.csv", 1)], BilledTotals([other])))
                .Message.ShouldContain("BilledCost amounts in USD would add up to about 10^20");
        }

        Total().ShouldBe(huge);
        Total(Reader()).ShouldBe(huge);
        Store.ListImports().ShouldHaveSingleItem();
        Store.FindImportByContentHash(File("huge.csv", 1).Sha256).ShouldBeNull();
    }

    [Fact]
    public void Commit_WhenTheStoredTotalsEqualTheFiles_ToTheLastDigit_Commits()
    {
        var record = Import(Item(0.000000000000000001m), Item(12345678901.123456789m).Text("BillingCurrency", "EUR"));

        record.BilledTotals.ShouldBe(new Dictionary<string, decimal> { ["EUR"] = 12345678901.123456789m, ["USD"] = 0.000000000000000001m }, ignoreOrder: true);
    }

    [Fact]
    public void FindImportByContentHash_FindsTheLiveImportOfAnyOfItsFiles()
    {
        var files = new[] { File("part-1.csv", 1), File("part-2.csv", 1) };
        var focus = Import(files, Item(1m), Item(2m));

        Store.FindImportByContentHash(files[0].Sha256)!.ImportId.ShouldBe(focus.ImportId);
        var found = Store.FindImportByContentHash(files[1].Sha256)!;
        ShouldMatch(found, focus);
        Store.FindImportByContentHash(File("other.csv", 1).Sha256).ShouldBeNull();
    }

    [Fact]
    public void ListImports_ShowsEveryKind_InImportOrder()
    {
        var focus = Import(Item(1m));
        Clock.Advance(TimeSpan.FromMinutes(5));
        ImportRecord usage;
        using (var session = Store.BeginUsageImport())
        {
            session.Append(new(new DateOnly(2026, 10, 1), "gpu_hours", 8m, new Dictionary<string, string?> { ["team"] = "nlp" }));
            usage = session.Commit(File("usage.csv", 1));
        }

        Clock.Advance(TimeSpan.FromMinutes(5));
        var rates = Store.ImportExchangeRates([new(new DateOnly(2026, 10, 1), "EUR", "USD", 1.07m)], File("rates.csv", 1));

        var imports = Store.ListImports();

        imports.Select(i => (i.Kind, i.ImportedAt)).ShouldBe([
            (ImportKind.Focus, Now), (ImportKind.Usage, Now.AddMinutes(5)), (ImportKind.Rates, Now.AddMinutes(10))]);
        imports.Select(i => i.ImportId).ShouldBe([focus.ImportId, usage.ImportId, rates.ImportId]);
        imports.Select(i => i.ImportId).ShouldBeInOrder(SortDirection.Ascending);
        imports.Select(i => i.ImportId).Distinct().Count().ShouldBe(3);
        ShouldMatch(imports[1], usage);
        ShouldMatch(imports[2], rates);
        Store.FindImportByContentHash(File("usage.csv", 1).Sha256)!.Kind.ShouldBe(ImportKind.Usage);
        Store.FindImportByContentHash(File("rates.csv", 1).Sha256)!.Kind.ShouldBe(ImportKind.Rates);
    }

    /// <summary>A listed import says what its commit returned.</summary>
    protected static void ShouldMatch(ImportRecord listed, ImportRecord committed)
    {
        listed.ImportId.ShouldBe(committed.ImportId);
        listed.Kind.ShouldBe(committed.Kind);
        listed.ImportedAt.ShouldBe(committed.ImportedAt);
        listed.ImportedAt.Kind.ShouldBe(DateTimeKind.Utc);
        listed.Rows.ShouldBe(committed.Rows);
        listed.ReplacedRows.ShouldBe(committed.ReplacedRows);
        listed.Files.ShouldBe(committed.Files);
        listed.BillingPeriods.ShouldBe(committed.BillingPeriods);
        listed.BilledTotals.ShouldBe(committed.BilledTotals, ignoreOrder: true);
        listed.SupersededBy.ShouldBe(committed.SupersededBy);
        listed.Mapping.ShouldBe(committed.Mapping);
    }

    [Fact]
    public void Import_OfAProvidersOwnExport_KeepsItsKindAndMapping()
    {
        ImportRecord record;
        using (var session = Store.BeginLineItemImport(ImportKind.AwsCur))
        {
            session.Append(Item(4m).Row);
            record = session.Commit([File("cur-00001.csv.gz", 1)], new Dictionary<string, decimal> { ["USD"] = 4m }, "aws-cur/1");
        }

        record.Kind.ShouldBe(ImportKind.AwsCur);
        record.Mapping.ShouldBe("aws-cur/1");
        ShouldMatch(Store.ListImports().ShouldHaveSingleItem(), record);
        ShouldMatch(Store.FindImportByContentHash(File("cur-00001.csv.gz", 1).Sha256)!, record);
        Import(Item(1m).Text("BillingAccountId", "acct-2")).Mapping.ShouldBeNull();
        Store.ListImports()[1].Mapping.ShouldBeNull();
    }

    [Fact]
    public void Import_OfAProvidersOwnExport_ReplacesAFocusImportOfTheSameBill_AndSupersedesIt()
    {
        // Given October of AWS / acct-1 imported from a FOCUS export,
        var focus = Import(Item(7m), Item(3m));

        // when the same bill is imported from the CUR,
        ImportRecord cur;
        using (var session = Store.BeginLineItemImport(ImportKind.AwsCur))
        {
            session.Append(Item(9m).Row);
            cur = session.Commit([File("cur.csv", 1)], new Dictionary<string, decimal> { ["USD"] = 9m }, "aws-cur/1");
        }

        // then the CUR replaces it (9, not 7 + 3 + 9) and the FOCUS import is marked as superseded by it.
        Total().ShouldBe(9m);
        cur.ReplacedRows.ShouldBe(2);
        Store.ListImports().Single(i => i.ImportId == focus.ImportId).SupersededBy.ShouldBe(cur.ImportId);
        Store.FindImportByContentHash(focus.Files.Single().Sha256).ShouldBeNull();
    }
}
