using ModelMeter.Application.Imports;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Tests.Imports;

public sealed class ImportRatesUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private ImportRatesUseCase UseCase => _app.Get<ImportRatesUseCase>();

    [Fact]
    public void Run_StoresEachRateOnce_AndAReQuoteOfTheSameDayReplacesIt()
    {
        var first = _app.WriteText("date,from,to,rate\n2026-10-01,EUR,USD,1.07\n2026-10-02,EUR,USD,1.08\n2026-10-02,EUR,USD,1.08\n", "rates.csv", bom: true);
        var requote = _app.WriteText("date,from,to,rate\n2026-10-02,EUR,USD,1.09\n", "requote.csv");

        var imported = UseCase.Run(new ImportRatesRequest { Path = first });
        var again = UseCase.Run(new ImportRatesRequest { Path = first });
        var replaced = UseCase.Run(new ImportRatesRequest { Path = requote });

        imported.Outcome.ShouldBe(ImportOutcome.Imported);
        imported.Rates.ShouldBe(2);
        imported.Pairs.ShouldBe(["EUR->USD 2026-10-01..2026-10-02"]);
        imported.Store.ShouldBe(_app.StorePath);
        again.Outcome.ShouldBe(ImportOutcome.AlreadyImported);
        again.ImportId.ShouldBe(imported.ImportId);
        replaced.Outcome.ShouldBe(ImportOutcome.Imported);
        replaced.Replaced.ShouldBe(1);
    }

    [Fact]
    public void Run_AFileWithoutRates_IsBadInput_AndCreatesNoStore()
    {
        var file = _app.WriteText("date,from,to,rate\n", "empty.csv");

        Should.Throw<UserInputException>(() => UseCase.Run(new ImportRatesRequest { Path = file })).Message.ShouldBe("empty.csv: no rates after the header; nothing was imported.");
        File.Exists(_app.StorePath).ShouldBeFalse();
    }
}
