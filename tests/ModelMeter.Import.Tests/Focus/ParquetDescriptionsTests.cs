using ModelMeter.Import.Focus;
using ModelMeter.Tests.Support;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>
/// A Parquet file whose rows share descriptions is read keyed: DuckDB renders each distinct description once and, per
/// row, only the amounts and the charge period (ParquetRecordSource, FocusRowParser's templates). These tests hold that
/// reading to the row-by-row one: the same rows, problems, findings and totals as the same rows in CSV.
/// </summary>
public sealed class ParquetDescriptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // 480 hourly rows of five resources, interleaved hour by hour as bills are. Their descriptions break one FOCUS rule
    // (resource 2's ServiceCategory) and their per-row values others: an end before the start every 11th row, no
    // ContractedCost every 13th, and a ConsumedQuantity on the credit (resource 4) every 7th. Notes is not a FOCUS column.
    private const string Rows = """
        SELECT 'acct-' || (i % 5 // 3) AS BillingAccountId, 'Acme' AS BillingAccountName,
               '2026-10-01T00:00:00Z' AS BillingPeriodStart, '2026-11-01T00:00:00Z' AS BillingPeriodEnd,
               strftime(TIMESTAMP '2026-10-01' + INTERVAL (i // 5) HOUR, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart,
               strftime(TIMESTAMP '2026-10-01' + INTERVAL (i // 5 + CASE WHEN i % 11 = 0 THEN -1 ELSE 1 END) HOUR, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodEnd,
               'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName, 'Amazon EC2' AS ServiceName,
               CASE WHEN i % 5 = 2 THEN 'Computing' ELSE 'Compute' END AS ServiceCategory,
               CASE WHEN i % 5 = 4 THEN 'Credit' ELSE 'Usage' END AS ChargeCategory, NULL AS ChargeClass,
               'GPU hour of resource ' || (i % 5) AS ChargeDescription, 'i-' || (i % 5) AS ResourceId,
               ((i % 17) * 0.25 + i % 5)::DECIMAL(18,6) AS BilledCost, ((i % 17) * 0.25 + i % 5)::DECIMAL(18,6) AS EffectiveCost,
               ((i % 17) * 0.5 + i % 5)::DECIMAL(18,6) AS ListCost,
               CASE WHEN i % 13 = 0 THEN NULL ELSE ((i % 17) * 0.5 + i % 5)::DECIMAL(18,6) END AS ContractedCost,
               'USD' AS BillingCurrency, 1::DECIMAL(18,6) AS PricingQuantity, 'Hours' AS PricingUnit,
               CASE WHEN i % 5 <> 4 OR i % 7 = 0 THEN 1::DECIMAL(18,6) END AS ConsumedQuantity,
               TAGS AS Tags, 'RunInstances' AS x_Operation, 'note ' || i AS Notes
        FROM range(0, 480) AS r(i) ORDER BY i
        """;

    [Fact]
    public void AParquetFileOfSharedDescriptions_ReadsTheSameRowsFindingsAndTotals_AsTheSameRowsInCsv()
    {
        // Given the same rows as CSV (tags as JSON text) and as Parquet (tags as a MAP)
        var csv = Write("rows.csv", Rows.Replace("TAGS", "'{\"team\":\"t' || (i % 5) || '\"}'", StringComparison.Ordinal), "csv, HEADER");
        var parquet = Write("rows.parquet", Rows.Replace("TAGS", "MAP {'team': 't' || (i % 5)}", StringComparison.Ordinal), "parquet");

        // When both are read
        var fromCsv = new CapturingSink();
        var csvReport = FocusImporter.Read(FocusImporter.Inspect([csv]), fromCsv, skipBadRows: false);
        var fromParquet = new CapturingSink();
        var parquetReport = FocusImporter.Read(FocusImporter.Inspect([parquet]), fromParquet, skipBadRows: false);

        // Then the Parquet rows were read keyed, one description per resource
        fromParquet.Rows.ShouldAllBe(r => r.DescriptionKey != 0);
        fromParquet.Rows.Select(r => r.DescriptionKey).Distinct().Count().ShouldBe(5);
        fromParquet.Rows.GroupBy(r => r.Text("ResourceId")).ShouldAllBe(g => g.Select(r => r.DescriptionKey).Distinct().Count() == 1);
        fromCsv.Rows.ShouldAllBe(r => r.DescriptionKey == 0);

        // And every row holds what the CSV's holds, in order
        parquetReport.ProblemCount.ShouldBe(0);
        parquetReport.RowsValid.ShouldBe(480);
        fromParquet.Rows.Select(r => r.AllValues()).ShouldBe(fromCsv.Rows.Select(r => r.AllValues()));
        fromParquet.Rows[11].Timestamp("ChargePeriodEnd").ShouldBe(new DateTime(2026, 10, 1, 1, 0, 0, DateTimeKind.Utc));
        fromParquet.Rows[13].Number("ContractedCost").ShouldBeNull();

        // And the report has the same totals and the same findings, on the same rows (a CSV's line 2 is row 1)
        parquetReport.Totals["USD"].Billed.ShouldBe(csvReport.Totals["USD"].Billed);
        parquetReport.Totals["USD"].Rows.ShouldBe(480);
        parquetReport.ChargeCategories.ShouldBe(csvReport.ChargeCategories);
        (parquetReport.FirstChargeStart, parquetReport.LastChargeEnd).ShouldBe((csvReport.FirstChargeStart, csvReport.LastChargeEnd));
        parquetReport.RowsWithFindings.ShouldBe(csvReport.RowsWithFindings);
        Findings(parquetReport, line => line).ShouldBe(Findings(csvReport, line => line - 1));
        Findings(parquetReport, line => line).ShouldContain("ServiceCategory-C-003-M: 96 rows, first 3, 8, 13, 18, 23");
        Findings(parquetReport, line => line).ShouldContain("ContractedCost-C-003-M: 37 rows, first 1, 14, 27, 40, 53");
        parquetReport.Conformance.Select(f => f.Rule).ShouldContain(r => r.StartsWith("ConsumedQuantity", StringComparison.Ordinal));
        parquetReport.Conformance.Select(f => f.Rule).ShouldContain(r => r.StartsWith("ChargePeriodEnd", StringComparison.Ordinal));
    }

    [Fact]
    public void BadValuesInAParquetFileOfSharedDescriptions_AreReportedOnEveryRowTheyAreOn()
    {
        // Given 300 rows of three descriptions: one with an unknown currency, one with a NUL in its service name, and a
        // row of the good one whose BilledCost is not a number
        var parquet = Write("bad.parquet", """
            SELECT 'acct-1' AS BillingAccountId, 'Acme' AS BillingAccountName,
                   '2026-10-01T00:00:00Z' AS BillingPeriodStart, '2026-11-01T00:00:00Z' AS BillingPeriodEnd,
                   strftime(TIMESTAMP '2026-10-01' + INTERVAL (i // 3) HOUR, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart,
                   strftime(TIMESTAMP '2026-10-01' + INTERVAL (i // 3 + 1) HOUR, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodEnd,
                   'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName,
                   CASE WHEN i % 3 = 2 THEN 'EC2' || chr(0) ELSE 'EC2' END AS ServiceName, 'Compute' AS ServiceCategory,
                   'Usage' AS ChargeCategory, NULL AS ChargeClass, 'hour' AS ChargeDescription,
                   CASE WHEN i = 99 THEN 'lots' ELSE '1.5' END AS BilledCost, '1.5' AS EffectiveCost, '2' AS ListCost, '2' AS ContractedCost,
                   CASE WHEN i % 3 = 1 THEN 'ZZZ' ELSE 'USD' END AS BillingCurrency, '1' AS PricingQuantity, 'Hours' AS PricingUnit
            FROM range(0, 300) AS r(i) ORDER BY i
            """, "parquet");

        // When it is read
        var sink = new CapturingSink();
        var report = FocusImporter.Read(FocusImporter.Inspect([parquet]), sink, skipBadRows: true);

        // Then each row of a bad description is refused, by its row and column, and so is the row with the bad amount
        report.RowsValid.ShouldBe(99);
        report.ProblemCount.ShouldBe(201);
        report.Problems.Where(p => p.ColumnName == "BillingCurrency").Select(p => p.Line).ShouldBe(Enumerable.Range(0, 100).Select(k => 3L * k + 2));
        report.Problems.Where(p => p.Message.Contains("NUL", StringComparison.Ordinal)).Select(p => p.Line).ShouldBe(Enumerable.Range(0, 100).Select(k => 3L * k + 3));
        report.Problems.Single(p => p.ColumnName == "BilledCost").ToString().ShouldStartWith("bad.parquet: row 100, column 15 (BilledCost)");
        report.Rejected.Single(r => r.Line == 100).Fields[14].ShouldBe("lots");
        sink.Rows.ShouldAllBe(r => r.DescriptionKey != 0 && r.Number("BilledCost") == 1.5m && r.Text("BillingCurrency") == "USD");
    }

    [Fact]
    public void AParquetFileWhoseRowsAreAllDescribedDifferently_IsReadRowByRow()
    {
        // Given rows that each name a resource of their own
        var parquet = Write("unique.parquet", """
            SELECT 'acct-1' AS BillingAccountId, 'Acme' AS BillingAccountName, NULL AS ChargeClass, 'hour' AS ChargeDescription,
                   '2026-10-01T00:00:00Z' AS BillingPeriodStart, '2026-11-01T00:00:00Z' AS BillingPeriodEnd,
                   '2026-10-01T00:00:00Z' AS ChargePeriodStart, '2026-10-01T01:00:00Z' AS ChargePeriodEnd,
                   'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName, 'EC2' AS ServiceName, 'Compute' AS ServiceCategory,
                   'Usage' AS ChargeCategory, 'i-' || i AS ResourceId, (i * 0.01)::DECIMAL(18,6) AS BilledCost,
                   (i * 0.01)::DECIMAL(18,6) AS EffectiveCost, 1::DECIMAL(18,6) AS ListCost, 1::DECIMAL(18,6) AS ContractedCost,
                   'USD' AS BillingCurrency, 1::DECIMAL(18,6) AS PricingQuantity, 'Hours' AS PricingUnit
            FROM range(1, 201) AS r(i) ORDER BY i
            """, "parquet");

        // When it is read
        var sink = new CapturingSink();
        var report = FocusImporter.Read(FocusImporter.Inspect([parquet]), sink, skipBadRows: false);

        // Then no row is said to share its description, and every row is read whole
        report.RowsValid.ShouldBe(200);
        sink.Rows.ShouldAllBe(r => r.DescriptionKey == 0);
        sink.Rows.Select(r => r.Text("ResourceId")).ShouldBe(Enumerable.Range(1, 200).Select(i => $"i-{i}"));
        report.Totals["USD"].Billed.ShouldBe(201m);
    }

    private static List<string> Findings(FocusImportReport report, Func<long, long> row) =>
        report.Conformance.Select(f => $"{f.Rule}: {f.Rows} rows, first {string.Join(", ", f.FirstLines.Select(l => row(l.Line)))}").ToList();

    private string Write(string name, string select, string format) => DuckDbFiles.Write(_temp.File(name), select, format);
}
