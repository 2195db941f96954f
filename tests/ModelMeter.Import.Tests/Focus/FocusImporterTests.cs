using DuckDB.NET.Data;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;
using ModelMeter.Tests.Support;

namespace ModelMeter.Import.Tests.Focus;

public sealed class FocusImporterTests : IDisposable
{
    private static readonly DateTime October = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly TempDirectory _temp = new();
    private readonly CapturingSink _sink = new();

    public void Dispose() => _temp.Dispose();

    private FocusImportReport Read(bool skipBadRows, params string[] paths) =>
        FocusImporter.Read(FocusImporter.Inspect(paths), _sink, skipBadRows);

    private FocusImportReport Read(FocusCsv csv, string name = "focus.csv") => Read(false, csv.WriteTo(_temp.File(name)));

    [Fact]
    public void ImportFocus10File_ReadsEveryRow_WithExactTypedValues()
    {
        var csv = new FocusCsv()
            .Row(("BilledCost", "12.345678901234"), ("EffectiveCost", "10.5"), ("ListCost", "15"), ("ContractedCost", "12"),
                 ("ChargePeriodStart", "2026-10-01T02:00:00+02:00"), ("ChargePeriodEnd", "2026-10-01T01:00:00Z"),
                 ("Tags", "{\"team\":\"nlp\",\"owner\":\"ada\",\"gpu\":8,\"spot\":true,\"note\":null}"))
            .Row(("BilledCost", "-3.50"), ("EffectiveCost", "-3.50"), ("ChargeCategory", "Credit"), ("Tags", ""));

        var report = Read(csv);

        report.RowsRead.ShouldBe(2);
        report.RowsValid.ShouldBe(2);
        report.ProblemCount.ShouldBe(0);
        report.Files.Single().FocusVersion.ShouldBe("1.0");
        var first = _sink.Rows[0];
        first.Number("BilledCost").ShouldBe(12.345678901234m);
        first.Number("EffectiveCost").ShouldBe(10.5m);
        first.Timestamp("ChargePeriodStart").ShouldBe(October);
        first.Timestamp("ChargePeriodStart")!.Value.Kind.ShouldBe(DateTimeKind.Utc);
        first.Timestamp("BillingPeriodEnd").ShouldBe(October.AddMonths(1));
        first.Text("ServiceCategory").ShouldBe("Compute");
        first.Text("BillingCurrency").ShouldBe("USD");
        first.Pairs("Tags").ShouldBe([("team", "nlp"), ("owner", "ada"), ("gpu", "8"), ("spot", "true"), ("note", null)]);
        first.Tag("team").ShouldBe("nlp");
        var credit = _sink.Rows[1];
        credit.Number("BilledCost").ShouldBe(-3.50m);
        credit.Text("ChargeCategory").ShouldBe("Credit");
        credit.Pairs("Tags").ShouldBeEmpty();
        credit.Tag("team").ShouldBeNull();
    }

    [Fact]
    public void ImportFocus_TotalsPerCurrency_EqualTheSumOfTheFile_ToTheLastDigit()
    {
        var csv = new FocusCsv()
            .Row(("BilledCost", "0.1"), ("EffectiveCost", "0.000000000001"))
            .Row(("BilledCost", "0.2"), ("EffectiveCost", "0.000000000002"))
            .Row(("BilledCost", "100"), ("EffectiveCost", "90"), ("BillingCurrency", "EUR"));

        var report = Read(csv);

        report.Totals.Keys.ShouldBe(["EUR", "USD"]);
        report.Totals["USD"].Billed.ShouldBe(0.3m);
        report.Totals["USD"].Effective.ShouldBe(0.000000000003m);
        report.Totals["USD"].Rows.ShouldBe(2);
        report.Totals["EUR"].Billed.ShouldBe(100m);
        report.BilledTotals.ShouldBe(new Dictionary<string, decimal> { ["EUR"] = 100m, ["USD"] = 0.3m });
    }

