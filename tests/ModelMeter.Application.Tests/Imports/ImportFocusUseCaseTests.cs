using System.Text.Json;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Core.Errors;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Imports;

public sealed class ImportFocusUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private ImportFocusUseCase UseCase => _app.Get<ImportFocusUseCase>();

    [Fact]
    public void Run_ReportsProgressByBytesRead_RisingToOne()
    {
        // Enough rows for the reader to report while it reads (it reports every 16,384 rows), in two files.
        var csv = new FocusCsv();
        for (var i = 0; i < 20_000; i++)
        {
            csv.Row(("EffectiveCost", "0.01"));
        }

        var first = _app.Write(csv, "a.csv");
        var second = _app.Write(new FocusCsv().Row(("BillingPeriodStart", "2026-09-01T00:00:00Z"), ("BillingPeriodEnd", "2026-10-01T00:00:00Z"), ("ChargePeriodStart", "2026-09-01T00:00:00Z"), ("ChargePeriodEnd", "2026-09-01T01:00:00Z")), "b.csv");
        var reported = new List<double>();

        var result = UseCase.Run(new ImportFocusRequest { Paths = [first, second] }, new ListRecorder(reported));

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        reported.Count.ShouldBeGreaterThanOrEqualTo(3);
        reported.ShouldBeInOrder(SortDirection.Ascending);
        reported.ShouldAllBe(v => v >= 0 && v <= 1);
        reported[^1].ShouldBe(1.0);
        reported.ShouldContain(v => v > 0 && v < 1, "the bar moves while the first file is read");
    }

    /// <summary>Records reports synchronously (System.Progress would post them to a thread pool).</summary>
    private sealed class ListRecorder(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }

    [Fact]
    public void Run_RefusingABadFile_LeavesNoStoreFile_AndReturnsTheProblemWithFileLineAndColumn()
    {
        var csv = new FocusCsv().Row().Row(("BilledCost", "12,50")).Row();
        var file = _app.Write(csv, "bad.csv");

        var result = UseCase.Run(new ImportFocusRequest { Paths = [file] });

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.ImportId.ShouldBeNull();
        result.RefusalReason.ShouldBe("1 problem in 1 row; nothing was imported and the store is unchanged. Fix the file, or import the valid rows with --skip-bad-rows.");
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.File.ShouldBe(_app.Temp.File("bad.csv"));
        problem.Line.ShouldBe(3);
        problem.Column.ShouldBe(csv.ColumnNumber("BilledCost"));
        problem.ColumnName.ShouldBe("BilledCost");
        problem.Value.ShouldBe("12,50");
        problem.ToString().ShouldStartWith($"bad.csv: line 3, column {csv.ColumnNumber("BilledCost")} (BilledCost): '12,50' is not a number");
        File.Exists(_app.StorePath).ShouldBeFalse();
        File.Exists(_app.StorePath + ".wal").ShouldBeFalse();
    }

    [Fact]
    public void Run_RefusingABadFile_OnAnExistingStore_KeepsTheStoreAndItsImports()
    {
        UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(new FocusCsv().Row(), "good.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);

        var refused = UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(new FocusCsv().Row(("BilledCost", "12,50")), "bad.csv")] });

        refused.Outcome.ShouldBe(ImportOutcome.Refused);
        File.Exists(_app.StorePath).ShouldBeTrue();
        _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.ShouldHaveSingleItem().ImportId.ShouldBe(1);
    }

    [Fact]
    public void Run_Cancelled_LeavesNoStoreWhereThereWasNone()
    {
        // The importer looks at the token every 16,384 rows: past the first look, with the new store already open.
        var file = _app.Write(new FocusCsv().Rows(17_000, ("EffectiveCost", "1")), "big.csv");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Should.Throw<OperationCanceledException>(() => UseCase.Run(new ImportFocusRequest { Paths = [file] }, null, cancelled.Token));

        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Run_GoodFile_IsImported_WithItsConformanceReport_AndReportsProgressToTheEnd()
    {
        var file = _app.Write(new FocusCsv().Row(("EffectiveCost", "30")).Row(("EffectiveCost", "12.5"), ("BillingCurrency", "EUR")), "oct.csv");
        var progress = new Recorder();

        var result = UseCase.Run(new ImportFocusRequest { Paths = [file] }, progress);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.ImportId.ShouldBe(1);
        result.ImportedAt.ShouldBe(AppHarness.Now.UtcDateTime);
        result.Store.ShouldBe(_app.StorePath);
        result.RowsValid.ShouldBe(2);
        var stored = result.Files.ShouldHaveSingleItem();
        stored.FocusVersion.ShouldBe("1.0");
        stored.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_app.Temp.File(file)))));
        result.BillingPeriods.ShouldBe(["2026-10-01..2026-11-01"]);
        result.Totals["USD"].EffectiveCost.ShouldBe(30m);
        result.Totals["EUR"].EffectiveCost.ShouldBe(12.5m);
        progress.Values.ShouldNotBeEmpty();
        progress.Values[^1].ShouldBe(1.0);
    }

    [Fact]
    public void Run_SameContentAgain_UnderAnotherName_IsAlreadyImported_NamingTheEarlierImport()
    {
        var file = _app.Write(new FocusCsv().Row(), "oct.csv");
        UseCase.Run(new ImportFocusRequest { Paths = [file] }).Outcome.ShouldBe(ImportOutcome.Imported);
        File.Copy(_app.Temp.File(file), _app.Temp.File("copy.csv"));

        var again = UseCase.Run(new ImportFocusRequest { Paths = ["copy.csv"] });

        again.Outcome.ShouldBe(ImportOutcome.AlreadyImported);
        again.ImportId.ShouldBe(1);
        again.Files.ShouldHaveSingleItem().FocusVersion.ShouldBeNull();
        _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.Count.ShouldBe(1);
    }

    [Fact]
    public void Run_AFileOfAnImportedFilesSize_ButOtherBytes_IsImported_WithTheFingerprintOfItsOwnBytes()
    {
        var october = _app.Write(new FocusCsv().Row(("BilledCost", "1")), "oct.csv");
        UseCase.Run(new ImportFocusRequest { Paths = [october] }).Outcome.ShouldBe(ImportOutcome.Imported);
        var restated = _app.Write(new FocusCsv().Row(("BilledCost", "2")), "restated.csv");
        new FileInfo(_app.Temp.File(restated)).Length.ShouldBe(new FileInfo(_app.Temp.File(october)).Length);

        var again = UseCase.Run(new ImportFocusRequest { Paths = [restated] });

        again.Outcome.ShouldBe(ImportOutcome.Imported);
        again.ReplacedRows.ShouldBe(1);
        // The first file's fingerprint was taken as it was read, the second's before (its size was one imported).
        string Sha256Of(string name) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_app.Temp.File(name))));
        again.Files.ShouldHaveSingleItem().Sha256.ShouldBe(Sha256Of(restated));
        var imports = _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports;
        imports.Select(i => i.Files.ShouldHaveSingleItem().Sha256).ShouldBe([Sha256Of(october), Sha256Of(restated)]);
    }

    [Fact]
    public void Run_DryRun_OpensNoStore_AndSaysWhatAnImportWouldHold()
    {
        var result = UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(new FocusCsv().Row().Row(), "oct.csv")], DryRun = true });

        result.Outcome.ShouldBe(ImportOutcome.DryRun);
        result.Store.ShouldBeNull();
        result.RowsValid.ShouldBe(2);
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Run_SkipBadRows_ImportsTheRest_AndWritesTheRejectsCsvBesideTheWorkingFolder()
    {
        var csv = new FocusCsv().Row(("EffectiveCost", "10")).Row(("EffectiveCost", "oops"));
        var file = _app.Write(csv, "partly.csv");

        var result = UseCase.Run(new ImportFocusRequest { Paths = [file], SkipBadRows = true });

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.RowsValid.ShouldBe(1);
        result.RowsRejected.ShouldBe(1);
        var rejects = result.Rejects.ShouldHaveSingleItem();
        rejects.ShouldBe(_app.Temp.File("partly.csv.rejects.csv"));
        var lines = File.ReadAllLines(rejects);
        lines[0].ShouldStartWith("x_SourceFile,x_SourceLine,x_RejectReasons,BillingAccountId");
        lines.Length.ShouldBe(2);
        lines[1].ShouldContain(",3,");
    }

    [Fact]
    public void Run_SkipBadRows_WhenEveryRowIsBad_IsRefused_AndLeavesNoStore()
    {
        var result = UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(new FocusCsv().Row(("BilledCost", "x")), "allbad.csv")], SkipBadRows = true });

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.RefusalReason.ShouldNotBeNull();
        result.Rejects.ShouldBeEmpty();
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Run_HeaderOnlyFile_IsRefused_SayingItHoldsNoLineItems()
    {
        var result = UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(new FocusCsv(), "empty.csv")] });

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.RefusalReason.ShouldBe("the files hold no line items; nothing was imported.");
    }

    [Fact]
    public void Run_WithoutPaths_IsBadInput()
    {
        Should.Throw<UserInputException>(() => UseCase.Run(new ImportFocusRequest())).Message.ShouldContain("at least one FOCUS file");
    }

    [Fact]
    public void Result_AsJson_IsSnakeCase_WithTheOutcomeAsText_AndEveryProblemLocated()
    {
        var csv = new FocusCsv().Row(("BillingCurrency", "EURO"));
        var result = UseCase.Run(new ImportFocusRequest { Paths = [_app.Write(csv, "bad.csv")], DryRun = true });

        using var json = JsonDocument.Parse(ModelMeterJson.Serialize(result));

        var root = json.RootElement;
        root.GetProperty("outcome").GetString().ShouldBe("refused");
        root.GetProperty("import_id").ValueKind.ShouldBe(JsonValueKind.Null);
        root.GetProperty("problem_count").GetInt64().ShouldBe(1);
        var problem = root.GetProperty("problems")[0];
        problem.GetProperty("line").GetInt64().ShouldBe(2);
        problem.GetProperty("column").GetInt32().ShouldBe(csv.ColumnNumber("BillingCurrency"));
        problem.GetProperty("column_name").GetString().ShouldBe("BillingCurrency");
        problem.GetProperty("value").GetString().ShouldBe("EURO");
        root.GetProperty("files")[0].GetProperty("focus_version").GetString().ShouldBe("1.0");
    }

    private sealed class Recorder : IProgress<double>
    {
        public List<double> Values { get; } = [];

        public void Report(double value) => Values.Add(value);
    }
}
