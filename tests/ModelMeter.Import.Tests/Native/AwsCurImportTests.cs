using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using ModelMeter.Core.Errors;
using ModelMeter.Import.AwsCur;
using ModelMeter.Import.Tests.Focus;
using ModelMeter.Tests.Support;
using static ModelMeter.Import.Tests.Native.ExportReads;

namespace ModelMeter.Import.Tests.Native;

public sealed class AwsCurImportTests : IDisposable
{
    private const string SavingsPlan = "arn:aws:savingsplans::111122223333:savingsplan/sp-0a1b2c3d";
    private const string Reservation = "arn:aws:ec2:us-east-1:111122223333:reserved-instances/ri-77aa88bb";

    private readonly TempDirectory _temp = new();
    private readonly CapturingSink _sink = new();

    public void Dispose() => _temp.Dispose();

    private static AwsCurFormat Cur => AwsCurFormat.Instance;

    [Fact]
    public void Cur2_BilledCostIsTheUnblendedCost_AndEffectiveCostAmortisesTheSavingsPlanAndReservation()
    {
        var report = Read(Cur, _sink, ExportFixtures.PathOf(ExportFixtures.AwsCur2));

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.ShouldHaveSingleItem().Format.ShouldBe("CUR 2.0");
        var rows = _sink.Rows;
        rows.Count.ShouldBe(11);
        // Line item type: (BilledCost, EffectiveCost, ChargeCategory), as AWS's amortized cost spreads commitments.
        var expected = new (decimal Billed, decimal Effective, string Category)[]
        {
            (3.06m, 3.06m, "Usage"),              // Usage at on-demand
            (12.00m, 7.20m, "Usage"),             // SavingsPlanCoveredUsage: its savings_plan_savings_plan_effective_cost
            (-12.00m, 0m, "Usage"),               // SavingsPlanNegation cancels the covered on-demand cost
            (10.00m, 2.80m, "Purchase"),          // SavingsPlanRecurringFee: the unused commitment, 10.00 - 7.20
            (0.0000000181m, 0.0000000181m, "Usage"), // 1.81E-8, exactly
            (0m, 4.00m, "Usage"),                 // DiscountedUsage: reservation_effective_cost
            (5.00m, 1.00m, "Purchase"),           // RIFee: unused upfront 0.40 + unused recurring 0.60
            (100.00m, 0m, "Purchase"),            // the reservation's upfront Fee, spread over its usage
            (-5.00m, -5.00m, "Credit"),
            (1.25m, 1.25m, "Tax"),
            (-0.50m, -0.50m, "Credit"),           // Refund
        };
        rows.Select(r => (r.Number("BilledCost")!.Value, r.Number("EffectiveCost")!.Value, r.Text("ChargeCategory")!)).ShouldBe(expected);

        // The invoice: unblended cost plus credits, refunds and tax = 113.8100000181; the amortised view 13.8100000181.
        var provider = report.ProviderTotals.ShouldHaveSingleItem();
        (provider.Currency, provider.Column, provider.Amount, provider.Rows).ShouldBe(("USD", "BilledCost", 113.8100000181m, 11L));
        report.Rows.Totals["USD"].Billed.ShouldBe(113.8100000181m);
        report.Rows.Totals["USD"].Effective.ShouldBe(13.8100000181m);
        report.Rounding.Values.ShouldBe(0);
    }

