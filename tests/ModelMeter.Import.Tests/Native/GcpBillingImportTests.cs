using System.IO.Compression;
using DuckDB.NET.Data;
using ModelMeter.Core.Errors;
using ModelMeter.Import.GcpBilling;
using ModelMeter.Import.Tests.Focus;
using ModelMeter.Tests.Support;
using static ModelMeter.Import.Tests.Native.ExportReads;

namespace ModelMeter.Import.Tests.Native;

public sealed class GcpBillingImportTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CapturingSink _sink = new();

    public void Dispose() => _temp.Dispose();

    private static GcpBillingFormat Gcp => GcpBillingFormat.Instance;

    [Fact]
    public void CsvDump_BilledCostIsCostPlusCredits_AndLabelsAreTheTags()
    {
        var report = Read(Gcp, _sink, ExportFixtures.PathOf(ExportFixtures.GcpCsv));

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.Single().Format.ShouldBe("BigQuery export");
        var rows = _sink.Rows;
        // cost + credits: 10.00 - 1.50 sustained use; 4.25; 8.00 - 3.00 committed use; 3.00 commitment fee; 1.10 tax;
        // -0.40 adjustment; 0.0000012 - 0.0000012 free tier.
        rows.Select(r => r.Number("BilledCost")!.Value).ShouldBe([8.50m, 4.25m, 5.00m, 3.00m, 1.10m, -0.40m, 0m]);
        rows.Select(r => r.Number("EffectiveCost")!.Value).ShouldBe([8.50m, 4.25m, 5.00m, 3.00m, 1.10m, -0.40m, 0m]);
        rows.Select(r => r.Number("ContractedCost")!.Value).ShouldBe([10.00m, 4.25m, 8.00m, 3.00m, 1.10m, -0.40m, 0.0000012m]);
        rows[0].Number("ListCost").ShouldBe(11.00m);
        rows.Select(r => r.Text("ChargeCategory")).ShouldBe(["Usage", "Usage", "Usage", "Usage", "Tax", "Adjustment", "Usage"]);
        rows[5].Text("ChargeClass").ShouldBe("Correction");
        var total = report.ProviderTotals.ShouldHaveSingleItem();
        (total.Currency, total.Column, total.Amount, total.Rows).ShouldBe(("USD", "BilledCost", 21.45m, 7L));

        var first = rows[0];
        // The resource's label wins over its project's; the project's labels fill keys the resource lacks.
        first.Pairs("Tags").ShouldBe([("team", "nlp"), ("model", "summarizer")]);
        rows[3].Pairs("Tags").ShouldBe([("team", "platform")]);
        rows[4].Pairs("Tags").ShouldBeEmpty();
        first.Text("ProviderName").ShouldBe("Google Cloud");
        first.Text("PublisherName").ShouldBe("Google Cloud");
        first.Text("BillingAccountId").ShouldBe("0123AB-4567CD-89EF01");
        (first.Text("SubAccountId"), first.Text("SubAccountName")).ShouldBe(("ml-train", "ML training"));
        first.Text("ServiceName").ShouldBe("Compute Engine");
        first.Text("ServiceCategory").ShouldBe("Compute");
        rows[1].Text("ServiceCategory").ShouldBe("AI and Machine Learning");
        first.Text("ChargeDescription").ShouldBe("Nvidia Tesla A100 GPU running in Americas");
        (first.Text("RegionId"), first.Text("RegionName"), first.Text("AvailabilityZone")).ShouldBe(("us-central1", "Iowa", "us-central1-a"));
        first.Text("ResourceId").ShouldBe("//compute.googleapis.com/projects/ml-train/zones/us-central1-a/instances/483920");
        (first.Text("ResourceName"), first.Text("ResourceType")).ShouldBe(("trainer-7", "instances"));
        (first.Number("ConsumedQuantity"), first.Text("ConsumedUnit")).ShouldBe((3600m, "seconds"));
        (first.Number("PricingQuantity"), first.Text("PricingUnit"), first.Number("ContractedUnitPrice")).ShouldBe((1m, "hour", 10.00m));
        first.Text("SkuPriceId").ShouldBe("Billing Account ID:0123AB-4567CD-89EF01, SKU ID: CP-A100-1, Price Tier Start Amount: 0");
        first.Text("PricingCategory").ShouldBe("Standard");
        first.Timestamp("ChargePeriodStart").ShouldBe(Utc("2026-10-05T10:00:00Z"));
        rows[4].Text("PricingCategory").ShouldBeNull();
    }

    [Fact]
    public void InvoiceMonth_IsTheBillingPeriod_InPacificTime()
    {
        Read(Gcp, _sink, ExportFixtures.PathOf(ExportFixtures.GcpCsv));

        // October 2026 in Los Angeles (daylight time, UTC-7), as Google's FOCUS view has it; November starts in daylight time too.
        _sink.Rows.ShouldAllBe(r => r.Timestamp("BillingPeriodStart") == Utc("2026-10-01T07:00:00Z") && r.Timestamp("BillingPeriodEnd") == Utc("2026-11-01T07:00:00Z"));
    }

    [Theory]
    [InlineData(2026, 1, "2026-01-01T08:00:00Z")]
    [InlineData(2026, 3, "2026-03-01T08:00:00Z")]
    [InlineData(2026, 4, "2026-04-01T07:00:00Z")]
    [InlineData(2020, 11, "2020-11-01T07:00:00Z")] // 1 November 2020 was the first Sunday: midnight is before the 02:00 change
    [InlineData(2026, 12, "2026-12-01T08:00:00Z")]
    public void InvoiceMonthStart_IsMidnightInLosAngeles(int year, int month, string utc) =>
        InvoiceMonths.Start(year, month).ShouldBe(Utc(utc));

    [Fact]
    public void CommittedUseDiscounts_AreCommitments_AndTheCommitmentFeeIsCommitted()
    {
        Read(Gcp, _sink, ExportFixtures.PathOf(ExportFixtures.GcpCsv));

        var covered = _sink.Rows[2];
        (covered.Text("CommitmentDiscountId"), covered.Text("CommitmentDiscountCategory"), covered.Text("CommitmentDiscountStatus"), covered.Text("PricingCategory"))
            .ShouldBe(("commitments/cud-cpu-1", "Usage", "Used", "Committed"));
        covered.Text("CommitmentDiscountName").ShouldBe("Committed use discount: CPU in Americas");
        var fee = _sink.Rows[3];
        (fee.Text("CommitmentDiscountId"), fee.Text("PricingCategory"), fee.Text("ChargeFrequency")).ShouldBe(("commitments/cud-cpu-1", "Committed", "Recurring"));
    }

    [Fact]
    public void JsonLines_WithNestedRecordsAndUtcTimestamps_GiveTheSameRowsAsTheCsvDump()
    {
        var fromCsv = new CapturingSink();
        Read(Gcp, fromCsv, ExportFixtures.PathOf(ExportFixtures.GcpCsv));
        var gz = _temp.File("gcp.jsonl.gz");
        using (var file = File.Create(gz))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(File.ReadAllBytes(ExportFixtures.PathOf(ExportFixtures.GcpJsonLines)));
        }

        foreach (var path in new[] { ExportFixtures.PathOf(ExportFixtures.GcpJsonLines), gz })
        {
            _sink.Rows.Clear();
            var report = Read(Gcp, _sink, path);

            report.Rows.ProblemCount.ShouldBe(0);
            report.Files.Single().Format.ShouldBe("BigQuery export (JSON lines)");
            Project(_sink).ShouldBe(Project(fromCsv));
            report.ProviderTotals.Single().Amount.ShouldBe(21.45m);
        }
    }

    [Fact]
    public void Parquet_WithStructsAndRepeatedRecords_GivesTheSameRowsAsTheCsvDump()
    {
        var fromCsv = new CapturingSink();
        Read(Gcp, fromCsv, ExportFixtures.PathOf(ExportFixtures.GcpCsv));
        var parquet = _temp.File("gcp.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // BigQuery's Parquet export keeps the table's nesting: STRUCTs and repeated records.
            command.CommandText = $"""
                COPY (SELECT * REPLACE (CAST(cost AS DOUBLE) AS cost)
                      FROM read_json('{ExportFixtures.PathOf(ExportFixtures.GcpJsonLines)}', format = 'newline_delimited'))
                TO '{parquet}' (FORMAT PARQUET)
                """;
            command.ExecuteNonQuery();
        }

        var report = Read(Gcp, _sink, parquet);

        report.Rows.ProblemCount.ShouldBe(0);
        Project(_sink).ShouldBe(Project(fromCsv));
    }

    [Fact]
    public void CreditsThatAreNotJson_AreAProblemNamingTheColumn()
    {
        var lines = File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.GcpCsv));
        var file = _temp.File("bad-credits.csv");
        File.WriteAllLines(file, [lines[0], lines[1].Replace("\"[{\"\"name\"\":\"\"Sustained use discount\"\"", "\"[{name:Sustained use discount", StringComparison.Ordinal)]);

        var report = Read(Gcp, _sink, file);

        var problem = report.Rows.Problems.ShouldHaveSingleItem();
        problem.ColumnName.ShouldBe("credits");
        problem.Column.ShouldBe(24);
        problem.Message.ShouldStartWith("is not valid JSON");
        problem.Message.ShouldEndWith("a CSV dump writes credits as JSON text");
    }

    [Fact]
    public void AnInvoiceMonthThatIsNotYyyyMm_IsAProblem()
    {
        var lines = File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.GcpCsv));
        var file = _temp.File("bad-month.csv");
        File.WriteAllLines(file, [lines[0], lines[2].Replace(",202610,", ",2026-10,", StringComparison.Ordinal)]);

        var report = Read(Gcp, _sink, file);

        report.Rows.Problems.ShouldHaveSingleItem().ToString().ShouldBe("bad-month.csv: line 2, column 25 (invoice.month): '2026-10' is not an invoice month such as 202310 (YYYYMM)");
    }

    [Fact]
    public void AFileWithoutTheExportsColumns_IsRefused_NamingThem()
    {
        var file = _temp.File("other.csv");
        File.WriteAllText(file, "cost,currency\n1,USD\n");

        Should.Throw<UserInputException>(() => Read(Gcp, _sink, file)).Message
            .ShouldBe("other.csv: line 1: this is not a Google Cloud billing export: 4 columns billing_account_id, usage_start_time, usage_end_time, invoice.month are missing. Columns are matched by name, in any case.");
    }

    private static List<string> Project(CapturingSink sink) => sink.Rows.Select(r => string.Join("|",
        N(r.Number("BilledCost")), N(r.Number("ContractedCost")), N(r.Number("ListCost")), r.Timestamp("ChargePeriodStart"), r.Timestamp("ChargePeriodEnd"),
        r.Timestamp("BillingPeriodStart"), r.Text("ServiceName"), r.Text("SubAccountId"), r.Text("ChargeCategory"), r.Text("ChargeClass"),
        r.Text("CommitmentDiscountId"), r.Text("ResourceId"), string.Join(",", r.Pairs("Tags")))).ToList();

    /// <summary>A number without trailing zeros: Parquet's doubles print 10.0 where the CSV says 10.00.</summary>
    private static string? N(decimal? value) => value?.ToString("0.############################", System.Globalization.CultureInfo.InvariantCulture);
}
