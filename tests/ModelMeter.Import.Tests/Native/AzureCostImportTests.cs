using System.Text;
using ModelMeter.Core.Errors;
using ModelMeter.Import.AzureCost;
using ModelMeter.Import.Tests.Focus;
using ModelMeter.Tests.Support;
using static ModelMeter.Import.Tests.Native.ExportReads;

namespace ModelMeter.Import.Tests.Native;

public sealed class AzureCostImportTests : IDisposable
{
    private const string Reservation = "/providers/Microsoft.Capacity/reservationOrders/ro-1111/reservations/r-2222";

    private readonly TempDirectory _temp = new();
    private readonly CapturingSink _sink = new();

    public void Dispose() => _temp.Dispose();

    private static AzureCostFormat Azure => AzureCostFormat.Instance;

    [Fact]
    public void EaAmortized_EffectiveCostIsTheCostInBillingCurrency_AndCoveredUsageIsNotBilledAgain()
    {
        var report = Read(Azure, _sink, ExportFixtures.PathOf(ExportFixtures.AzureEaAmortized));

        report.Rows.ProblemCount.ShouldBe(0);
        var file = report.Files.Single();
        (file.Format, file.Dataset).ShouldBe(("EA (CostInBillingCurrency, BillingCurrencyCode)", "amortized"));
        var rows = _sink.Rows;
        // The 28-decimal amortized cost 6.5432109876543210987654321098 is kept to the store's 18 places, half to even.
        rows.Select(r => r.Number("EffectiveCost")!.Value).ShouldBe([20.00m, 6.543210987654321099m, 1.20m, 3.30m, 0.75m, -2.00m, 0.90m, -1.00m]);
        // Reserved usage and the unused reservation were paid by the purchase (not in an amortized export): not billed again.
        rows.Select(r => r.Number("BilledCost")!.Value).ShouldBe([20.00m, 0m, 0m, 3.30m, 0.75m, -2.00m, 0.90m, -1.00m]);
        rows.Select(r => r.Text("ChargeCategory")).ShouldBe(["Usage", "Usage", "Usage", "Usage", "Usage", "Purchase", "Tax", "Credit"]);
        rows[5].Text("ChargeClass").ShouldBe("Correction"); // the refund
        var total = report.ProviderTotals.ShouldHaveSingleItem();
        (total.Column, total.Amount).ShouldBe(("EffectiveCost", 29.693210987654321099m));
        report.Rounding.Values.ShouldBe(1);
        report.Rounding.Columns.ShouldBe(["EffectiveCost"]);
        report.Rounding.LargestChange.ShouldBe(0.0000000000000000002345678902m);
        report.Rounding.EffectiveCostChange["USD"].ShouldBe(0.0000000000000000002345678902m);
        report.Notes.ShouldContain(n => n.StartsWith("azure-ea-amortized-2026-10.csv is an amortized export", StringComparison.Ordinal));
    }

    [Fact]
    public void EaAmortized_ReadsItsDatesTagsAndCommitments()
    {
        Read(Azure, _sink, ExportFixtures.PathOf(ExportFixtures.AzureEaAmortized));
        var rows = _sink.Rows;

        // 10/2/2026, 10/04/2026, 2026-10-04, 2026-10-10, 2026-10-11 00:00:00, 10/12/2026: each a UTC day.
        rows.Take(6).Select(r => r.Timestamp("ChargePeriodStart")).ShouldBe([
            Utc("2026-10-02"), Utc("2026-10-04"), Utc("2026-10-04"), Utc("2026-10-10"), Utc("2026-10-11"), Utc("2026-10-12")]);
        rows[0].Timestamp("ChargePeriodEnd").ShouldBe(Utc("2026-10-03"));
        // BillingPeriodEndDate 10/31/2026 is the period's last day: FOCUS's exclusive end is 1 November.
        rows.ShouldAllBe(r => r.Timestamp("BillingPeriodStart") == Utc("2026-10-01") && r.Timestamp("BillingPeriodEnd") == Utc("2026-11-01"));
        // EA writes tags without their outer braces.
        rows[0].Pairs("Tags").ShouldBe([("team", "nlp"), ("env", "prod")]);
        rows[0].Tag("environment").ShouldBe("prod");
        rows[3].Pairs("Tags").ShouldBe([("team", "recsys"), ("model", "ranker")]);
        rows[2].Pairs("Tags").ShouldBeEmpty();

        var first = rows[0];
        (first.Text("BillingAccountId"), first.Text("SubAccountName"), first.Text("ProviderName")).ShouldBe(("8611537", "ml-prod", "Microsoft"));
        (first.Text("ServiceName"), first.Text("ServiceCategory")).ShouldBe(("Virtual Machines", "Compute"));
        (first.Text("RegionName"), first.Text("RegionId")).ShouldBe(("US East", "useast"));
        (first.Text("ResourceName"), first.Text("ResourceType")).ShouldBe(("nlp-train-1", "Microsoft.Compute/virtualMachines"));
        (first.Number("PricingQuantity"), first.Text("PricingUnit"), first.Number("ContractedCost")).ShouldBe((24m, "Hour", 19.9999999992m));
        first.Number("ListUnitPrice").ShouldBe(0.90m);
        // EA has no PaygCostInBillingCurrency: ListCost is PayGPrice x Quantity, and the cost itself where there is no price.
        rows.Select(r => r.Number("ListCost")!.Value).ShouldBe([21.60m, 73.44m, 1.20m, 3.30m, 0.78m, -2.00m, 0.90m, -1.00m]);
        first.Text("PricingCategory").ShouldBe("Standard");
        first.Text("ChargeFrequency").ShouldBe("Usage-Based");
        rows[3].Text("ServiceCategory").ShouldBe("AI and Machine Learning");

        var reserved = rows[1];
        (reserved.Text("CommitmentDiscountId"), reserved.Text("CommitmentDiscountType"), reserved.Text("CommitmentDiscountCategory"), reserved.Text("CommitmentDiscountStatus"))
            .ShouldBe((Reservation, "Reservation", "Usage", "Used"));
        reserved.Text("PricingCategory").ShouldBe("Committed");
        rows[2].Text("CommitmentDiscountStatus").ShouldBe("Unused");
        rows[2].Number("ConsumedQuantity").ShouldBeNull();
    }