    [Fact]
    public void Cur2_MapsCommitmentsPricingTagsAndTheHourOfTheRow_NotTheDayOfTheTimeInterval()
    {
        Read(Cur, _sink, ExportFixtures.PathOf(ExportFixtures.AwsCur2));
        var rows = _sink.Rows;

        var usage = rows[0];
        // identity_time_interval is the whole day 2026-10-01; the row is the hour 10:00-11:00.
        usage.Timestamp("ChargePeriodStart").ShouldBe(Utc("2026-10-01T10:00:00Z"));
        usage.Timestamp("ChargePeriodEnd").ShouldBe(Utc("2026-10-01T11:00:00Z"));
        usage.Timestamp("BillingPeriodStart").ShouldBe(Utc("2026-10-01T00:00:00Z"));
        usage.Timestamp("BillingPeriodEnd").ShouldBe(Utc("2026-11-01T00:00:00Z"));
        usage.Text("ProviderName").ShouldBe("AWS");
        usage.Text("BillingAccountId").ShouldBe("111122223333");
        usage.Text("BillingAccountName").ShouldBe("Acme ML");
        usage.Text("SubAccountName").ShouldBe("ml-prod");
        usage.Text("ServiceName").ShouldBe("Amazon Elastic Compute Cloud"); // from CUR 2.0's product map
        usage.Text("ServiceCategory").ShouldBe("Compute");
        usage.Text("PricingCategory").ShouldBe("Standard");
        usage.Text("ChargeFrequency").ShouldBe("Usage-Based");
        usage.Text("RegionId").ShouldBe("us-east-1");
        usage.Text("RegionName").ShouldBe("US East (N. Virginia)");
        usage.Text("ResourceId").ShouldBe("i-0nlp0000000000001");
        usage.Text("ResourceType").ShouldBe("Compute Instance");
        usage.Text("SkuId").ShouldBe("SKU-P32X");
        usage.Text("SkuPriceId").ShouldBe("1001");
        usage.Number("ListUnitPrice").ShouldBe(3.06m);
        usage.Number("ConsumedQuantity").ShouldBe(1m);
        usage.Text("ConsumedUnit").ShouldBe("Hrs");
        // resource_tags' user_ keys get AWS's user: namespace back, so the tag policy reads them as legacy CUR's.
        usage.Pairs("Tags").ShouldBe([("user:team", "nlp"), ("user:environment", "prod")]);
        usage.Tag("team").ShouldBe("nlp");
        usage.Tag("environment").ShouldBe("prod");
        usage.Custom.ShouldContain(("x_UsageType", "BoxUsage:p3.2xlarge"));

        var covered = rows[1];
        (covered.Text("CommitmentDiscountId"), covered.Text("CommitmentDiscountType"), covered.Text("CommitmentDiscountCategory"), covered.Text("CommitmentDiscountStatus"))
            .ShouldBe((SavingsPlan, "Savings Plan", "Spend", "Used"));
        covered.Text("PricingCategory").ShouldBe("Committed");
        rows[3].Text("CommitmentDiscountStatus").ShouldBeNull(); // a fee is a purchase, not usage of the commitment
        rows[3].Text("ChargeFrequency").ShouldBe("Recurring");
        (rows[5].Text("CommitmentDiscountId"), rows[5].Text("CommitmentDiscountType"), rows[5].Text("CommitmentDiscountCategory"))
            .ShouldBe((Reservation, "Reservation", "Usage"));
        rows[4].Number("ConsumedQuantity").ShouldBe(0.000000787m);
        rows[7].Text("ChargeFrequency").ShouldBe("One-Time");
        var tax = rows[9];
        tax.Text("PricingCategory").ShouldBeNull();
        tax.Number("PricingQuantity").ShouldBeNull();
        tax.Number("ListCost").ShouldBe(1.25m);
        rows[10].Text("ChargeClass").ShouldBe("Correction");
        rows[8].Pairs("Tags").ShouldBeEmpty();
    }

