using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Store;

namespace ModelMeter.Application.Tests.Imports;

public sealed class ImportUsageUseCaseTests : IDisposable
{
    private const string Header = "start,end,team,cluster,metric,value\n";

    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private ImportUsageUseCase UseCase => _app.Get<ImportUsageUseCase>();

    [Fact]
    public void Run_ANewMeasurementOfTheSameMetricAndDays_ReplacesTheEarlierOne()
    {
        var first = _app.WriteText(Header +
            "2026-10-01T08:00:00Z,2026-10-01T12:00:00Z,nlp,gpu-a,gpu_hours,16\n" +
            "2026-10-02T08:00:00Z,2026-10-02T12:00:00Z,vision,gpu-a,gpu_hours,8\n", "usage-v1.csv");
        var second = _app.WriteText(Header +
            "2026-10-01T08:00:00Z,2026-10-01T12:00:00Z,nlp,gpu-a,gpu_hours,20\n" +
            "2026-10-02T08:00:00Z,2026-10-02T12:00:00Z,vision,gpu-a,gpu_hours,4\n", "usage-v2.csv");

        var v1 = UseCase.Run(new ImportUsageRequest { Path = first });
        var v2 = UseCase.Run(new ImportUsageRequest { Path = second });

        v1.Outcome.ShouldBe(ImportOutcome.Imported);
        v1.Samples.ShouldBe(2);
        v1.Replaced.ShouldBe(0);
        v1.Metrics.ShouldBe(["gpu_hours 2026-10-01..2026-10-02"]);
        v2.Outcome.ShouldBe(ImportOutcome.Imported);
        v2.Replaced.ShouldBe(2);
        var imports = _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports;
        imports.Select(i => (i.ImportId, i.Kind, i.SupersededBy)).ShouldBe([(1L, "usage", (long?)2), (2L, "usage", null)]);
    }

    [Fact]
    public void Run_TheSameFileAgain_IsAlreadyImported_AndReplacesNothing()
    {
        // A byte order mark is not part of the header.
        var file = _app.WriteText("timestamp,team,metric,value\n2026-10-03,nlp,gpu_hours,5\n", "usage.csv", bom: true);
        UseCase.Run(new ImportUsageRequest { Path = file }).Outcome.ShouldBe(ImportOutcome.Imported);

        var again = UseCase.Run(new ImportUsageRequest { Path = file });

        again.Outcome.ShouldBe(ImportOutcome.AlreadyImported);
        again.ImportId.ShouldBe(1);
        again.Replaced.ShouldBe(0);
        again.File.ShouldBe(_app.Temp.File(file));
    }

    [Fact]
    public void Run_AFileOfManyBlocks_IsStreamed_WithEverySample_TheFilesSha256AndItsLineCount()
    {
        // About 3 MB: the file is read in blocks of 1 MB, twice (checked, then imported), and never held whole.
        var text = new System.Text.StringBuilder("timestamp,team,model,metric,value\n");
        for (var i = 0; i < 60_000; i++)
        {
            text.Append("2026-10-").Append((i % 28 + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture))
                .Append("T00:00:00Z,team").Append(i % 7).Append(",model-with-a-longer-name-").Append(i).Append(",gpu_hours,1.5\n");
        }

        var file = _app.WriteText(text.ToString(), "big.csv", bom: true);
        var bytes = File.ReadAllBytes(_app.Temp.File(file));
        bytes.Length.ShouldBeGreaterThan(3 << 20);

        var result = UseCase.Run(new ImportUsageRequest { Path = file });

        result.Samples.ShouldBe(60_000);
        result.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        var recorded = _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.ShouldHaveSingleItem().Files.ShouldHaveSingleItem();
        (recorded.Sha256, recorded.Bytes, recorded.Rows).ShouldBe((result.Sha256, bytes.LongLength, 60_000L));
    }

    [Fact]
    public void Run_ABadLine_IsBadInput_NamingLineAndColumn_AndCreatesNoStore()
    {
        var file = _app.WriteText("timestamp,team,metric,value\n2026-10-03T10:00:00Z,nlp,gpu_hours,5\n2026-10-03T11:00:00Z,vision,gpu_hours,-2\n", "negative.csv");

        var error = Should.Throw<UserInputException>(() => UseCase.Run(new ImportUsageRequest { Path = file }));

        error.Message.ShouldContain("negative.csv: line 3, column 4");
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Run_AFileThatIsNotThere_IsBadInput_NamingItAsWritten()
    {
        Should.Throw<UserInputException>(() => UseCase.Run(new ImportUsageRequest { Path = "nope.csv" })).Message.ShouldBe("Usage file 'nope.csv' does not exist.");
    }

    [Fact]
    public void Run_AFileRewrittenBetweenItsTwoReadings_IsRefused_AndImportsNothing()
    {
        // The store is opened after the first reading (validated, counted, fingerprinted) and before the second (imported):
        // a file still being written by its exporter then, one more line at its end, reads differently the second time.
        using var app = new AppHarness(services => services.AddSingleton<ICostStoreFactory>(provider =>
            new RewritingFactory(new CostStoreFactory(provider.GetRequiredService<Hosting.ModelMeterEnvironment>()))));
        var file = app.WriteText("timestamp,team,metric,value\n2026-10-03T10:00:00Z,nlp,gpu_hours,5\n", "growing.csv");
        RewritingFactory.OnOpen = () => File.AppendAllText(app.Temp.File(file), "2026-10-03T11:00:00Z,vision,gpu_hours,2\n");

        var error = Should.Throw<UserInputException>(() => app.Get<ImportUsageUseCase>().Run(new ImportUsageRequest { Path = file }));

        error.Message.ShouldBe("growing.csv changed while it was being imported; nothing was imported. Import it again once it is complete.");
        RewritingFactory.OnOpen = null;
        app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.ShouldBeEmpty();
        app.Get<ImportUsageUseCase>().Run(new ImportUsageRequest { Path = file }).Samples.ShouldBe(2);
    }

    /// <summary>A store factory that runs <see cref="OnOpen"/> each time a store is opened.</summary>
    private sealed class RewritingFactory(ICostStoreFactory inner) : ICostStoreFactory
    {
        public static Action? OnOpen { get; set; }

        public StoreLocation Locate(ModelMeterConfig config, string? storeOption) => inner.Locate(config, storeOption);

        public bool Exists(StoreLocation location) => inner.Exists(location);

        public ICostStore Open(StoreLocation location, StoreAccess access)
        {
            OnOpen?.Invoke();
            return inner.Open(location, access);
        }

        public void Discard(StoreLocation location) => inner.Discard(location);
    }
}
