using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// <c>import focus</c> on a FOCUS 1.0 export shaped like the public three-provider sample: non-conformant rows are imported
/// as written and their broken rules listed; <c>--strict</c> refuses them; an unreadable value still refuses the file.
/// </summary>
public sealed class ImportConformanceTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Sample(string name = "focus10-three-providers.csv", (int, string, string)? replace = null)
    {
        FocusSampleFixture.CopyTo(_cli.WorkingDirectory, name, replace);
        return name;
    }

    [Fact]
    public async Task ImportFocus_ThreeProviderSample_ImportsByDefault_ListingEachBrokenRuleWithRowsAndFirstLines()
    {
        var import = await _cli.Run("import", "focus", Sample());

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain($"Imported {FocusSampleFixture.Rows} rows");
        import.Out.ShouldContain("FOCUS conformance: 16 rows break 3 FOCUS rules. The rows were imported as written (--strict refuses them):");
        import.Out.ShouldContain("ContractedCost-C-003-M (ContractedCost): 7 rows, focus10-three-providers.csv: lines 33, 34, 35, 37, 38, ...");
        import.Out.ShouldContain("ContractedCost MUST NOT be null.");
        import.Out.ShouldContain("ChargeFrequency-C-003-M (ChargeFrequency): 5 rows, focus10-three-providers.csv: lines 3, 5, 7, 9, 11");
        import.Out.ShouldContain("PricingCategory-C-004-C (PricingCategory, ChargeCategory, ChargeClass): 4 rows, focus10-three-providers.csv: lines 19, 22, 25, 28");
        import.Err.ShouldNotContain("error");
    }

    [Fact]
    public async Task ImportFocus_ThreeProviderSample_StoresEveryCost_TotalsEqualAnIndependentSumOfTheFile()
    {
        (await _cli.Run("import", "focus", Sample())).ExitCode.ShouldBe(0);

        foreach (var (option, column) in new[] { ("billed", "BilledCost"), ("contracted", "ContractedCost"), ("effective", "EffectiveCost") })
        {
            var report = await _cli.Run("report", "--by", "ProviderName", "--cost", option, "--format", "json");
            report.ExitCode.ShouldBe(0, report.ToString());
            var totals = report.Json().GetProperty("totals");
            foreach (var (currency, expected) in FocusSampleFixture.Sum(column))
            {
                totals.GetProperty(currency).GetDecimal().ShouldBe(expected, $"{column} {currency}");
            }
        }
    }

    [Fact]
    public async Task ImportFocus_Strict_RefusesTheSample_WithExit2_AndLeavesTheStoreUnchanged()
    {
        (await _cli.Run("import", "focus", _cli.Write(Fixtures.Teams(), "seed.csv"))).ExitCode.ShouldBe(0);
        var before = await _cli.StoreSnapshot();

        var import = await _cli.Run("import", "focus", Sample(), "--strict");

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("error: --strict: 16 rows break 3 FOCUS rules. Nothing was imported and the store is unchanged.");
        import.Err.ShouldContain("ContractedCost-C-003-M (ContractedCost): 7 rows");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_SampleWithOneUnreadableCost_IsRefused_NamingLineAndColumn()
    {
        var before = await _cli.StoreSnapshot();

        var import = await _cli.Run("import", "focus", Sample("broken.csv", (36, "BilledCost", "1,204.50")));

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("error: 1 problem in 1 row; nothing was imported and the store is unchanged.");
        import.Err.ShouldContain("broken.csv: line 36, column 2 (BilledCost): '1,204.50' is not a number: use a dot as the decimal separator");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_DryRunAsJson_GivesEachFindingAsATypedRecord()
    {
        var import = await _cli.Run("import", "focus", Sample(), "--dry-run", "--format", "json");

        import.ExitCode.ShouldBe(0, import.ToString());
        var json = import.Json();
        json.GetProperty("outcome").GetString().ShouldBe("dry_run");
        json.GetProperty("rows_with_findings").GetInt64().ShouldBe(16);
        var findings = json.GetProperty("conformance").EnumerateArray().ToList();
        findings.Select(f => f.GetProperty("rule").GetString()).ShouldBe(["ContractedCost-C-003-M", "ChargeFrequency-C-003-M", "PricingCategory-C-004-C"]);
        var pricing = findings[2];
        pricing.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ShouldBe(["PricingCategory", "ChargeCategory", "ChargeClass"]);
        pricing.GetProperty("message").GetString().ShouldBe("PricingCategory MUST NOT be null when ChargeCategory is \"Usage\" or \"Purchase\" and ChargeClass is not \"Correction\".");
        pricing.GetProperty("rows").GetInt64().ShouldBe(4);
        var first = pricing.GetProperty("first_lines")[0];
        first.GetProperty("file").GetString().ShouldEndWith("focus10-three-providers.csv");
        first.GetProperty("line").GetInt64().ShouldBe(19);
    }

    [Fact]
    public async Task ImportFocus_DryRunStrict_RefusesWithExit2()
    {
        var import = await _cli.Run("import", "focus", Sample(), "--dry-run", "--strict");

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("--strict: 16 rows break 3 FOCUS rules.");
    }

    [Fact]
    public async Task ImportFocus_ChargePeriodEndingBeforeItsStart_IsImported_WithAFinding()
    {
        var csv = new FocusCsv().Row(("EffectiveCost", "1000")).Row(("ChargePeriodStart", "2026-10-05T10:00:00Z"), ("ChargePeriodEnd", "2026-10-05T09:00:00Z"));

        var import = await _cli.Run("import", "focus", _cli.Write(csv, "backwards.csv"));

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain("ChargePeriodEnd.AfterStart (ChargePeriodEnd, ChargePeriodStart): 1 row, backwards.csv: line 3");
    }

    [Fact]
    public async Task ImportFocus_Quiet_SummarisesTheFindingsInOneLine()
    {
        var import = await _cli.Run("import", "focus", Sample(), "--quiet");

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain("16 rows break 3 FOCUS rules. Run with --dry-run to list them.");
        import.Out.ShouldNotContain("ContractedCost-C-003-M");
    }
}