    [Fact]
    public void LegacyCur_WithSlashNamesTagColumnsBomAndCrlf_MapsLikeCur2()
    {
        var report = Read(Cur, _sink, ExportFixtures.PathOf(ExportFixtures.AwsLegacyCur));

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.Single().Format.ShouldBe("legacy CUR");
        report.Files.Single().IgnoredColumns.ShouldBe(["identity/LineItemId", "bill/BillType"]);
        var rows = _sink.Rows;
        rows.Count.ShouldBe(8);
        var first = rows[0];
        first.Timestamp("ChargePeriodStart").ShouldBe(Utc("2026-09-15T13:00:00Z"));
        first.Timestamp("ChargePeriodEnd").ShouldBe(Utc("2026-09-15T14:00:00Z"));
        first.Pairs("Tags").ShouldBe([("user:Team", "NLP"), ("user:Environment", "prod")]);
        first.Tag("team").ShouldBe("nlp");
        first.Text("ServiceName").ShouldBe("Amazon Elastic Compute Cloud");
        first.Text("RegionId").ShouldBe("eu-west-1");
        rows[1].Number("BilledCost").ShouldBe(0.00000065m); // 6.5E-7
        rows[1].Pairs("Tags").ShouldBe([("user:Team", "vision")]);
        rows.Select(r => r.Number("EffectiveCost")!.Value).ShouldBe([2.00m, 0.00000065m, 0.60m, 0m, 0.20m, 0.30m, -0.25m, -0.05m]);
        // 2.00 + 0.00000065 + 1.00 - 1.00 + 0.80 + 0.30 - 0.25 - 0.05
        report.ProviderTotals.Single().Amount.ShouldBe(2.80000065m);
    }

    [Fact]
    public void Cur2Parquet_WithResourceTagsAsAMap_ReadsTheSameRowsAsItsCsv()
    {
        var parquet = _temp.File("cur2.parquet");
        var csv = ExportFixtures.PathOf(ExportFixtures.AwsCur2);
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // As Data Exports writes CUR 2.0 Parquet: timestamps, doubles for amounts, maps for resource_tags and product.
            command.CommandText = $"""
                COPY (SELECT * REPLACE (
                        strptime(line_item_usage_start_date[:19], '%Y-%m-%dT%H:%M:%S') AS line_item_usage_start_date,
                        strptime(line_item_usage_end_date[:19], '%Y-%m-%dT%H:%M:%S') AS line_item_usage_end_date,
                        strptime(bill_billing_period_start_date[:19], '%Y-%m-%dT%H:%M:%S') AS bill_billing_period_start_date,
                        strptime(bill_billing_period_end_date[:19], '%Y-%m-%dT%H:%M:%S') AS bill_billing_period_end_date,
                        CAST(line_item_unblended_cost AS DOUBLE) AS line_item_unblended_cost,
                        CAST(CAST(resource_tags AS JSON) AS MAP(VARCHAR, VARCHAR)) AS resource_tags,
                        CAST(CAST(product AS JSON) AS MAP(VARCHAR, VARCHAR)) AS product)
                      FROM read_csv('{csv}', all_varchar = true))
                TO '{parquet}' (FORMAT PARQUET)
                """;
            command.ExecuteNonQuery();
        }

        var fromCsv = new CapturingSink();
        var csvReport = Read(Cur, fromCsv, csv);