    [Fact]
    public void McaActual_BilledCostIsTheCost_AndTheSavingsPlanPurchaseIsNotAnEffectiveCost()
    {
        var report = Read(Azure, _sink, ExportFixtures.PathOf(ExportFixtures.AzureMcaActual));

        report.Rows.ProblemCount.ShouldBe(0);
        (report.Files.Single().Format, report.Files.Single().Dataset).ShouldBe(("MCA (costInBillingCurrency, billingCurrency)", "actual"));
        var rows = _sink.Rows;
        rows.Select(r => r.Number("BilledCost")!.Value).ShouldBe([100.00m, 0m, 2.304m, -10.00m, 1.00m]);
        rows.Select(r => r.Number("EffectiveCost")!.Value).ShouldBe([0m, 0m, 2.304m, 0m, 1.00m]);
        rows[0].Text("BillingAccountId").ShouldBe("ABCD-EFGH-IJK-LMN"); // MCA: the billing profile, as the toolkit maps it
        (rows[0].Text("CommitmentDiscountType"), rows[0].Text("CommitmentDiscountCategory"), rows[0].Text("CommitmentDiscountStatus")).ShouldBe(("Savings Plan", "Spend", null));
        rows[0].Text("ChargeFrequency").ShouldBe("Recurring");
        rows[1].Number("ListCost").ShouldBe(4.61m);
        rows[1].Text("SkuId").ShouldBe("DZH318Z0BQ4K");
        // 100.00 + 0 + 2.304 - 10.00 + 1.00
        var total = report.ProviderTotals.ShouldHaveSingleItem();
        (total.Column, total.Amount).ShouldBe(("BilledCost", 93.304m));
        report.Notes.ShouldContain(n => n.Contains("is an actual-cost export: its reservation and savings plan purchases (90.00 USD) are in BilledCost", StringComparison.Ordinal));
    }

    [Fact]
    public void LegacyExport_WithPreTaxCostAndNoBillingPeriod_IsBilledInTheCalendarMonth()
    {
        var file = Write("legacy.csv", """
            DepartmentName,AccountName,SubscriptionGuid,SubscriptionName,ResourceGroup,ResourceLocation,UsageDateTime,ProductName,MeterCategory,MeterName,UnitOfMeasure,UsageQuantity,ResourceRate,PreTaxCost,ConsumedService,InstanceId,Tags,Currency
            ML,ml,aaaa-bbbb,ml-old,rg,EU West,2019-05-03T00:00:00.0000000Z,VM D2,Virtual Machines,D2 v3,1 Hour,24,0.1,2.4,Microsoft.Compute,/subscriptions/aaaa-bbbb/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/old-1,"{""team"": ""nlp""}",EUR
            """);

        var report = Read(Azure, _sink, file);

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.Single().Format.ShouldBe("legacy (PreTaxCost, Currency)");
        var row = _sink.Rows.Single();
        (row.Number("BilledCost"), row.Number("EffectiveCost"), row.Text("BillingCurrency")).ShouldBe((2.4m, 2.4m, "EUR"));
        (row.Timestamp("BillingPeriodStart"), row.Timestamp("BillingPeriodEnd")).ShouldBe((Utc("2019-05-01"), Utc("2019-06-01")));
        row.Text("BillingAccountId").ShouldBe("aaaa-bbbb"); // no billing account in a legacy export: the subscription stands in
        row.Text("ChargeCategory").ShouldBe("Usage");
        row.Tag("team").ShouldBe("nlp");
    }

