using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;
using ModelMeter.Tests.Support;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>Readable values that break a FOCUS rule are imported as written and reported; unreadable ones still refuse the file.</summary>
public sealed class ConformanceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CapturingSink _sink = new();

    public void Dispose() => _temp.Dispose();

    private FocusImportReport Read(params string[] paths) => FocusImporter.Read(FocusImporter.Inspect(paths), _sink, skipBadRows: false);

    private FocusImportReport Read(FocusCsv csv, string name = "focus.csv") => Read(csv.WriteTo(_temp.File(name)));

    private static ConformanceFinding Finding(FocusImportReport report, string rule) =>
        report.Conformance.SingleOrDefault(f => f.Rule == rule) ?? throw new ShouldAssertException(
            $"no finding {rule}; found {string.Join(", ", report.Conformance.Select(f => $"{f.Rule} x{f.Rows}"))}");

    [Fact]
    public void ImportFocus10ThreeProviderSample_ImportsEveryRow_AndListsItsThreeBrokenRules()
    {
        var path = FocusSampleFixture.CopyTo(_temp.Path);

        var report = Read(path);

        report.ProblemCount.ShouldBe(0, string.Join("\n", report.Problems));
        report.RowsValid.ShouldBe(FocusSampleFixture.Rows);
        _sink.Rows.Count.ShouldBe(FocusSampleFixture.Rows);
        report.Conformance.Select(f => (f.Rule, f.Rows)).ShouldBe(
            [("ContractedCost-C-003-M", 7L), ("ChargeFrequency-C-003-M", 5L), ("PricingCategory-C-004-C", 4L)]);
        report.RowsWithFindings.ShouldBe(16);
        var contracted = Finding(report, "ContractedCost-C-003-M");
        contracted.Columns.ShouldBe(["ContractedCost"]);
        contracted.Message.ShouldBe("ContractedCost MUST NOT be null.");
        contracted.FirstLines.ShouldBe([new(path, 33), new(path, 34), new(path, 35), new(path, 37), new(path, 38)]);
        Finding(report, "ChargeFrequency-C-003-M").FirstLines.Select(l => l.Line).ShouldBe([3L, 5, 7, 9, 11]);
        var pricing = Finding(report, "PricingCategory-C-004-C");
        pricing.Columns.ShouldBe(["PricingCategory", "ChargeCategory", "ChargeClass"]);
        pricing.FirstLines.Select(l => l.Line).ShouldBe([19L, 22, 25, 28]);
    }

    [Fact]
    public void ImportFocus10ThreeProviderSample_KeepsNullsAsNull_AndOddValuesAsWritten()
    {
        Read(FocusSampleFixture.CopyTo(_temp.Path));

        // Data rows start on line 2: Oracle's NULL ContractedCost on line 33 is row 31.
        _sink.Rows[31].Text("ProviderName").ShouldBe("Oracle");
        _sink.Rows[31].Number("ContractedCost").ShouldBeNull();
        _sink.Rows[31].Number("BilledCost").ShouldBe(0.0027419354838600m);
        _sink.Rows[1].Text("ChargeFrequency").ShouldBe("Usage-based");
        _sink.Rows[17].Text("PricingCategory").ShouldBeNull();
        _sink.Rows[17].Text("ProviderName").ShouldBe("Microsoft");
    }

    [Fact]
    public void ImportFocus10ThreeProviderSample_TotalsPerCurrency_EqualAnIndependentSumOfTheFile()
    {
        var report = Read(FocusSampleFixture.CopyTo(_temp.Path));

        report.Totals.Keys.ShouldBe(["EUR", "USD"]);
        foreach (var (currency, billed) in FocusSampleFixture.Sum("BilledCost"))
        {
            report.Totals[currency].Billed.ShouldBe(billed, currency);
        }

        foreach (var (currency, contracted) in FocusSampleFixture.Sum("ContractedCost"))
        {
            report.Totals[currency].Contracted.ShouldBe(contracted, currency);
        }

        report.Totals["EUR"].Effective.ShouldBe(FocusSampleFixture.Sum("EffectiveCost")["EUR"]);
        report.Totals["USD"].List.ShouldBe(FocusSampleFixture.Sum("ListCost")["USD"]);
    }

    [Fact]
    public void ImportFocus10ThreeProviderSample_WithOneUnreadableCost_IsStillRefused()
    {
        var path = FocusSampleFixture.CopyTo(_temp.Path, replace: (36, "BilledCost", "1,204.50"));

        var report = Read(path);

        var problem = report.Problems.Single();
        problem.ToString().ShouldBe("focus10-three-providers.csv: line 36, column 2 (BilledCost): '1,204.50' is not a number: use a dot as the decimal separator and no thousands separators");
        report.RowsRejected.ShouldBe(1);
    }

    public static TheoryData<string, string, string> ReadableButNonConformant => new()
    {
        // column, value as written, the rule it breaks
        { "ContractedCost", "", "ContractedCost-C-003-M" },
        { "EffectiveCost", "null", "EffectiveCost-C-003-M" },
        { "BilledCost", "NULL", "BilledCost-C-003-M" },
        { "ChargeCategory", "", "ChargeCategory-C-002-M" },
        { "ChargeCategory", "Refund", "ChargeCategory-C-003-M" },
        { "ChargeCategory", "usage", "ChargeCategory-C-003-M" },
        { "ChargeClass", "Fix", "ChargeClass-C-005-C" },
        { "ServiceCategory", "Machine Learning", "ServiceCategory-C-003-M" },
        { "ServiceName", "", "ServiceName-C-003-M" },
        { "BillingCurrency", "usd", "BillingCurrency-C-003-M" },
        { "ProviderName", "", "ProviderName-C-003-M" },
        { "InvoiceIssuerName", "", "InvoiceIssuerName-C-003-M" },
        { "PricingQuantity", "", "PricingQuantity-C-005-C" },
        { "PricingUnit", "", "PricingUnit.NotNullForUsageAndPurchase" },
    };

    [Theory]
    [MemberData(nameof(ReadableButNonConformant))]
    public void ImportFocus_ReadableValueBreakingAFocusRule_IsImported_AndReportedWithItsLine(string column, string value, string rule)
    {
        var csv = new FocusCsv().Row().Row((column, value)).Row();

        var report = Read(csv, "odd.csv");

        report.ProblemCount.ShouldBe(0, string.Join("\n", report.Problems));
        report.RowsValid.ShouldBe(3);
        _sink.Rows.Count.ShouldBe(3);
        var finding = report.Conformance.ShouldHaveSingleItem();
        finding.Rule.ShouldBe(rule);
        finding.Columns[0].ShouldBe(column);
        finding.Rows.ShouldBe(1);
        finding.FirstLines.ShouldBe([new SourceLine(_temp.File("odd.csv"), 3)]);
    }

    [Fact]
    public void ImportFocus_CaseVariantsOfValuesReportsGroupBy_AreStoredInFocusSpelling_OthersAsWritten()
    {
        var csv = new FocusCsv().WithColumn("PricingCategory").WithColumn("ChargeFrequency")
            .Row(("ChargeCategory", "usage"), ("PricingCategory", "On-Demand"), ("BillingCurrency", "usd"), ("ChargeFrequency", "usage-based"))
            .Row(("ChargeCategory", "Refund"), ("PricingCategory", "Spot"), ("ChargeFrequency", "Usage-Based"));

        var report = Read(csv);

        _sink.Rows.Select(r => (r.Text("ChargeCategory"), r.Text("PricingCategory"), r.Text("BillingCurrency"), r.Text("ChargeFrequency")))
            .ShouldBe([("Usage", "Standard", "USD", "usage-based"), ("Refund", "Spot", "USD", "Usage-Based")]);
        report.Conformance.Select(f => (f.Rule, f.Rows)).ShouldBe([
            ("ChargeCategory-C-003-M", 2L), ("ChargeFrequency-C-003-M", 1L), ("PricingCategory-C-007-M", 2L), ("BillingCurrency-C-003-M", 1L)]);
        report.ChargeCategories.ShouldBe(new SortedDictionary<string, long> { ["Refund"] = 1, ["Usage"] = 1 });
    }

    [Fact]
    public void ImportFocus_ConditionalRules_FollowChargeCategoryAndChargeClass()
    {
        var csv = new FocusCsv().WithColumn("PricingCategory").WithColumn("ChargeFrequency")
            .Row(("PricingCategory", "Standard"), ("ChargeFrequency", "Usage-Based"))                                   // conformant usage
            .Row(("ChargeCategory", "Tax"), ("PricingCategory", "Standard"), ("PricingQuantity", ""), ("PricingUnit", ""),
                 ("ChargeFrequency", "Recurring"))                                                                        // PricingCategory on tax
            .Row(("ChargeCategory", "Purchase"), ("PricingCategory", "Committed"), ("ChargeFrequency", "Usage-Based"))   // usage-based purchase
            .Row(("ChargeClass", "Correction"), ("PricingCategory", ""), ("PricingQuantity", ""), ("PricingUnit", ""),
                 ("ChargeFrequency", "Usage-Based"))                                                                      // corrections may be null
            .Row(("ChargeCategory", "Credit"), ("PricingCategory", ""), ("ChargeFrequency", "One-Time"))                 // credits may be null
            .Row(("ChargeCategory", "Tax"), ("PricingCategory", ""), ("PricingQuantity", "2"), ("ChargeFrequency", "Recurring"));

        var report = Read(csv);

        report.ProblemCount.ShouldBe(0);
        report.Conformance.Select(f => (f.Rule, f.FirstLines.Single().Line)).ShouldBe([
            ("ChargeFrequency-C-004-C", 4L), ("PricingCategory-C-003-C", 3L), ("PricingQuantity-C-004-C", 7L), ("PricingUnit.NullWhenTax", 7L)]);
    }

    [Fact]
    public void ImportFocus_DependentColumns_AreNullExactlyWhenTheirSubjectIs()
    {
        var csv = new FocusCsv().WithColumn("ResourceType").WithColumn("RegionName").WithColumn("CommitmentDiscountId")
            .WithColumn("CommitmentDiscountCategory").WithColumn("CommitmentDiscountStatus").WithColumn("CommitmentDiscountType")
            .Row(("ResourceType", "Instance"), ("RegionName", "US East"))
            .Row(("ResourceId", ""), ("ResourceType", "Instance"), ("RegionName", "US East"))
            .Row(("ResourceType", ""), ("RegionId", ""), ("RegionName", "US East"))
            .Row(("ResourceType", "Instance"), ("RegionName", "US East"), ("CommitmentDiscountId", "ri-1"),
                 ("CommitmentDiscountCategory", "Usage"), ("CommitmentDiscountStatus", "Used"), ("CommitmentDiscountType", "Reserved Instance"))
            .Row(("ResourceType", "Instance"), ("RegionName", "US East"), ("CommitmentDiscountId", "ri-1"),
                 ("CommitmentDiscountCategory", "usage"), ("CommitmentDiscountStatus", ""), ("CommitmentDiscountType", ""));

        var report = Read(csv);

        report.Conformance.Select(f => (f.Rule, string.Join(' ', f.FirstLines.Select(l => l.Line)))).ShouldBe([
            ("CommitmentDiscountCategory-C-005-M", "6"),
            ("CommitmentDiscountType-C-005-C", "6"),
            ("CommitmentDiscountStatus-C-004-C", "6"),
            ("ResourceType-C-004-C", "3"),
            ("ResourceType-C-005-C", "4"),
            ("RegionName-C-004-C", "4"),
        ]);
    }

    [Fact]
    public void ImportFocus_PeriodEndingAtOrBeforeItsStart_IsImported_AndReported()
    {
        var csv = new FocusCsv()
            .Row(("ChargePeriodStart", "2026-10-01T01:00:00Z"), ("ChargePeriodEnd", "2026-10-01T01:00:00Z"))
            .Row(("BillingPeriodStart", "2026-11-01T00:00:00Z"), ("BillingPeriodEnd", "2026-10-01T00:00:00Z"));

        var report = Read(csv);

        report.ProblemCount.ShouldBe(0);
        _sink.Rows.Count.ShouldBe(2);
        report.Conformance.Select(f => (f.Rule, f.FirstLines.Single().Line)).ShouldBe([("ChargePeriodEnd.AfterStart", 2L), ("BillingPeriodEnd.AfterStart", 3L)]);
    }

    [Fact]
    public void ImportFocus_RulesApplyOnlyToTheVersionsThatStateThem()
    {
        // 1.4 dropped ProviderName and requires ServiceProviderName; 1.0's ServiceProviderName-less file is not held to it.
        var focus14 = new FocusCsv(FocusCsv.Focus10Columns.Except(["ProviderName", "PublisherName"]).Concat(["ServiceProviderName", "HostProviderName"]))
            .Row(("ServiceProviderName", ""), ("HostProviderName", ""));
        var focus10 = new FocusCsv().Row(("PublisherName", ""));

        var report = Read(focus14.WriteTo(_temp.File("v14.csv")), focus10.WriteTo(_temp.File("v10.csv")));

        report.Files.Select(f => f.FocusVersion).ShouldBe(["1.4 or later", "1.0"]);
        report.Conformance.Select(f => (f.Rule, Path.GetFileName(f.FirstLines.Single().File))).ShouldBe([
            ("PublisherName-C-003-M", "v10.csv"), ("ServiceProviderName.NotNull", "v14.csv")]);
    }

    [Fact]
    public void ImportFocus11_ServiceSubcategory_MustBeAllowed_AndBelongToItsServiceCategory()
    {
        var csv = new FocusCsv().WithColumn("ServiceSubcategory")
            .Row(("ServiceCategory", "Compute"), ("ServiceSubcategory", "Virtual Machines"))
            .Row(("ServiceCategory", "Compute"), ("ServiceSubcategory", "Object Storage"))
            .Row(("ServiceCategory", "Compute"), ("ServiceSubcategory", "VMs"))
            .Row(("ServiceCategory", "Compute"), ("ServiceSubcategory", ""));

        var report = Read(csv);

        report.Files.Single().FocusVersion.ShouldBe("1.1");
        report.Conformance.Select(f => (f.Rule, f.FirstLines.Single().Line)).ShouldBe([
            ("ServiceSubcategory-C-002-M", 5L), ("ServiceSubcategory-C-003-M", 4L), ("ServiceSubcategory-C-004-M", 3L)]);
        Finding(report, "ServiceSubcategory-C-004-M").Columns.ShouldBe(["ServiceSubcategory", "ServiceCategory"]);
    }

    [Fact]
    public void ImportFocus_ManyBrokenRows_AreCountedExactly_KeepingTheFirstFiveLines()
    {
        var csv = new FocusCsv().Rows(3).Rows(1200, ("ContractedCost", "NULL")).Rows(2);

        var report = Read(csv);

        var finding = report.Conformance.ShouldHaveSingleItem();
        finding.Rows.ShouldBe(1200);
        finding.FirstLines.Select(l => l.Line).ShouldBe([5L, 6, 7, 8, 9]);
        report.RowsWithFindings.ShouldBe(1200);
        report.RowsValid.ShouldBe(1205);
    }

    [Fact]
    public void RuleTable_HasUniqueIdsPerVersion_AndKnownColumns()
    {
        foreach (var version in new[] { FocusVersions.Focus10, FocusVersions.Focus11, FocusVersions.Focus12, FocusVersions.Focus13, FocusVersions.Focus14 })
        {
            var ids = FocusConformanceRules.All.Where(r => (r.Versions & version) != 0).Select(r => r.Id).ToList();
            ids.ShouldBeUnique(version.ToString());
        }

        foreach (var rule in FocusConformanceRules.All)
        {
            rule.Columns.ShouldAllBe(c => FocusSchema.ByName.ContainsKey(c), rule.Id);
            rule.Versions.ShouldNotBe(FocusVersions.None, rule.Id);
            rule.Text.ShouldContain("MUST", Case.Sensitive, rule.Id);
        }
    }
}