    [Fact]
    public void ImportFocus_ReportsPeriodsAccountsProvidersAndChargeRange()
    {
        var csv = new FocusCsv()
            .Row(("BillingAccountId", "a2"), ("ChargePeriodStart", "2026-10-05T00:00:00Z"), ("ChargePeriodEnd", "2026-10-06T00:00:00Z"))
            .Row(("BillingAccountId", "a1"), ("ChargeCategory", "tax"));

        var report = Read(csv);

        report.BillingAccounts.ShouldBe(["a1", "a2"]);
        report.Providers.ShouldBe(["AWS"]);
        report.BillingPeriods.ShouldBe(["2026-10-01..2026-11-01"]);
        report.ChargeCategories.ShouldBe(new SortedDictionary<string, long> { ["Tax"] = 1, ["Usage"] = 1 });
        report.FirstChargeStart.ShouldBe(October);
        report.LastChargeEnd.ShouldBe(new DateTime(2026, 10, 6, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void ImportFocus_NormalisesEnumerationsToTheirFocusSpelling()
    {
        var csv = new FocusCsv().WithColumn("PricingCategory")
            .Row(("ChargeCategory", "usage"), ("PricingCategory", "On-Demand"))
            .Row(("ChargeCategory", "CREDIT"), ("PricingCategory", "Commitment-Based"), ("ChargeClass", "correction"));

        Read(csv).ProblemCount.ShouldBe(0);

        _sink.Rows.Select(r => (r.Text("ChargeCategory"), r.Text("PricingCategory"))).ShouldBe([("Usage", "Standard"), ("Credit", "Committed")]);
        _sink.Rows[1].Text("ChargeClass").ShouldBe("Correction");
    }

    [Theory]
    [InlineData("", "1.0")]
    [InlineData("ServiceSubcategory", "1.1")]
    [InlineData("CapacityReservationId", "1.1")]
    [InlineData("PricingCurrency", "1.2")]
    [InlineData("BillingAccountType", "1.2")]
    [InlineData("ServiceProviderName", "1.3")]
    public void ImportFocus_ReportsTheFocusVersionTheColumnsMatch(string extraColumn, string version)
    {
        var csv = new FocusCsv();
        if (extraColumn.Length > 0)
        {
            csv.WithColumn(extraColumn);
        }

        Read(csv.Row()).Files.Single().FocusVersion.ShouldBe(version);
    }

    [Fact]
    public void ImportFocus_FileWithByteOrderMarkAndCrLf_Imports()
    {
        var path = _temp.File("excel.csv");
        var text = new FocusCsv().Row(("BilledCost", "2.5")).Row(("BilledCost", "x")).ToCsv("\r\n");
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var report = Read(false, path);

        report.Files.Single().IgnoredColumns.ShouldBeEmpty();
        _sink.Rows.Single().Number("BilledCost").ShouldBe(2.5m);
        report.Problems.Single().Line.ShouldBe(3);
    }

    [Fact]
    public void ImportFocus_MatchesColumnNamesCaseInsensitively()
    {
        var columns = FocusCsv.Focus10Columns.Select(c => c.ToLowerInvariant());
        var csv = new FocusCsv(columns).Row();

        var report = Read(csv);

        report.RowsValid.ShouldBe(1);
        _sink.Rows.Single().Number("billedcost").ShouldBe(1.00m);
    }

    [Fact]
    public void ImportFocus_MissingMandatoryColumns_AreAllListedInOneError()
    {
        var csv = new FocusCsv().WithoutColumn("BilledCost").WithoutColumn("ChargeCategory").WithoutColumn("PublisherName").Row();

        var error = Should.Throw<UserInputException>(() => Read(csv, "partial.csv"));

        error.Message.ShouldContain("partial.csv: line 1");
        error.Message.ShouldContain("3 mandatory columns");
        error.Message.ShouldContain("BilledCost");
        error.Message.ShouldContain("ChargeCategory");
        error.Message.ShouldContain("PublisherName (or HostProviderName from FOCUS 1.3)");
        error.Message.ShouldNotContain("EffectiveCost");
        _sink.Rows.ShouldBeEmpty();
    }

    [Fact]
    public void ImportFocus_RefusesADuplicateColumn_NamingBothPositions()
    {
        var csv = new FocusCsv().WithColumn("billedcost").Row();

        var error = Should.Throw<UserInputException>(() => Read(csv, "dup.csv"));

        error.Message.ShouldContain($"dup.csv: line 1, column {csv.Columns.Count}");
        error.Message.ShouldContain("appears twice");
        error.Message.ShouldContain($"first at column {csv.ColumnNumber("BilledCost")}");
    }

    [Fact]
    public void ImportFocus13File_WithServiceProviderAndAllocatedColumns_KeepsThem()
    {
        var csv = new FocusCsv(FocusCsv.Focus10Columns.Concat(["ServiceProviderName", "HostProviderName", "AllocatedMethodId", "AllocatedResourceId", "AllocatedTags"]))
            .Row(("ServiceProviderName", "CoreWeave"), ("HostProviderName", "CoreWeave Cloud"), ("ProviderName", "CoreWeave"),
                 ("AllocatedMethodId", "gpu-hours"), ("AllocatedResourceId", "job-42"), ("AllocatedTags", "{\"team\":\"vision\",\"run\":\"r-7\"}"));

        var report = Read(csv);

        report.ProblemCount.ShouldBe(0);
        report.Files.Single().FocusVersion.ShouldBe("1.3");
        var row = _sink.Rows.Single();
        row.Text("ServiceProviderName").ShouldBe("CoreWeave");
        row.Text("HostProviderName").ShouldBe("CoreWeave Cloud");
        row.Text("AllocatedMethodId").ShouldBe("gpu-hours");
        row.Text("AllocatedResourceId").ShouldBe("job-42");
        row.Pairs("AllocatedTags").ShouldBe([("team", "vision"), ("run", "r-7")]);
        row.Tag("team").ShouldBe("nlp");
    }

    [Fact]
    public void ImportFocus14StyleFile_WithoutProviderName_UsesServiceProviderName()
    {
        var columns = FocusCsv.Focus10Columns.Except(["ProviderName", "PublisherName"]).Concat(["ServiceProviderName", "HostProviderName"]);
        var csv = new FocusCsv(columns).Row(("ServiceProviderName", "Lambda"), ("HostProviderName", "Lambda Cloud"));

        var report = Read(csv);

        report.ProblemCount.ShouldBe(0);
        report.Files.Single().FocusVersion.ShouldBe("1.4 or later");
        report.Providers.ShouldBe(["Lambda"]);
        _sink.Rows.Single().Text("ProviderName").ShouldBe("Lambda");
    }

    [Fact]
    public void ImportFocus_KeepsXColumns_AndIgnoresOtherUnknownColumns()
    {
        var csv = new FocusCsv().WithColumn("x_Operation").WithColumn("X_UsageType").WithColumn("lineItem/UsageType")
            .Row(("x_Operation", "RunInstances"), ("X_UsageType", ""), ("lineItem/UsageType", "BoxUsage"));

        var report = Read(csv);

        report.ProblemCount.ShouldBe(0);
        report.Files.Single().CustomColumns.ShouldBe(["x_Operation", "X_UsageType"]);
        report.Files.Single().IgnoredColumns.ShouldBe(["lineItem/UsageType"]);
        _sink.Rows.Single().Custom.ShouldBe([("x_Operation", "RunInstances")]);
    }

    [Fact]
    public void ImportFocus_KeepsLaterVersionColumnsWhenPresent()
    {
        var csv = new FocusCsv().WithColumn("ServiceSubcategory").WithColumn("SkuPriceDetails").WithColumn("PricingCurrency").WithColumn("CommitmentDiscountId")
            .Row(("ServiceSubcategory", "GPU"), ("SkuPriceDetails", "{\"gpus\":8}"), ("PricingCurrency", "EUR"), ("CommitmentDiscountId", "sp-1"));

        var report = Read(csv);

        report.ProblemCount.ShouldBe(0);
        var row = _sink.Rows.Single();
        row.Text("ServiceSubcategory").ShouldBe("GPU");
        row.Text("SkuPriceDetails").ShouldBe("{\"gpus\":8}");
        row.Text("PricingCurrency").ShouldBe("EUR");
        row.Text("CommitmentDiscountId").ShouldBe("sp-1");
    }

    [Theory]
    [InlineData("{\"team\":{\"name\":\"nlp\"}}", "an object value")]
    [InlineData("{\"teams\":[\"nlp\",\"vision\"]}", "an array value")]
    [InlineData("[\"team\",\"nlp\"]", "must be a JSON object")]
    [InlineData("\"team=nlp\"", "must be a JSON object")]
    [InlineData("{team:nlp}", "is not valid JSON")]
    [InlineData("{\"team\":\"nlp\"", "is not valid JSON")]
    public void ImportFocus_RefusesTagsThatAreNotAnObjectOfScalars(string tags, string reason)
    {
        var csv = new FocusCsv().Row().Row(("Tags", tags));

        var report = Read(csv, "tags.csv");

        report.RowsValid.ShouldBe(1);
        var problem = report.Problems.Single();
        problem.Line.ShouldBe(3);
        problem.Column.ShouldBe(csv.ColumnNumber("Tags"));
        problem.ColumnName.ShouldBe("Tags");
        problem.Message.ShouldContain(reason);
        problem.ToString().ShouldStartWith($"tags.csv: line 3, column {csv.ColumnNumber("Tags")} (Tags): ");
    }

    [Fact]
    public void ImportFocus_HierarchyTags_AreReadAsTheDefaultTagPolicyReadsThem_ExactKeysWinning()
    {
        var csv = new FocusCsv()
            .Row(("Tags", "{\"user:Team\":\" Search \",\"env\":\"dev\",\"environment\":\"prod\",\"CostCenter\":\"CC-1\",\"gcp:ModelName\":\"bert\"}"));

        Read(csv).ProblemCount.ShouldBe(0);

        var row = _sink.Rows.Single();
        row.Tag("team").ShouldBe("search");
        row.Tag("environment").ShouldBe("prod");
        row.Tag("cost_center").ShouldBe("cc-1");
        row.Tag("model").ShouldBe("bert");
        row.Tag("experiment").ShouldBeNull();
        row.Pairs("Tags").ShouldContain(("user:Team", " Search "), "the tag set itself is kept as exported");
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "BilledCost", "12,50", "dot as the decimal separator" },
        { "EffectiveCost", "abc", "is not a number" },
        { "ChargePeriodStart", "5/1/25", "ISO 8601" },
        { "BillingCurrency", "US", "ISO 4217" },
        { "BillingCurrency", "US Dollar", "ISO 4217" },
        { "ContractedCost", "NULL!", "is not a number" },
        { "ChargePeriodEnd", "2026-10-01 25:00", "is not a valid date or time" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void ImportFocus_BadValue_IsReportedWithFileLineColumnAndValue(string column, string value, string reason)
    {
        var csv = new FocusCsv().Row().Row((column, value)).Row();

        var report = Read(csv, "bad.csv");

        report.RowsRead.ShouldBe(3);
        report.RowsValid.ShouldBe(2);
        report.Files.Single().Rejected.ShouldBe(1);
        var problem = report.Problems.Single();
        problem.File.ShouldEndWith("bad.csv");
        problem.Line.ShouldBe(3);
        problem.Column.ShouldBe(csv.ColumnNumber(column));
        problem.ColumnName.ShouldBe(column);
        problem.Value.ShouldBe(value);
        problem.Message.ShouldContain(reason);
        problem.ToString().ShouldBe($"bad.csv: line 3, column {csv.ColumnNumber(column)} ({column}): '{value}' {problem.Message}");
    }

    [Fact]
    public void ImportFocus_AfterTheFirstBadRow_NoMoreRowsReachTheSink_ButEveryProblemIsListed()
    {
        var csv = new FocusCsv().Row().Row(("BilledCost", "x")).Row().Row(("EffectiveCost", "y"), ("BillingCurrency", "dollars"));

        var report = Read(csv);

        _sink.Rows.Count.ShouldBe(1);
        report.ProblemCount.ShouldBe(3);
        report.Problems.Select(p => (p.Line, p.ColumnName)).ShouldBe([(3L, "BilledCost"), (5L, "EffectiveCost"), (5L, "BillingCurrency")]);
        report.RowsRejected.ShouldBe(2);
    }

    [Fact]
    public void ImportFocus_SkipBadRows_PassesTheGoodRows_AndKeepsTheRejectsWithReasons()
    {
        var csv = new FocusCsv().Row(("ResourceId", "good-1")).Row(("BilledCost", "x"), ("ResourceId", "bad")).Row(("ResourceId", "good-2"));

        var report = Read(true, csv.WriteTo(_temp.File("skip.csv")));

        _sink.Rows.Select(r => r.Text("ResourceId")).ShouldBe(["good-1", "good-2"]);
        var rejected = report.Rejected.Single();
        rejected.Line.ShouldBe(3);
        rejected.Fields[csv.ColumnNumber("ResourceId") - 1].ShouldBe("bad");
        rejected.Header.ShouldBe(csv.Columns);
        rejected.Reasons.ShouldContain("column " + csv.ColumnNumber("BilledCost"));
    }

    [Theory]
    [InlineData("BillingCurrency")]
    [InlineData("BillingPeriodStart")]
    [InlineData("BillingPeriodEnd")]
    [InlineData("ChargePeriodStart")]
    [InlineData("ChargePeriodEnd")]
    public void ImportFocus_EmptyPeriodOrCurrency_IsRefused_AsTheRowCannotBePlaced(string column)
    {
        var csv = new FocusCsv().Row((column, ""));

        var problem = Read(csv).Problems.Single();

        problem.Column.ShouldBe(csv.ColumnNumber(column));
        problem.Message.ShouldContain($"{column} is empty");
    }

    [Fact]
    public void ImportFocus_WrongFieldCount_IsRefused_SayingHowMany()
    {
        var path = _temp.File("short.csv");
        var csv = new FocusCsv().Row().Row();
        var lines = csv.ToCsv().Split('\n');
        lines[2] = lines[2] + ",extra";
        File.WriteAllText(path, string.Join('\n', lines));

        var report = Read(false, path);

        var problem = report.Problems.Single();
        problem.Line.ShouldBe(3);
        problem.Column.ShouldBe(csv.Columns.Count + 1);
        problem.Message.ShouldContain($"has {csv.Columns.Count + 1} fields but the header has {csv.Columns.Count}");
    }

    [Fact]
    public void ImportFocus_LineNumbersCountNewlinesInsideQuotedFields()
    {
        var csv = new FocusCsv().Row(("ChargeDescription", "line one\nline two\r\nline three")).Row(("BilledCost", "bad"));

        var report = Read(csv);

        _sink.Rows[0].Text("ChargeDescription").ShouldBe("line one\nline two\r\nline three");
        report.Problems.Single().Line.ShouldBe(5);
    }

    [Fact]
    public void ImportFocus_UnclosedQuote_IsAProblemOnItsLine()
    {
        var path = _temp.File("quote.csv");
        File.WriteAllText(path, new FocusCsv().Row().ToCsv() + "acct-1,\"Acme\n");

        var report = Read(false, path);

        report.Problems.ShouldContain(p => p.Line == 3 && p.Column == 2 && p.Message.Contains("never closed"));
    }

    [Fact]
    public void ImportFocus_HeaderOnlyFile_ReadsNothing()
    {
        var report = Read(new FocusCsv());

        report.RowsRead.ShouldBe(0);
        _sink.Rows.ShouldBeEmpty();
    }

    [Fact]
    public void ImportFocus_EmptyFile_IsRefused()
    {
        var path = _temp.File("empty.csv");
        File.WriteAllText(path, "");

        Should.Throw<UserInputException>(() => Read(false, path)).Message.ShouldContain("empty.csv: the file is empty");
    }

    [Fact]
    public void ImportFocus_CsvGz_ReadsLikeTheCsv()
    {
        var csv = new FocusCsv().Row(("BilledCost", "1.25")).Row(("BilledCost", "2.50"), ("ChargeDescription", "multi\nline"));

        var report = Read(false, csv.WriteGzipTo(_temp.File("focus.csv.gz")));

        report.RowsValid.ShouldBe(2);
        report.Totals["USD"].Billed.ShouldBe(3.75m);
        _sink.Rows[1].Text("ChargeDescription").ShouldBe("multi\nline");
    }

    [Fact]
    public void ImportFocus_CorruptGzip_IsRefusedAsBadInput()
    {
        var path = _temp.File("broken.csv.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]);

        Should.Throw<UserInputException>(() => Read(false, path)).Message.ShouldContain("broken.csv.gz");
    }

    [Fact]
    public void ImportFocus_Parquet_ReadsTypedColumns_AndTagMaps()
    {
        var path = WriteParquet("focus.parquet", """
            SELECT * FROM (VALUES
              ('acct-1', 'Acme', TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-11-01 00:00:00',
               TIMESTAMPTZ '2026-10-01 02:00:00+02', TIMESTAMPTZ '2026-10-01 03:00:00+02', 'AWS', 'AWS', 'AWS', 'Amazon EC2', 'Compute',
               'Usage', NULL, 'GPU hour', 12.345678::DECIMAL(18,6), 10.5::DECIMAL(18,6), 15::DECIMAL(18,6), 12::DECIMAL(18,6), 'USD',
               1::DECIMAL(18,6), 'Hours', MAP {'team': 'nlp', 'owner': 'ada'}, 'RunInstances'),
              ('acct-1', 'Acme', TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-11-01 00:00:00',
               TIMESTAMPTZ '2026-10-02 00:00:00+00', TIMESTAMPTZ '2026-10-02 01:00:00+00', 'AWS', 'AWS', 'AWS', 'Amazon S3', 'Storage',
               'Credit', NULL, 'credit', -2.5::DECIMAL(18,6), -2.5::DECIMAL(18,6), 0::DECIMAL(18,6), 0::DECIMAL(18,6), 'USD',
               1::DECIMAL(18,6), 'Hours', MAP {'team': 'vision'}, NULL))
            AS t(BillingAccountId, BillingAccountName, BillingPeriodStart, BillingPeriodEnd, ChargePeriodStart, ChargePeriodEnd,
                 ProviderName, PublisherName, InvoiceIssuerName, ServiceName, ServiceCategory, ChargeCategory, ChargeClass,
                 ChargeDescription, BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency, PricingQuantity, PricingUnit,
                 Tags, x_Operation)
            """);

        var report = Read(false, path);

        report.ProblemCount.ShouldBe(0);
        report.RowsValid.ShouldBe(2);
        report.Totals["USD"].Billed.ShouldBe(9.845678m);
        var first = _sink.Rows[0];
        first.Number("BilledCost").ShouldBe(12.345678m);
        first.Timestamp("ChargePeriodStart").ShouldBe(October);
        first.Timestamp("BillingPeriodStart").ShouldBe(October);
        first.Pairs("Tags").ShouldBe([("team", "nlp"), ("owner", "ada")]);
        first.Tag("team").ShouldBe("nlp");
        first.Custom.ShouldBe([("x_Operation", "RunInstances")]);
        _sink.Rows[1].Text("ChargeCategory").ShouldBe("Credit");
    }

    [Fact]
    public void ImportFocus_ParquetBadRow_IsReportedByRowNumber()
    {
        var path = WriteParquet("bad.parquet", """
            SELECT 'acct-1' AS BillingAccountId, 'Acme' AS BillingAccountName, '2026-10-01T00:00:00Z' AS BillingPeriodStart,
                   '2026-11-01T00:00:00Z' AS BillingPeriodEnd, '2026-10-01T00:00:00Z' AS ChargePeriodStart, '2026-10-01T01:00:00Z' AS ChargePeriodEnd,
                   'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName, 'EC2' AS ServiceName, 'Compute' AS ServiceCategory,
                   'Usage' AS ChargeCategory, NULL AS ChargeClass, 'x' AS ChargeDescription,
                   CASE WHEN i = 2 THEN 'lots' ELSE '1' END AS BilledCost, '1' AS EffectiveCost, '1' AS ListCost, '1' AS ContractedCost,
                   'USD' AS BillingCurrency, '1' AS PricingQuantity, 'Hours' AS PricingUnit
            FROM range(1, 4) AS r(i) ORDER BY i
            """);

        var report = Read(false, path);

        var problem = report.Problems.Single();
        problem.Line.ShouldBe(2);
        problem.ColumnName.ShouldBe("BilledCost");
        problem.ToString().ShouldStartWith("bad.parquet: row 2, column 15 (BilledCost)");
    }

    [Fact]
    public void ImportFocus_FileThatIsNotParquet_IsRefusedAsBadInput()
    {
        var path = _temp.File("fake.parquet");
        File.WriteAllText(path, "not parquet at all");

        Should.Throw<UserInputException>(() => Read(false, path)).Message.ShouldContain("fake.parquet: cannot be read as Parquet");
    }

    [Fact]
    public void ExpandInputs_Folder_TakesEveryFocusFile_InNameOrder()
    {
        var folder = Path.Combine(_temp.Path, "exports");
        Directory.CreateDirectory(Path.Combine(folder, "part"));
        File.WriteAllText(Path.Combine(folder, "b.csv"), "");
        File.WriteAllText(Path.Combine(folder, "a.CSV.GZ"), "");
        File.WriteAllText(Path.Combine(folder, "part", "c.parquet"), "");
        File.WriteAllText(Path.Combine(folder, "manifest.json"), "");

        var files = FocusImporter.ExpandInputs([folder]);

        files.Select(Path.GetFileName).ShouldBe(["a.CSV.GZ", "b.csv", "c.parquet"]);
    }

    [Fact]
    public void ExpandInputs_RefusesMissingPaths_OtherFileTypes_AndEmptyFolders()
    {
        var empty = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(empty);
        var json = _temp.File("bill.json");
        File.WriteAllText(json, "{}");

        Should.Throw<UserInputException>(() => FocusImporter.ExpandInputs([_temp.File("nope.csv")])).Message.ShouldContain("no such file");
        Should.Throw<UserInputException>(() => FocusImporter.ExpandInputs([json])).Message.ShouldContain("expected a .csv");
        Should.Throw<UserInputException>(() => FocusImporter.ExpandInputs([empty])).Message.ShouldContain("holds no .csv");
    }

    [Fact]
    public void Inspect_FingerprintsContent_NotName()
    {
        var a = new FocusCsv().Row().WriteTo(_temp.File("a.csv"));
        var b = new FocusCsv().Row().WriteTo(_temp.File("b.csv"));
        var c = new FocusCsv().Row(("BilledCost", "2")).WriteTo(_temp.File("c.csv"));

        var inputs = FocusImporter.Inspect([a, b, c]);

        inputs[0].Sha256.ShouldBe(inputs[1].Sha256);
        inputs[0].Sha256.ShouldNotBe(inputs[2].Sha256);
        inputs[0].Sha256.Length.ShouldBe(64);
        inputs[0].Bytes.ShouldBe(new FileInfo(a).Length);
    }

    [Fact]
    public void Read_FingerprintsAPlainCsvFileWhileReadingIt_AndAGzipOneWhenAsked_EachTheDigestOfItsBytes()
    {
        var plain = new FocusCsv().Row().Row(("BilledCost", "2")).WriteTo(_temp.File("oct.csv"));
        var gzip = _temp.File("nov.csv.gz");
        using (var target = File.Create(gzip))
        using (var compress = new System.IO.Compression.GZipStream(target, System.IO.Compression.CompressionLevel.Fastest))
        {
            compress.Write(File.ReadAllBytes(new FocusCsv().Row(("BillingPeriodStart", "2026-11-01T00:00:00Z"), ("BillingPeriodEnd", "2026-12-01T00:00:00Z"),
                ("ChargePeriodStart", "2026-11-01T00:00:00Z"), ("ChargePeriodEnd", "2026-11-01T01:00:00Z")).WriteTo(_temp.File("nov.csv"))));
        }

        var inputs = FocusImporter.Inspect([plain, gzip]);
        inputs.ShouldAllBe(i => !i.Fingerprinted, "sizing the files reads none of them");

        var report = FocusImporter.Read(inputs, _sink, skipBadRows: false);

        inputs[0].Fingerprinted.ShouldBeTrue("the reading of the plain file took its digest");
        inputs[1].Fingerprinted.ShouldBeFalse("a gzip file is fingerprinted by a pass of its own, when asked");
        report.Files[0].Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(plain))));
        report.Files[1].Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(gzip))));
    }

    private string WriteParquet(string name, string select)
    {
        var path = _temp.File(name);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        command.ExecuteNonQuery();
        command.CommandText = $"COPY ({select}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        command.ExecuteNonQuery();
        return path;
    }
}