    [Fact]
    public void LocalisedHeaders_WithTheEnglishNameInParentheses_AreRead_InAnyCase()
    {
        var file = Write("de.csv", """"
            Abrechnungskonto-ID (BillingAccountId),Datum (Date),Kosten (Cost),Abrechnungswährung (BillingCurrency),Gebührentyp (ChargeType),Zählerkategorie (MeterCategory),Tags (TAGS)
            8611537,09/04/2023,"1.81E-8",EUR,Usage,Storage,"""team"": ""vision"""
            """");

        var report = Read(Azure, _sink, file);

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.Single().Format.ShouldBe("EA (Cost, BillingCurrency)");
        var row = _sink.Rows.Single();
        (row.Number("BilledCost"), row.Text("BillingCurrency"), row.Timestamp("ChargePeriodStart")).ShouldBe((0.0000000181m, "EUR", Utc("2023-09-04")));
        row.Tag("team").ShouldBe("vision");
    }

    [Fact]
    public void LocalisedHeaders_WithoutTheEnglishNames_AreRefused_SayingSo()
    {
        var file = Write("de-only.csv", "Datum,Kosten,Währung\n9/2/2023,1.00,EUR\n");

        var error = Should.Throw<UserInputException>(() => Read(Azure, _sink, file));

        error.Message.ShouldStartWith("de-only.csv: line 1: this is not an Azure cost export: 3 columns CostInBillingCurrency (EA), Cost (newer EA)");
        error.Message.ShouldContain("The header is in another language: export with English column names");
    }

    [Fact]
    public void ADayMonthYearDate_IsRefused_NamingTheOrder()
    {
        var file = Write("dmy.csv", "BillingAccountId,Date,CostInBillingCurrency,BillingCurrencyCode\n1,25/09/2023,1.00,USD\n");

        var report = Read(Azure, _sink, file);

        report.Rows.Problems.ShouldHaveSingleItem().ToString()
            .ShouldBe("dmy.csv: line 2, column 2 (Date): '25/09/2023' is a day/month/year date; Azure cost exports write month/day/year (9/2/2023 is 2 September): export with the English (United States) format or ISO dates");
    }

    [Fact]
    public void AFileMixingActualAndAmortizedRows_IsRefused_ForTheFile()
    {
        var file = Write("mixed.csv", """
            BillingAccountId,Date,CostInBillingCurrency,BillingCurrencyCode,ChargeType,PricingModel,BenefitId
            1,10/1/2026,100.00,USD,Purchase,Reservation,/providers/Microsoft.Capacity/reservationOrders/o/reservations/r
            1,10/1/2026,3.00,USD,Usage,Reservation,/providers/Microsoft.Capacity/reservationOrders/o/reservations/r
            """);

        var report = Read(Azure, _sink, file);

        report.FileRefusals.ShouldHaveSingleItem().ShouldStartWith("mixed.csv mixes actual-cost rows (1 reservation or savings plan purchases with a cost) and amortized rows");
        report.ProviderTotals.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("9/2/2023", "2023-09-02")]
    [InlineData("09/04/2023", "2023-09-04")]
    [InlineData("2023-09-02", "2023-09-02")]
    [InlineData("2023-09-02T00:00:00.0000000Z", "2023-09-02")]
    [InlineData("2023-09-02 00:00:00", "2023-09-02")]
    [InlineData("9/2/2023 12:00:00 AM", "2023-09-02")]
    [InlineData("12/31/2023", "2023-12-31")]
    public void Dates_InEveryFormAzureWrites_AreTheirDay(string text, string day)
    {
        AzureDates.TryParse(text, out var parsed).ShouldBeNull();
        parsed.ShouldBe(Utc(day));
        parsed.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Theory]
    [InlineData("2/30/2023", "is not a valid date (month/day/year)")]
    [InlineData("9-2-2023", "is not a date such as 9/2/2023 (month/day/year) or 2023-09-02")]
    [InlineData("9/2/23", "is not a date such as 9/2/2023 (month/day/year) or 2023-09-02")]
    [InlineData("9/2/2023 3:00:00 PM", "has a time of day; Azure cost exports give one row per day, so the time must be midnight (12:00:00 AM)")]
    public void Dates_ThatAreNotAzuresDays_AreRefused(string text, string message) =>
        AzureDates.TryParse(text, out _).ShouldBe(message);

    [Theory]
    [InlineData("Kosten (Cost)", "Cost")]
    [InlineData("\uFEFFBillingAccountId", "BillingAccountId")]
    [InlineData("costInBillingCurrency", "costInBillingCurrency")]
    [InlineData("Coût (devise de facturation) (CostInBillingCurrency)", "CostInBillingCurrency")]
    [InlineData("Name (with spaces)", "Name (with spaces)")]
    public void Headers_StandForTheirEnglishName(string header, string name) => AzureHeaders.Normalize(header).ShouldBe(name);

    private string Write(string name, string text)
    {
        var path = _temp.File(name);
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", new UTF8Encoding(false));
        return path;
    }
}
