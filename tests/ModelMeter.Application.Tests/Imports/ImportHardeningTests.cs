using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Store;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Imports;

/// <summary>
/// One import is one bill, counted once, exactly or not at all: duplicate content, two exports of one bill, Ctrl-C
/// and damaged stores.
/// </summary>
public sealed class ImportHardeningTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private ImportFocusUseCase UseCase => _app.Get<ImportFocusUseCase>();

    private decimal StoredTotal() =>
        _app.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Cost = "billed" } }).Totals.Single().Value;

    private static FocusCsv Bill(int rows, string account = "acct-1")
    {
        var csv = new FocusCsv();
        for (var i = 0; i < rows; i++)
        {
            csv.Row(("BillingAccountId", account), ("ResourceId", $"i-{i:D4}"), ("BilledCost", "2.50"), ("EffectiveCost", "2.50"));
        }

        return csv;
    }

    [Fact]
    public void TheSameContentTwiceInOneImport_IsReadOnce_AndSaidSo()
    {
        var demo = _app.Write(Bill(4), "demo.csv");
        File.Copy(_app.Temp.File(demo), _app.Temp.File("copy-of-demo.csv"));

        var result = UseCase.Run(new ImportFocusRequest { Paths = [demo, "copy-of-demo.csv"] });

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.RowsValid.ShouldBe(4);
        result.Warnings.ShouldContain(w => w.Contains("copy-of-demo.csv has the same content as") && w.Contains("read once"));
        StoredTotal().ShouldBe(10m);
    }

    [Fact]
    public void TwoDifferentFilesOfOneBill_AreRefusedNamingBoth_AndTheStoreIsUnchanged()
    {
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(2), "earlier.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);
        var restated = _app.Write(Bill(3).Row(("ResourceId", "i-late")), "restated.csv");
        var csvOfGz = _app.Write(new FocusCsv().Row(("ResourceId", "other-1"), ("BilledCost", "3")), "other.csv");

        var error = Should.Throw<UserInputException>(() => UseCase.Run(new ImportFocusRequest { Paths = [restated, csvOfGz] }));

        error.Message.ShouldContain("restated.csv");
        error.Message.ShouldContain("other.csv");
        error.Message.ShouldContain("provider AWS, billing account acct-1, billing period starting 2026-10-01");
        StoredTotal().ShouldBe(5m);
    }

    [Fact]
    public void TheSameBillAsCsvAndGzipCopy_IsRefusedAsTwoCopies()
    {
        var csv = Bill(3);
        var folder = Directory.CreateDirectory(_app.Temp.File("export")).FullName;
        csv.WriteTo(Path.Combine(folder, "focus.csv"));
        csv.WriteGzipTo(Path.Combine(folder, "focus.csv.gz"));

        Should.Throw<UserInputException>(() => UseCase.Run(new ImportFocusRequest { Paths = ["export"] }))
            .Message.ShouldContain("start with the same line item");
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void PartsOfOneExport_InOneFolder_AreImportedTogether()
    {
        var folder = Directory.CreateDirectory(_app.Temp.File("export")).FullName;
        var first = new FocusCsv().Row(("ResourceId", "i-1"), ("BilledCost", "1")).Row(("ResourceId", "i-2"), ("BilledCost", "2"));
        var second = new FocusCsv().Row(("ResourceId", "i-3"), ("BilledCost", "3"));
        first.WriteTo(Path.Combine(folder, "part-0001.csv"));
        second.WriteTo(Path.Combine(folder, "part-0002.csv"));

        var result = UseCase.Run(new ImportFocusRequest { Paths = ["export"] });

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.RowsValid.ShouldBe(3);
        StoredTotal().ShouldBe(6m);
    }

    [Fact]
    public void CtrlC_AfterTheLastRowIsRead_RollsBack_AndLeavesNoStore()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAt(1.0, cancel);

        Should.Throw<OperationCanceledException>(() => UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(3), "bill.csv")] }, progress, cancel.Token));

        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void CtrlC_AfterTheLastRowIsRead_OnAnExistingStore_KeepsItExactlyAsItWas()
    {
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(2), "earlier.csv")] });
        using var cancel = new CancellationTokenSource();

        Should.Throw<OperationCanceledException>(() =>
            UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(7), "restated.csv")] }, new CancelAt(1.0, cancel), cancel.Token));

        StoredTotal().ShouldBe(5m);
        _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.Count.ShouldBe(1);
    }

    [Fact]
    public void CtrlC_DuringTheCommit_RollsBack_AndCtrlCAfterIt_IsReported()
    {
        using var app = new AppHarness(services => services.AddSingleton<ICostStoreFactory>(provider =>
            new CancellingFactory(new CostStoreFactory(provider.GetRequiredService<Hosting.ModelMeterEnvironment>()))));
        var useCase = app.Get<ImportFocusUseCase>();
        useCase.Run(new ImportFocusRequest { Paths = [app.Write(Bill(2), "earlier.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);

        using (var during = new CancellationTokenSource())
        {
            CancellingFactory.Next = (during, AfterCommit: false);
            Should.Throw<OperationCanceledException>(() => useCase.Run(new ImportFocusRequest { Paths = [app.Write(Bill(7), "restated.csv")] }, null, during.Token));
            CancellingFactory.Next = default;
            app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.Count.ShouldBe(1);
        }

        using var after = new CancellationTokenSource();
        CancellingFactory.Next = (after, AfterCommit: true);
        var result = useCase.Run(new ImportFocusRequest { Paths = ["restated.csv"] }, null, after.Token);
        CancellingFactory.Next = default;

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.Warnings.ShouldContain(w => w.Contains("Interrupted after the commit") && w.Contains($"import #{result.ImportId}"));
    }

    [Fact]
    public void AStoreMissingItsVersionRow_IsRefusedAsDamaged_NeverMigratedOver()
    {
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(2), "bill.csv")] });
        Execute("DELETE FROM schema_version");

        Should.Throw<UserInputException>(() => StoredTotal()).Message.ShouldContain("is damaged: it holds ModelMeter's tables but no schema version");
        Should.Throw<UserInputException>(() => UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(3), "again.csv")] }))
            .Message.ShouldContain("is damaged");
    }

    [Fact]
    public void AStoreMissingATable_IsRefusedNamingIt()
    {
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(2), "bill.csv")] });
        Execute("DROP TABLE import_totals");

        Should.Throw<UserInputException>(() => _app.Get<ImportsUseCase>().Run(new ImportsRequest())).Message.ShouldContain("its table import_totals is missing");
    }

    [Fact]
    public void RecordedTotals_EqualTheStoredRowsSums_DigitForDigit()
    {
        var csv = new FocusCsv().Row(("BilledCost", "12345678901.5")).Row(("BilledCost", "0.123456789012345678"), ("ResourceId", "i-2")).Row(("BilledCost", "0.000000000000000001"), ("ResourceId", "i-3"));

        var result = UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(csv, "digits.csv")] });

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        var recorded = _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.Single().BilledTotals["USD"];
        recorded.ShouldBe(12345678901.623456789012345679m);
        StoredTotal().ShouldBe(recorded);
    }

    [Fact]
    public void Tags_WithNothingRequired_SaysSo_InsteadOfAHundredPercent()
    {
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(2), "bill.csv")] });
        File.WriteAllText(_app.Temp.File("modelmeter.yaml"), "currency: USD\n");

        var result = _app.Get<TagsUseCase>().Run(new TagsRequest());

        result.RequiredKeys.ShouldBeEmpty();
        result.Warnings.ShouldContain(w => w.Contains("requires no tag key") && w.Contains("tags.required"));
        Should.Throw<UserInputException>(() => _app.Get<TagsUseCase>().Run(new TagsRequest { FailUnder = 95m })).Message.ShouldContain("nothing to measure");
    }

    [Fact]
    public void Init_WritesARequiredTeamKey_ThatTagsThenMeasures()
    {
        _app.Get<InitUseCase>().Run(new InitRequest());
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(Bill(2), "bill.csv")] });

        var result = _app.Get<TagsUseCase>().Run(new TagsRequest());

        result.RequiredKeys.ShouldBe(["team"]);
        result.Warnings.ShouldBeEmpty();
        result.Currencies.Single().FullyTaggedPercent.ShouldBe(100m);
    }

    private void Execute(string sql)
    {
        using var connection = new DuckDBConnection($"DataSource={_app.StorePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Cancels when the reported progress reaches a share (1.0: every row read, nothing committed yet).</summary>
    private sealed class CancelAt(double share, CancellationTokenSource source) : IProgress<double>
    {
        public void Report(double value)
        {
            if (value >= share)
            {
                source.Cancel();
            }
        }
    }

    /// <summary>A store whose import session cancels the token just before (or just after) committing.</summary>
    private sealed class CancellingFactory(ICostStoreFactory inner) : ICostStoreFactory
    {
        public static (CancellationTokenSource Source, bool AfterCommit) Next { get; set; }

        public StoreLocation Locate(ModelMeterConfig config, string? storeOption) => inner.Locate(config, storeOption);

        public bool Exists(StoreLocation location) => inner.Exists(location);

        public ICostStore Open(StoreLocation location, StoreAccess access) => new Store(inner.Open(location, access));

        public void Discard(StoreLocation location) => inner.Discard(location);

        private sealed class Store(ICostStore inner) : DelegatingCostStore(inner)
        {
            public override ILineItemImportSession BeginLineItemImport(ImportKind kind) => new Session(Inner.BeginLineItemImport(kind));
        }

        private sealed class Session(ILineItemImportSession inner) : ILineItemImportSession
        {
            public long ImportId => inner.ImportId;

            public void Append(Core.Billing.LineItemRow row) => inner.Append(row);

            public ImportRecord Commit(IReadOnlyList<ImportedFile> files, IReadOnlyDictionary<string, decimal> expectedTotals, string? mapping = null, CancellationToken cancellationToken = default)
            {
                var (source, afterCommit) = Next;
                if (source is not null && !afterCommit)
                {
                    source.Cancel();
                }

                var record = inner.Commit(files, expectedTotals, mapping, cancellationToken);
                source?.Cancel();
                return record;
            }

            public void Dispose() => inner.Dispose();
        }
    }
}
