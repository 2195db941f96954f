using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Billing;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Imports;

/// <summary>
/// <c>import costs</c>: costs outside the cloud bill become line items of provider <c>internal</c> that every report
/// counts; a bad line is refused with its line and column; a month imported again replaces the month.
/// </summary>
public sealed class ImportCostsUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private ImportBillingExportResult Import(string path, bool amortise = false) =>
        _app.Get<ImportCostsUseCase>().Run(new ImportCostsRequest { Import = new ImportBillingExportRequest { Paths = [path] }, Amortise = amortise });

    private CostReport Report(string by, string? grain = null, params string[] where) =>
        _app.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Month = "2026-10", By = by, Grain = grain, Where = where } });

    private static Dictionary<string, decimal> ByFirst(CostReport report) => report.Rows.ToDictionary(r => r.Values[0], r => r.Cost, StringComparer.Ordinal);

    [Fact]
    public void TheTemplate_WithEveryCategory_ImportsAsInternalLineItems_CountedByCategoryAndProvider()
    {
        var file = _app.WriteText(InternalCosts.Template, "costs.csv");

        var result = Import(file);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.Kind.ShouldBe("costs");
        result.RowsValid.ShouldBe(6);
        result.Providers.ShouldBe(["internal"]);
        result.RowsWithFindings.ShouldBe(0);
        ByFirst(Report("category")).ShouldBe(new Dictionary<string, decimal>
        {
            ["personnel"] = 42000m, ["data_labelling"] = 3150m, ["data_acquisition"] = 1800m, ["licences"] = 2400m, ["on_prem"] = 5200m, ["monitoring"] = 900m,
        }, ignoreOrder: true);
        ByFirst(Report("ProviderName")).ShouldBe(new Dictionary<string, decimal> { ["internal"] = 55450m });
        // Every other column is a dimension, read through the tag policy as tags are.
        ByFirst(Report("tag:team")).ShouldBe(new Dictionary<string, decimal> { ["search"] = 46950m, ["platform"] = 8500m }, ignoreOrder: true);
        ByFirst(Report("tag:team", where: "category=personnel")).ShouldBe(new Dictionary<string, decimal> { ["search"] = 42000m });
    }

    [Fact]
    public void Amortised_AMonthsCostIsSpreadOverItsDays_ToTheCent_AndAddsUpExactly()
    {
        var file = _app.WriteText(InternalCosts.Template, "costs.csv");

        var result = Import(file, amortise: true);

        // personnel, licences, on_prem, monitoring: 31 days each; data_acquisition 31 days (1 to 31 October); labelling 1 day.
        result.RowsValid.ShouldBe((5 * 31) + 1);
        var days = Report("category", "day", "category=personnel").Rows;
        days.Count.ShouldBe(31);
        days.Sum(d => d.Cost).ShouldBe(42000m);
        // 4,200,000 cents over 31 days: 135,483 each and 27 left over, one to each of the first 27 days.
        days.Single(d => d.Period == "2026-10-01").Cost.ShouldBe(1354.84m);
        days.Single(d => d.Period == "2026-10-31").Cost.ShouldBe(1354.83m);
        ByFirst(Report("ProviderName"))["internal"].ShouldBe(55450m);
    }

    [Fact]
    public void ABadLine_IsRefusedWithItsLineAndColumn_AndNothingIsImported()
    {
        var file = _app.WriteText(
            "date,period,amount,currency,category,description,team\n" +
            "2026-10-02,,100.00,USD,personnel,ok,search\n" +
            "2026-10-03,,12.5O,USD,licences,bad,search\n" +
            ",2026-13,10.00,USD,licences,bad month,search\n" +
            "2026-10-04,,10.00,USD,Data Labelling!,bad category,search\n", "bad.csv");

        var result = Import(file);

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.Problems.ShouldContain(p => p.Line == 3 && p.Column == 3);
        result.Problems.ShouldContain(p => p.Line == 4 && p.Column == 2 && p.Message.Contains("2026-10", StringComparison.Ordinal));
        result.Problems.ShouldContain(p => p.Line == 5 && p.Column == 5);
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void ReImportingAMonth_ReplacesIt_AndLeavesOtherMonthsAlone()
    {
        Import(_app.WriteText("period,amount,currency,category,team\n2026-09,1000,USD,personnel,search\n2026-10,42000,USD,personnel,search\n", "first.csv"));

        var second = Import(_app.WriteText("period,amount,currency,category,team\n2026-10,40000,USD,personnel,search\n", "second.csv"));

        second.ReplacedRows.ShouldBe(1);
        ByFirst(Report("category"))["personnel"].ShouldBe(40000m);
        var september = _app.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Month = "2026-09", By = "category" } });
        september.Totals["USD"].ShouldBe(1000m);
    }

    [Fact]
    public void AHeaderWithoutAmountOrDays_IsRefusedNamingTheMissingColumns()
    {
        var file = _app.WriteText("description,currency,category\nx,USD,personnel\n", "nohead.csv");

        var error = Should.Throw<Core.Errors.UserInputException>(() => Import(file));

        error.Message.ShouldContain("amount");
        error.Message.ShouldContain("date (or period, or start and end)");
    }
}
