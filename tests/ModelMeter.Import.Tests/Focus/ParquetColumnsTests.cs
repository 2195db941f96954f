using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;
using ModelMeter.Tests.Support;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>
/// A typed Parquet file given to a sink that loads rows by columns is validated in DuckDB and read one row per group of
/// alike rows (ParquetColumns). These tests hold that reading to the row-by-row one of the same file: the same rows,
/// totals, findings and first lines, and where a value is wrong, the same refusal, because such a file is read row by row.
/// </summary>
public sealed class ParquetColumnsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // 480 hourly rows of five resources, interleaved hour by hour as bills are, typed as DuckDB writes them: TIMESTAMP
    // periods, DECIMAL amounts, tags as a MAP. Their descriptions break one FOCUS rule (resource 2's ServiceCategory) and
    // their per-row values others: an end before the start every 11th row, no ContractedCost every 13th, a
    // ConsumedQuantity on the credit (resource 4) every 7th.
    private const string Rows = """
        SELECT 'acct-' || (i % 5 // 3) AS BillingAccountId, 'Acme' AS BillingAccountName,
               TIMESTAMP '2026-10-01' AS BillingPeriodStart, TIMESTAMP '2026-11-01' AS BillingPeriodEnd,
               TIMESTAMP '2026-10-01' + INTERVAL (i // 5) HOUR AS ChargePeriodStart,
               TIMESTAMP '2026-10-01' + INTERVAL (i // 5 + CASE WHEN i % 11 = 0 THEN -1 ELSE 1 END) HOUR AS ChargePeriodEnd,
               'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName, 'Amazon EC2' AS ServiceName,
               CASE WHEN i % 5 = 2 THEN 'Computing' ELSE 'Compute' END AS ServiceCategory,
               CASE WHEN i % 5 = 4 THEN 'Credit' ELSE 'Usage' END AS ChargeCategory, NULL AS ChargeClass,
               'GPU hour of resource ' || (i % 5) AS ChargeDescription, 'i-' || (i % 5) AS ResourceId,
               BILLED AS BilledCost, ((i % 17) * 0.25 + i % 5)::DECIMAL(18,6) AS EffectiveCost,
               ((i % 17) * 0.5 + i % 5)::DECIMAL(38,18) AS ListCost,
               CASE WHEN i % 13 = 0 THEN NULL ELSE ((i % 17) * 0.5 + i % 5)::DECIMAL(18,6) END AS ContractedCost,
               'USD' AS BillingCurrency, 1::INTEGER AS PricingQuantity, 'Hours' AS PricingUnit,
               CASE WHEN i % 5 <> 4 OR i % 7 = 0 THEN 1::DECIMAL(18,6) END AS ConsumedQuantity,
               MAP {'team': 't' || (i % 5)} AS Tags, 'RunInstances' AS x_Operation
        FROM range(0, 480) AS r(i) ORDER BY i
        """;

    private const string DecimalBilled = "((i % 17) * 0.25 + i % 5)::DECIMAL(18,6)";

    [Fact]
    public void ATypedParquetFile_IsReadByColumns_WithTheRowsTotalsAndFindingsOfTheRowByRowReading()
    {
        // Given a typed Parquet file
        var parquet = Write("rows.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal));

        // When a sink that loads by columns reads it, and a sink that takes rows one by one reads it
        var (columns, byColumns) = Read(new ColumnarSink(), parquet);
        var byRows = new CapturingSink();
        var byRowsReport = FocusImporter.Read(FocusImporter.Inspect([parquet]), byRows, skipBadRows: false);

        // Then the first got the file in one load and no row one by one
        columns.Calls.ShouldBe(["facts 480"]);

        // And the same rows (the load's order is the store's to choose)
        columns.Rows.Select(r => r.AllValues()).Order().ShouldBe(byRows.Rows.Select(r => r.AllValues()).Order());

        // And the same report: totals of every cost column, categories, periods, accounts and the findings with their rows
        byColumns.ProblemCount.ShouldBe(0);
        (byColumns.RowsRead, byColumns.RowsValid, byColumns.Files.Single().Rows).ShouldBe((480L, 480L, 480L));
        Totals(byColumns).ShouldBe(Totals(byRowsReport));
        byColumns.ChargeCategories.ShouldBe(byRowsReport.ChargeCategories);
        byColumns.BillingPeriods.ShouldBe(byRowsReport.BillingPeriods);
        byColumns.BillingAccounts.ShouldBe(byRowsReport.BillingAccounts);
        (byColumns.FirstChargeStart, byColumns.LastChargeEnd).ShouldBe((byRowsReport.FirstChargeStart, byRowsReport.LastChargeEnd));
        byColumns.RowsWithFindings.ShouldBe(byRowsReport.RowsWithFindings);
        Findings(byColumns).ShouldBe(Findings(byRowsReport));
        Findings(byColumns).ShouldContain("ServiceCategory-C-003-M: 96 rows, first 3, 8, 13, 18, 23");
        Findings(byColumns).ShouldContain("ContractedCost-C-003-M: 37 rows, first 1, 14, 27, 40, 53");
        Findings(byColumns).ShouldContain(f => f.StartsWith("ChargePeriodEnd.AfterStart: 44 rows, first 1, 12, 23, 34, 45", StringComparison.Ordinal));
        byColumns.Files.Single().FirstRow.ShouldBe(byRowsReport.Files.Single().FirstRow);
    }

    [Fact]
    public void TagsThatFollowTheResource_AreNotReadByTheLoad_WhichFindsEachRowsDescriptionByTheRest()
    {
        // Given a typed file whose MAP of tags is the same for every row of a resource
        var parquet = Write("rows.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal));

        // When it is read by columns
        var (columns, _) = Read(new ColumnarSink(), parquet);

        // Then the load's query does not read the tags: the other described columns tell the descriptions apart
        columns.Selects.Single().ShouldNotContain("\"Tags\"");
        columns.Selects.Single().ShouldContain("\"ResourceId\"");
    }

    [Fact]
    public void TagsThatChangeWithinAResource_AreReadByTheLoad_AndEachRowKeepsItsOwn()
    {
        // Given a typed file in which resource 1 gains a tag halfway through: two descriptions alike but for their tags
        var parquet = Write("retagged.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal)
            .Replace("MAP {'team': 't' || (i % 5)} AS Tags", "CASE WHEN i % 5 = 1 AND i >= 240 THEN MAP {'team': 't1', 'model': 'm1'} ELSE MAP {'team': 't' || (i % 5)} END AS Tags", StringComparison.Ordinal));

        // When it is read by columns and row by row
        var (columns, byColumns) = Read(new ColumnarSink(), parquet);
        var byRows = new CapturingSink();
        var byRowsReport = FocusImporter.Read(FocusImporter.Inspect([parquet]), byRows, skipBadRows: false);

        // Then it is still one load, which reads the tags to tell the two apart, and every row has its own tags
        columns.Calls.ShouldBe(["facts 480"]);
        columns.Selects.Single().ShouldContain("hash(\"Tags\")");
        columns.Rows.Select(r => r.AllValues()).Order().ShouldBe(byRows.Rows.Select(r => r.AllValues()).Order());
        columns.Rows.Count(r => r.AllValues().Contains("m1", StringComparison.Ordinal)).ShouldBe(48);
        Totals(byColumns).ShouldBe(Totals(byRowsReport));
    }

    [Fact]
    public void AFileOfThousandsOfDescriptions_IsReadByColumns_WithTheRowsOfTheRowByRowReading()
    {
        // Given 3,000 rows of 3,000 resources: more groups than the first rows named to DuckDB one by one (2,048)
        var parquet = Write("resources.parquet", Rows
            .Replace("BILLED", DecimalBilled, StringComparison.Ordinal)
            .Replace("'i-' || (i % 5) AS ResourceId", "'i-' || i AS ResourceId", StringComparison.Ordinal)
            .Replace("range(0, 480)", "range(0, 3000)", StringComparison.Ordinal));

        // When it is read by columns and row by row
        var (columns, byColumns) = Read(new ColumnarSink(), parquet);
        var byRows = new CapturingSink();
        var byRowsReport = FocusImporter.Read(FocusImporter.Inspect([parquet]), byRows, skipBadRows: false);

        // Then one load of every row, each described as the row path describes it
        columns.Calls.ShouldBe(["facts 3000"]);
        columns.Rows.Select(r => r.AllValues()).Order().ShouldBe(byRows.Rows.Select(r => r.AllValues()).Order());
        Totals(byColumns).ShouldBe(Totals(byRowsReport));
        Findings(byColumns).ShouldBe(Findings(byRowsReport));
    }

    [Fact]
    public void DoubleAmounts_ReadByColumns_AreTheShortestTextsTheRowByRowReadingParses()
    {
        // Given DOUBLE amounts that a decimal of 9 places holds, that only their 16 or 17 digits hold, and from 10^6 up
        var values = "[0.1, 0.1::DOUBLE + 0.2::DOUBLE, 1.0 / 3, 2.0 / 3 * 1e5, 123456.789012345, 999999.999999999, 1234567.125, 98765432.1, -2.5, 0, -0.0, 0.000123]";
        // (BilledCost), and DOUBLE list costs that every row's decimal of 9 places holds
        var parquet = Write("doubles.parquet", Rows.Replace("BILLED", $"({values}::DOUBLE[])[i % 12 + 1]", StringComparison.Ordinal)
            .Replace("((i % 17) * 0.5 + i % 5)::DECIMAL(38,18) AS ListCost", "((i % 17) * 0.25::DOUBLE + (i % 5) / 8) AS ListCost", StringComparison.Ordinal));

        // When both sinks read it
        var (columns, byColumns) = Read(new ColumnarSink(), parquet);
        var byRows = new CapturingSink();
        var byRowsReport = FocusImporter.Read(FocusImporter.Inspect([parquet]), byRows, skipBadRows: false);

        // Then it was read by columns, to the same amounts, digit for digit
        columns.Calls.ShouldBe(["facts 480"]);
        columns.Rows.Select(r => r.AllValues()).Order().ShouldBe(byRows.Rows.Select(r => r.AllValues()).Order());
        columns.Rows.Select(r => r.Number("BilledCost")).ShouldContain(0.30000000000000004m);
        columns.Rows.Select(r => r.Number("BilledCost")).ShouldContain(0.3333333333333333m);
        byColumns.Totals["USD"].BilledText.ShouldBe(byRowsReport.Totals["USD"].BilledText);
        Totals(byColumns).ShouldBe(Totals(byRowsReport));

        // And the load converted the list costs without the checks (every row held), the billed costs with them
        columns.Selects.Single().ShouldContain("CAST(TRY_CAST(\"ListCost\" AS DECIMAL(18,9)) AS DECIMAL(38,18)) AS \"ListCost\"");
        columns.Selects.Single().ShouldNotContain("CAST(TRY_CAST(\"BilledCost\" AS DECIMAL(18,9)) AS DECIMAL(38,18)) AS \"BilledCost\"");
    }

    [Theory]
    [InlineData("0.0000166667", true)]
    [InlineData("0.0096774194", true)]
    [InlineData("1.0000000001", false)]
    public void DoubleUnitPrices_FinerThanNinePlaces_AreLoadedByTheFinePathBelowOne_AndCheckedAboveIt(string finer, bool fine)
    {
        // Given DOUBLE unit prices of at most two places, and every 7th row one of ten places (below 1, or above it; DuckDB
        // renders the first with an exponent, 1.66667e-05, which the row path reads as 0.0000166667)
        var parquet = Write("prices.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal)
            .Replace("AS x_Operation", $"AS x_Operation, CASE WHEN i % 7 = 0 THEN {finer} ELSE (i % 17) * 0.25 END::DOUBLE AS ListUnitPrice", StringComparison.Ordinal));

        // When both sinks read it
        var (columns, _) = Read(new ColumnarSink(), parquet);
        var byRows = new CapturingSink();
        FocusImporter.Read(FocusImporter.Inspect([parquet]), byRows, skipBadRows: false);

        // Then it was read by columns, to the same prices digit for digit
        columns.Calls.ShouldBe(["facts 480"]);
        columns.Rows.Select(r => r.AllValues()).Order().ShouldBe(byRows.Rows.Select(r => r.AllValues()).Order());
        columns.Rows.Select(r => r.Number("ListUnitPrice")).ShouldContain(decimal.Parse(finer, System.Globalization.CultureInfo.InvariantCulture));

        // And the load took the finer path without checks below 1, and checked every price when one above 1 is finer
        const string FineValue = "CASE WHEN abs(\"ListUnitPrice\") < 1 THEN CAST(TRY_CAST(\"ListUnitPrice\" AS DECIMAL(18,15)) AS DECIMAL(38,18))";
        if (fine)
        {
            columns.Selects.Single().ShouldContain(FineValue);
        }
        else
        {
            columns.Selects.Single().ShouldNotContain(FineValue);
            columns.Selects.Single().ShouldContain("mm_holds_ListUnitPrice");
        }
    }

    [Theory]
    [InlineData("1e-20::DOUBLE", "more than 18 decimal places")]
    [InlineData("'NaN'::DOUBLE", "is not a number")]
    [InlineData("12345678901.5::DECIMAL(38,18)", "significant digits")]
    public void AFileWithAnAmountTheRowPathRefuses_IsReadRowByRow_AndRefusedOnItsRow(string value, string refusal)
    {
        // Given a typed file whose row 200 has an amount that cannot be kept exactly
        var parquet = Write("bad.parquet", Rows.Replace("BILLED", $"CASE WHEN i = 199 THEN {value} ELSE 1.5 END", StringComparison.Ordinal));

        // When a sink that loads by columns reads it
        var (columns, report) = Read(new ColumnarSink(), parquet, skipBadRows: true);

        // Then the rows came one by one, and that row was refused by its row and column as the row path says
        columns.Calls.ShouldAllBe(c => c == "row");
        columns.Rows.Count.ShouldBe(479);
        report.Problems.Single().ToString().ShouldStartWith("bad.parquet: row 200, column 16 (BilledCost)");
        report.Problems.Single().Message.ShouldContain(refusal);
    }

    [Fact]
    public void AChargePeriodOutsideTheInstantsStored_IsRefusedOnItsRow()
    {
        // Given a row that starts in 1899
        var parquet = Write("old.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal)
            .Replace("TIMESTAMP '2026-10-01' + INTERVAL (i // 5) HOUR AS ChargePeriodStart", "CASE WHEN i = 7 THEN TIMESTAMP '1899-12-31' ELSE TIMESTAMP '2026-10-01' + INTERVAL (i // 5) HOUR END AS ChargePeriodStart", StringComparison.Ordinal));

        // When it is read
        var (columns, report) = Read(new ColumnarSink(), parquet);

        // Then it is the row path's refusal, on row 8
        columns.Calls.ShouldNotContain(c => c.StartsWith("facts", StringComparison.Ordinal));
        report.Problems.Single().ToString().ShouldStartWith("old.parquet: row 8, column 5 (ChargePeriodStart)");
    }

    [Fact]
    public void AParquetFileAfterACsvFile_IsLoadedOnlyOnceEveryRowOfTheCsvReachedTheSink()
    {
        // Given a CSV file of 3 rows and a typed Parquet file
        var csv = new FocusCsv().Row().Row().Row().WriteTo(_temp.File("first.csv"));
        var parquet = Write("rows.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal));

        // When both are read in one import
        var sink = new ColumnarSink();
        var report = FocusImporter.Read(FocusImporter.Inspect([csv, parquet]), sink, skipBadRows: false);

        // Then the CSV's rows came first, then the Parquet file's load, and the report counts both
        sink.Calls.ShouldBe(["row", "row", "row", "facts 480"]);
        report.RowsValid.ShouldBe(483);
        report.Files.Select(f => f.Rows).ShouldBe([3L, 480L]);
    }

    [Fact]
    public void AFileReadAhead_IsTakenByTheRead_WithTheReportOfReadingItThere()
    {
        // Given a typed Parquet file, and its reading by columns begun ahead (as an import does before opening its store)
        var (parquet, inputs, ahead) = ReadAhead("rows.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal));
        using var reading = ahead;

        // When a sink that loads by columns reads it with that reading, and another reads it without
        var sink = new ColumnarSink();
        var report = FocusImporter.Read(inputs, sink, skipBadRows: false, ahead: ahead);
        var (_, inPlace) = Read(new ColumnarSink(), parquet);

        // Then the read took the reading ahead (there is none left to take), loaded the file once, and reports the same
        ahead.Take(inputs[0]).ShouldBeNull();
        sink.Calls.ShouldBe(["facts 480"]);
        Totals(report).ShouldBe(Totals(inPlace));
        Findings(report).ShouldBe(Findings(inPlace));
        report.Files.Single().Sha256.ShouldBe(FocusImporter.Sha256(parquet));
    }

    [Fact]
    public void AFileReadAhead_ThatIsNotFocus_IsRefusedByTheRead_AsReadingItThereRefusesIt()
    {
        // Given a Parquet file without FOCUS's columns, read ahead
        var (parquet, inputs, ahead) = ReadAhead("other.parquet", "SELECT 1 AS a, 'x' AS b");
        using var reading = ahead;

        // When it is read with that reading, and without
        var withAhead = Should.Throw<UserInputException>(() => FocusImporter.Read(inputs, new ColumnarSink(), skipBadRows: false, ahead: ahead));
        var inPlace = Should.Throw<UserInputException>(() => FocusImporter.Read(FocusImporter.Inspect([parquet]), new ColumnarSink(), skipBadRows: false));

        // Then the refusal is the same
        withAhead.Message.ShouldBe(inPlace.Message);
    }

    [Fact]
    public void AFileReadAhead_IsStopped_WhenTheSinkTakesRowsOneByOne()
    {
        // Given a typed Parquet file read ahead
        var (parquet, inputs, ahead) = ReadAhead("rows.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal));
        using var reading = ahead;

        // When a sink that takes rows one by one reads it
        var sink = new CapturingSink();
        var report = FocusImporter.Read(inputs, sink, skipBadRows: false, ahead: ahead);

        // Then every row came one by one, and the reading ahead was given up
        sink.Rows.Count.ShouldBe(480);
        report.RowsValid.ShouldBe(480);
        ahead.Take(inputs[0]).ShouldBeNull();
    }

    [Fact]
    public void AFileWithAColumnOutsideFocus_IsReadRowByRow()
    {
        // Given a typed file with a column that is neither FOCUS's nor custom (x_): ignored, but checked for NULs per row
        var parquet = Write("notes.parquet", Rows.Replace("BILLED", DecimalBilled, StringComparison.Ordinal)
            .Replace("AS x_Operation", "AS x_Operation, 'note ' || i AS Notes", StringComparison.Ordinal));

        // When it is read
        var (columns, report) = Read(new ColumnarSink(), parquet);

        // Then every row came one by one
        report.RowsValid.ShouldBe(480);
        columns.Calls.Count.ShouldBe(480);
        columns.Calls.ShouldAllBe(c => c == "row");
    }

    private static (ColumnarSink Sink, FocusImportReport Report) Read(ColumnarSink sink, string file, bool skipBadRows = false) =>
        (sink, FocusImporter.Read(FocusImporter.Inspect([file]), sink, skipBadRows));

    private static List<string> Totals(FocusImportReport report) =>
        report.Totals.Select(t => $"{t.Key}: {t.Value.Rows} rows, {t.Value.Billed} {t.Value.Effective} {t.Value.List} {t.Value.Contracted}").ToList();

    private static List<string> Findings(FocusImportReport report) =>
        report.Conformance.Select(f => $"{f.Rule}: {f.Rows} rows, first {string.Join(", ", f.FirstLines.Select(l => l.Line))}").ToList();

    private string Write(string name, string select) => DuckDbFiles.Write(_temp.File(name), select, "parquet");

    /// <summary>A Parquet file of <paramref name="select"/>'s rows, its inputs, and its reading by columns begun ahead.</summary>
    private (string Parquet, IReadOnlyList<FocusInput> Inputs, FocusReadAhead Ahead) ReadAhead(string name, string select)
    {
        var parquet = Write(name, select);
        var inputs = FocusImporter.Inspect([parquet]);
        return (parquet, inputs, FocusImporter.ReadAhead(inputs, CancellationToken.None));
    }
}
