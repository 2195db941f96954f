using System.Text.Json;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Imports;

public sealed class ImportsUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public void Run_OnAStoreThatDoesNotExist_ListsNoImports_AndDoesNotCreateIt()
    {
        var result = _app.Get<ImportsUseCase>().Run(new ImportsRequest());

        result.Imports.ShouldBeEmpty();
        result.Store.ShouldBe(_app.StorePath);
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void Run_ListsEachImportsProvenance_AsSnakeCaseJson()
    {
        var file = _app.Write(new FocusCsv().Row(("BilledCost", "2.5")).Row(("BilledCost", "1.5")), "oct.csv");
        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [file] }).Outcome.ShouldBe(ImportOutcome.Imported);

        var result = _app.Get<ImportsUseCase>().Run(new ImportsRequest());
        using var json = JsonDocument.Parse(ModelMeterJson.Serialize(result));

        var import = json.RootElement.GetProperty("imports").EnumerateArray().ShouldHaveSingleItem();
        import.GetProperty("import_id").GetInt64().ShouldBe(1);
        import.GetProperty("kind").GetString().ShouldBe("focus");
        import.GetProperty("imported_at").GetString().ShouldBe("2026-11-15T12:00:00Z");
        import.GetProperty("rows").GetInt64().ShouldBe(2);
        import.GetProperty("replaced_rows").GetInt64().ShouldBe(0);
        import.GetProperty("billing_periods")[0].GetString().ShouldBe("2026-10-01..2026-11-01");
        import.GetProperty("billed_totals").GetProperty("USD").GetDecimal().ShouldBe(4m);
        import.GetProperty("superseded_by").ValueKind.ShouldBe(JsonValueKind.Null);
        var stored = import.GetProperty("files").EnumerateArray().ShouldHaveSingleItem();
        stored.GetProperty("path").GetString().ShouldBe(_app.Temp.File(file));
        stored.GetProperty("sha256").GetString()!.Length.ShouldBe(64);
    }
}
