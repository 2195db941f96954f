using ModelMeter.Application.Imports;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Errors;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Imports;

/// <summary>
/// <c>import aws-cur</c>, <c>import gcp-billing</c> and <c>import azure-cost</c> through their use cases: each month's
/// total after import equals what the provider's documented rule makes of the same file, and the FOCUS import's rules
/// (all-or-nothing, restated periods replaced, duplicates recognised, dry runs) hold.
/// </summary>
public sealed class ImportBillingExportUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private string Copy(string fixture, string? saveAs = null) => ExportFixtures.CopyTo(_app.Temp.Path, fixture, saveAs);

    private ImportBillingExportResult ImportAws(params string[] paths) => _app.Get<ImportAwsCurUseCase>().Run(new ImportBillingExportRequest { Paths = paths });

    private ImportBillingExportResult ImportGcp(params string[] paths) => _app.Get<ImportGcpBillingUseCase>().Run(new ImportBillingExportRequest { Paths = paths });

    private ImportBillingExportResult ImportAzure(params string[] paths) => _app.Get<ImportAzureCostUseCase>().Run(new ImportBillingExportRequest { Paths = paths });

    private CostReport Report(string by = "", string cost = "effective") =>
        _app.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Month = "2026-10", By = by.Length == 0 ? null : by, Cost = cost } });

    [Fact]
    public void AwsCur_TheMonthsBilledCostIsTheInvoice_UnblendedCostPlusCreditsAndTax()
    {
        var file = Copy(ExportFixtures.AwsCur2);

        var result = ImportAws(file);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        result.Kind.ShouldBe("aws-cur");
        result.Mapping.ShouldBe("aws-cur/1");
        // Worked by hand: 3.06 + 12.00 - 12.00 + 10.00 + 0.0000000181 + 0 + 5.00 + 100.00 - 5.00 + 1.25 - 0.50.
        ProviderRules.AwsInvoice(file).ShouldBe(113.8100000181m);
        Report(cost: "billed").Totals["USD"].ShouldBe(ProviderRules.AwsInvoice(file));
        // Amortised: the savings plan at 7.20 + 2.80 unused, the reservation at 4.00 + 1.00 unused, its upfront fee spread.
        Report().Totals["USD"].ShouldBe(13.8100000181m);
        var total = result.ProviderTotals.ShouldHaveSingleItem();
        (total.Column, total.Amount, total.Rule).ShouldBe(("BilledCost", 113.8100000181m, "the sum of line_item_unblended_cost over every row (usage, fees, credits, refunds, discounts and tax)"));
    }

    [Fact]
    public void GcpBilling_TheMonthsCostIsCostPlusCredits()
    {
        var file = Copy(ExportFixtures.GcpCsv);

        var result = ImportGcp(file);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        // (10.00 - 1.50) + 4.25 + (8.00 - 3.00) + 3.00 + 1.10 - 0.40 + (0.0000012 - 0.0000012)
        ProviderRules.GcpInvoice(file).ShouldBe(21.45m);
        Report(cost: "billed").Totals["USD"].ShouldBe(ProviderRules.GcpInvoice(file));
        Report().Totals["USD"].ShouldBe(21.45m);
    }

    [Fact]
    public void AzureAmortized_TheMonthsEffectiveCostIsTheCostInBillingCurrency_RoundedOnlyWhereTheStoresScaleForcesIt()
    {
        var file = Copy(ExportFixtures.AzureEaAmortized);

        var result = ImportAzure(file);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        var exact = ProviderRules.AzureCost(file);
        exact.ShouldBe(29.6932109876543210987654321098m);
        var stored = Report().Totals["USD"];
        stored.ShouldBe(29.693210987654321099m);
        // The one 28-decimal cost was rounded half to even to 18 places, and the result says by how much (the sum as written
        // needs 30 digits, more than a decimal holds, so the change is added to it rather than read off the difference).
        result.Rounding.EffectiveCostChange["USD"].ShouldBe(0.0000000000000000002345678902m);
        (exact + result.Rounding.EffectiveCostChange["USD"]).ShouldBe(stored);
        result.Rounding.Values.ShouldBe(1);
        result.Warnings.ShouldContain(w => w.StartsWith("1 value (EffectiveCost) had more than 18 decimal places, the store's scale, and was rounded half to even", StringComparison.Ordinal));
        result.Files.Single().Dataset.ShouldBe("amortized");
    }

    [Fact]
    public void AzureActual_TheMonthsBilledCostIsTheCostInBillingCurrency()
    {
        var file = Copy(ExportFixtures.AzureMcaActual);

        var result = ImportAzure(file);

        result.Outcome.ShouldBe(ImportOutcome.Imported);
        Report(cost: "billed").Totals["USD"].ShouldBe(ProviderRules.AzureCost(file));
        ProviderRules.AzureCost(file).ShouldBe(93.304m);
        // The savings plan purchase (100.00) and its refund (-10.00) are billed, not amortised: EffectiveCost leaves them out.
        Report().Totals["USD"].ShouldBe(3.304m);
        result.Warnings.ShouldContain(w => w.Contains("is an actual-cost export", StringComparison.Ordinal));
    }

    [Fact]
    public void OneReportByTeam_AcrossTheThreeClouds_GivesThePerTeamTotalsWorkedByHand()
    {
        ImportAws(Copy(ExportFixtures.AwsCur2)).Outcome.ShouldBe(ImportOutcome.Imported);
        ImportGcp(Copy(ExportFixtures.GcpJsonLines)).Outcome.ShouldBe(ImportOutcome.Imported);
        ImportAzure(Copy(ExportFixtures.AzureEaAmortized)).Outcome.ShouldBe(ImportOutcome.Imported);

        var report = Report("tag:team");

        // EffectiveCost per team, USD:
        //   nlp      AWS 3.06 + 0.0000000181         GCP 8.50 (+ 0 free tier)     Azure 20.00 + 0.75
        //   vision   AWS 7.20 + 0 (negation)          GCP 4.25                     Azure 6.543210987654321099 (reserved, rounded)
        //   recsys   AWS 4.00 (reservation)           GCP 5.00 (after the CUD)     Azure 3.30
        //   platform                                  GCP 3.00 (commitment fee, the project's label)
        //   untagged AWS 2.80 + 1.00 + 0 - 5.00 + 1.25 - 0.50    GCP 1.10 - 0.40    Azure 1.20 - 2.00 + 0.90 - 1.00
        report.Rows.Select(r => (r.Values[0], r.Cost)).ShouldBe([
            ("nlp", 32.3100000181m),
            ("vision", 17.993210987654321099m),
            ("recsys", 12.30m),
            ("platform", 3.00m),
            ("(untagged)", -0.65m),
        ], ignoreOrder: true);
        // The clouds' own totals, added: 13.8100000181 + 21.45 + 29.693210987654321099.
        report.Totals["USD"].ShouldBe(64.953211005754321099m);
        _app.Get<ReportUseCase>().Run(new ReportRequest { Query = new CostQueryText { Month = "2026-10", By = "ProviderName" } }).Rows
            .Select(r => (r.Values[0], r.Cost)).ShouldBe([("Microsoft", 29.693210987654321099m), ("Google Cloud", 21.45m), ("AWS", 13.8100000181m)]);
    }

    [Fact]
    public void ReimportingAProvidersRestatedMonth_ReplacesIt_AndRecordsTheMapping()
    {
        var first = ImportAws(Copy(ExportFixtures.AwsCur2));
        var restated = Copy(ExportFixtures.AwsCur2, "restated.csv");
        File.WriteAllText(restated, File.ReadAllText(restated).Replace(",1.25,Tax for product", ",2.25,Tax for product", StringComparison.Ordinal));

        var second = ImportAws(restated);

        second.Outcome.ShouldBe(ImportOutcome.Imported);
        second.ReplacedRows.ShouldBe(11);
        Report(cost: "billed").Totals["USD"].ShouldBe(114.8100000181m);
        var imports = _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports;
        imports.Select(i => (i.Kind, i.Mapping, i.SupersededBy)).ShouldBe([("aws-cur", "aws-cur/1", second.ImportId), ("aws-cur", "aws-cur/1", (long?)null)]);
        imports[0].ImportId.ShouldBe(first.ImportId!.Value);
    }

    [Fact]
    public void TheCurOfABill_ReplacesItsFocusExport_OfTheSameAccountAndMonth()
    {
        var focus = _app.Write(new FocusCsv().Row(("BillingAccountId", "111122223333"), ("BilledCost", "500"), ("EffectiveCost", "500")), "focus.csv");
        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [focus] }).Outcome.ShouldBe(ImportOutcome.Imported);

        var cur = ImportAws(Copy(ExportFixtures.AwsCur2));

        cur.ReplacedRows.ShouldBe(1);
        Report(cost: "billed").Totals["USD"].ShouldBe(113.8100000181m);
        _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports[0].SupersededBy.ShouldBe(cur.ImportId);
    }

    [Fact]
    public void ImportingTheSameFileAgain_DoesNothing()
    {
        var file = Copy(ExportFixtures.GcpCsv);
        var first = ImportGcp(file);

        var again = ImportGcp(Copy(ExportFixtures.GcpCsv, "renamed.csv"));

        again.Outcome.ShouldBe(ImportOutcome.AlreadyImported);
        again.ImportId.ShouldBe(first.ImportId);
        _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.ShouldHaveSingleItem();
    }

    [Fact]
    public void DryRun_ReadsAndMapsEverything_AndOpensNoStore()
    {
        var result = _app.Get<ImportAzureCostUseCase>().Run(new ImportBillingExportRequest { Paths = [Copy(ExportFixtures.AzureEaAmortized)], DryRun = true });

        result.Outcome.ShouldBe(ImportOutcome.DryRun);
        result.RowsValid.ShouldBe(8);
        result.Store.ShouldBeNull();
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void ARefusedFile_LeavesNoStore_AndNamesTheProblem()
    {
        var file = _app.WriteText("BillingAccountId,Date,CostInBillingCurrency,BillingCurrencyCode\n1,10/2/2026,abc,USD\n", "bad.csv");

        var result = ImportAzure(file);

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.RefusalReason.ShouldStartWith("1 problem in 1 row; nothing was imported and the store is unchanged.");
        result.Problems.Single().ToString().ShouldBe("bad.csv: line 2, column 3 (CostInBillingCurrency): 'abc' is not a number");
        File.Exists(_app.StorePath).ShouldBeFalse();
    }

    [Fact]
    public void AnAzureFileMixingActualAndAmortizedRows_IsRefused_AndTheStoreIsUnchanged()
    {
        ImportAws(Copy(ExportFixtures.AwsCur2));
        var file = _app.WriteText(
            "BillingAccountId,Date,CostInBillingCurrency,BillingCurrencyCode,ChargeType,PricingModel\n1,10/1/2026,100,USD,Purchase,Reservation\n1,10/1/2026,3,USD,Usage,Reservation\n",
            "mixed.csv");

        var result = ImportAzure(file);

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.RefusalReason!.ShouldContain("mixed.csv mixes actual-cost rows");
        result.RefusalReason.ShouldEndWith("Nothing was imported and the store is unchanged.");
        _app.Get<ImportsUseCase>().Run(new ImportsRequest()).Imports.ShouldHaveSingleItem();
    }

    [Fact]
    public void Strict_RefusesMappedRowsThatBreakFocusRules()
    {
        // The legacy CUR carries no account names: SubAccountName-C-005-C on every row.
        var result = _app.Get<ImportAwsCurUseCase>().Run(new ImportBillingExportRequest { Paths = [Copy(ExportFixtures.AwsLegacyCur)], Strict = true });

        result.Outcome.ShouldBe(ImportOutcome.Refused);
        result.Conformance.Select(c => c.Rule).ShouldBe(["SubAccountName-C-005-C"]);
        result.RefusalReason.ShouldStartWith("--strict: 8 rows break 1 FOCUS rule.");
    }

    [Fact]
    public void AFolderWithNoExportFiles_IsABadInput()
    {
        Directory.CreateDirectory(_app.Temp.File("empty"));

        Should.Throw<UserInputException>(() => ImportGcp("empty")).Message.ShouldContain("holds no .csv, .csv.gz, .parquet, .json");
    }
}