        var report = Read(Cur, _sink, parquet);

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.Single().Format.ShouldBe("CUR 2.0");
        report.ProviderTotals.Single().Amount.ShouldBe(csvReport.ProviderTotals.Single().Amount);
        _sink.Rows.Select(r => (r.Number("BilledCost"), r.Number("EffectiveCost"), r.Timestamp("ChargePeriodStart"), r.Text("ServiceName"), string.Join(",", r.Pairs("Tags"))))
            .ShouldBe(fromCsv.Rows.Select(r => (r.Number("BilledCost"), r.Number("EffectiveCost"), r.Timestamp("ChargePeriodStart"), r.Text("ServiceName"), string.Join(",", r.Pairs("Tags")))));
    }

    [Fact]
    public void LegacyExportFolder_ReadsOnlyThePartsTheCurrentManifestLists_SplitFilesIncluded()
    {
        // Given a legacy CUR folder as S3 holds it: an earlier version (assembly asm-1) and the current one (asm-2) split
        // into two gzip parts, the month's manifest naming asm-2, and a copy of it in asm-2's folder.
        var period = Path.Combine(_temp.Path, "cur", "acme", "20261001-20261101");
        var lines = File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.AwsCur2));
        Gzip(Path.Combine(period, "asm-1", "acme-00001.csv.gz"), lines.Take(3));
        Gzip(Path.Combine(period, "asm-2", "acme-00001.csv.gz"), lines.Take(6));
        Gzip(Path.Combine(period, "asm-2", "acme-00002.csv.gz"), lines.Take(1).Concat(lines.Skip(6)));
        var manifest = Manifest("asm-2", "\"cur/acme/20261001-20261101/asm-2/acme-00001.csv.gz\", \"cur/acme/20261001-20261101/asm-2/acme-00002.csv.gz\"");
        File.WriteAllText(Path.Combine(period, "acme-Manifest.json"), manifest);
        File.WriteAllText(Path.Combine(period, "asm-2", "acme-Manifest.json"), manifest);

        var report = Read(Cur, _sink, Path.Combine(_temp.Path, "cur"));

        report.Rows.ProblemCount.ShouldBe(0);
        report.Files.Select(f => Path.GetFileName(Path.GetDirectoryName(f.Path)) + "/" + Path.GetFileName(f.Path)).ShouldBe(["asm-2/acme-00001.csv.gz", "asm-2/acme-00002.csv.gz"]);
        _sink.Rows.Count.ShouldBe(11);
        report.ProviderTotals.Single().Amount.ShouldBe(113.8100000181m);
        report.Skipped.Select(s => Path.GetFileName(Path.GetDirectoryName(s.Path)) + "/" + Path.GetFileName(s.Path)).Order()
            .ShouldBe(["asm-1/acme-00001.csv.gz", "asm-2/acme-Manifest.json"]);
    }

    [Fact]
    public void Cur2ExportFolder_FindsTheDataFilesOfItsManifest_UnderData()
    {
        var root = Path.Combine(_temp.Path, "exports", "acme-cur2");
        ExportFixtures.CopyTo(Path.Combine(root, "data", "BILLING_PERIOD=2026-10"), ExportFixtures.AwsCur2, "acme-cur2-00001.csv");
        Directory.CreateDirectory(Path.Combine(root, "metadata", "BILLING_PERIOD=2026-10"));
        File.WriteAllText(Path.Combine(root, "metadata", "BILLING_PERIOD=2026-10", "acme-cur2-Manifest.json"), """
            {"assemblyId":"e1","billingPeriod":{"start":"2026-10-01T00:00:00.000Z","end":"2026-11-01T00:00:00.000Z"},
             "dataFiles":["s3://bucket/exports/acme-cur2/data/BILLING_PERIOD=2026-10/acme-cur2-00001.csv"],"columns":[]}
            """);

        var report = Read(Cur, _sink, Path.Combine(_temp.Path, "exports"));

        report.Files.ShouldHaveSingleItem().Path.ShouldEndWith("acme-cur2-00001.csv");
        _sink.Rows.Count.ShouldBe(11);
    }

    [Fact]
    public void ExportFolder_WhoseManifestListsAMissingPart_IsRefused_NamingThePart()
    {
        var period = Path.Combine(_temp.Path, "acme", "20261001-20261101");
        Gzip(Path.Combine(period, "asm-2", "acme-00001.csv.gz"), File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.AwsCur2)));
        File.WriteAllText(Path.Combine(period, "acme-Manifest.json"),
            Manifest("asm-2", "\"acme/20261001-20261101/asm-2/acme-00001.csv.gz\", \"acme/20261001-20261101/asm-2/acme-00002.csv.gz\""));

        var error = Should.Throw<UserInputException>(() => Read(Cur, _sink, _temp.Path));

        error.Message.ShouldContain("acme-Manifest.json lists acme/20261001-20261101/asm-2/acme-00002.csv.gz, which is not among the files given");
        error.Message.ShouldContain("report for 2026-10 is incomplete");
    }

    [Fact]
    public void AFileWithoutTheCurColumns_IsRefused_NamingThemInBothSpellings()
    {
        var file = _temp.File("not-cur.csv");
        File.WriteAllText(file, "lineItem/UnblendedCost,lineItem/CurrencyCode\n1.00,USD\n");

        var error = Should.Throw<UserInputException>(() => Read(Cur, _sink, file));

        error.Message.ShouldStartWith("not-cur.csv: line 1: this is not an AWS Cost and Usage Report: 6 columns");
        error.Message.ShouldContain("bill_payer_account_id (bill/PayerAccountId)");
        error.Message.ShouldContain("line_item_usage_start_date (lineItem/UsageStartDate)");
    }

    [Fact]
    public void AnUnreadableCost_IsAProblemWithFileLineAndColumn_AndTheRowIsNotWritten()
    {
        var lines = File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.AwsCur2));
        var header = lines[0].Split(',');
        var column = Array.IndexOf(header, "line_item_unblended_cost");
        var file = _temp.File("bad.csv");
        File.WriteAllLines(file, [lines[0], lines[1], lines[1].Replace(",3.06,3.06,$3.06", ",3.06,\"3,06\",$3.06", StringComparison.Ordinal)]);

        var report = Read(Cur, _sink, file);

        var problem = report.Rows.Problems.ShouldHaveSingleItem();
        problem.ToString().ShouldBe($"bad.csv: line 3, column {column + 1} (line_item_unblended_cost): '3,06' is not a number: use a dot as the decimal separator and no thousands separators");
        report.Rows.RowsValid.ShouldBe(1);
        _sink.Rows.Count.ShouldBe(1);
    }

    [Fact]
    public void AHeaderOnlyFile_HoldsNoRows_AndTheReportSaysSo()
    {
        var file = _temp.File("empty-part.csv");
        File.WriteAllText(file, File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.AwsCur2))[0] + "\r\n");

        var report = Read(Cur, _sink, file);

        report.Rows.RowsRead.ShouldBe(0);
        report.Notes.ShouldContain("empty-part.csv holds only a header line: no line items.");
    }

    [Fact]
    public void AnAthenaPrintedTagMap_IsRefused_NamingWhatItIs()
    {
        var lines = File.ReadAllLines(ExportFixtures.PathOf(ExportFixtures.AwsCur2));
        var file = _temp.File("athena.csv");
        File.WriteAllLines(file, [lines[0], lines[1].Replace("\"{\"\"user_team\"\":\"\"nlp\"\",\"\"user_environment\"\":\"\"prod\"\"}\"", "\"{user_team=nlp, user_environment=prod}\"", StringComparison.Ordinal)]);

        var report = Read(Cur, _sink, file);

        report.Rows.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("is a map written as {key=value} (as Athena prints one), not JSON");
    }

    [Theory]
    [InlineData("UnblendedCost", "unblended_cost")]
    [InlineData("SavingsPlanARN", "savings_plan_a_r_n")]
    [InlineData("publicOnDemandCost", "public_on_demand_cost")]
    [InlineData("lineItem", "line_item")]
    public void Snake_SplitsEveryCapital_AsCur2AndAthenaNameColumns(string legacy, string snake) => CurColumns.Snake(legacy).ShouldBe(snake);

    [Theory]
    [InlineData("lineItem/UnblendedCost", "line_item_unblended_cost", null)]
    [InlineData("savingsPlan/SavingsPlanARN", "savings_plan_savings_plan_a_r_n", null)]
    [InlineData("reservation/ReservationARN", "reservation_reservation_a_r_n", null)]
    [InlineData("resourceTags/user:Team", "", "user:Team")]
    [InlineData("resource_tags_user_cost_center", "", "user:cost_center")]
    [InlineData("resource_tags_aws_created_by", "", "aws:created_by")]
    [InlineData("Line_Item_Unblended_Cost", "line_item_unblended_cost", null)]
    public void Parse_GivesEveryCurSpellingOneName(string header, string name, string? tagKey)
    {
        var column = CurColumns.Parse(header);

        (column.Name, column.TagKey).ShouldBe((name, tagKey));
    }

    private static void Gzip(string path, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        gzip.Write(bytes);
    }

    private static string Manifest(string assembly, string keys) => $$"""
        {"assemblyId":"{{assembly}}","account":"111122223333","columns":[],"charset":"UTF-8","compression":"GZIP","contentType":"text/csv",
         "reportId":"r","reportName":"acme","billingPeriod":{"start":"20261001T000000.000Z","end":"20261101T000000.000Z"},
         "bucket":"bucket","reportKeys":[{{keys}}]}
        """;
}
