using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Compression;
using ModelMeter.Import.Csv;
using ModelMeter.Import.Files;
using ModelMeter.Import.Focus;
using ModelMeter.Tests.Support;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>
/// Inputs that used to change the store silently, crash or hang the reader: each is now refused by name (file, line,
/// column) or read exactly.
/// </summary>
public sealed class HardeningTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CapturingSink _sink = new();

    public void Dispose() => _temp.Dispose();

    private FocusImportReport Read(params string[] paths) => FocusImporter.Read(FocusImporter.Inspect(paths), _sink, skipBadRows: false);

    private static FocusCsv Rows(int count)
    {
        var csv = new FocusCsv();
        for (var i = 0; i < count; i++)
        {
            csv.Row(("ResourceId", $"i-{i:D6}"), ("BilledCost", "1.25"));
        }

        return csv;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var stream = new VerifiedGzipStream(new MemoryStream(gz));
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public void TruncatedGzip_IsRefusedAtEveryCut_NeverReadAsAShorterFile()
    {
        var data = Encoding.UTF8.GetBytes(Rows(3000).ToCsv());
        var gz = Gzip(data);
        Decompress(gz).ShouldBe(data);
        foreach (var cut in new[] { 5, 10, 11, 100, gz.Length / 3, gz.Length / 2, gz.Length - 9, gz.Length - 8, gz.Length - 4, gz.Length - 1 })
        {
            Should.Throw<InvalidDataException>(() => Decompress(gz[..cut]), $"cut at {cut} of {gz.Length}");
        }
    }

    [Fact]
    public void GzipWithAWrongCrcOrSize_OrDataAfterItsEnd_IsRefused()
    {
        var gz = Gzip(Encoding.UTF8.GetBytes(Rows(200).ToCsv()));
        var badCrc = gz.ToArray();
        badCrc[^8] ^= 0x01;
        Should.Throw<InvalidDataException>(() => Decompress(badCrc)).Message.ShouldContain("CRC-32");
        var badSize = gz.ToArray();
        badSize[^1] ^= 0x01;
        Should.Throw<InvalidDataException>(() => Decompress(badSize));
        Should.Throw<InvalidDataException>(() => Decompress([.. gz, 0x00, 0x01, 0x02])).Message.ShouldContain("after");
        Should.Throw<InvalidDataException>(() => Decompress(Encoding.UTF8.GetBytes("not gzip at all"))).Message.ShouldContain("gzip signature");
    }

    [Fact]
    public void GzipOfSeveralMembers_ReadsThemAll()
    {
        var first = Encoding.UTF8.GetBytes(new string('a', 100_000));
        var second = Encoding.UTF8.GetBytes(new string('b', 70_000) + "end");
        Decompress([.. Gzip(first), .. Gzip(second)]).ShouldBe([.. first, .. second]);
        Decompress([.. Gzip(first), .. Gzip([])]).ShouldBe(first);
    }

    [Fact]
    public void ImportOfATruncatedCsvGz_IsRefusedNamingTheFile()
    {
        var path = _temp.File("demo.csv.gz");
        Rows(5000).WriteGzipTo(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var error = Should.Throw<UserInputException>(() => Read(path));

        error.Message.ShouldContain("demo.csv.gz: is not a complete, valid gzip file");
        error.Message.ShouldContain("cut short");
    }

    [Fact]
    public void CsvEndingInsideItsLastField_WithoutALineEnd_IsReported()
    {
        var csv = Rows(2).WithoutColumn("Tags").ToCsv().TrimEnd('\n');
        var path = _temp.File("cut.csv");
        File.WriteAllText(path, csv[..^3]);

        var report = Read(path);

        report.ProblemCount.ShouldBeGreaterThan(0);
        report.Problems.ShouldContain(p => p.Line == 3 && p.Message.Contains("the file ends inside this field, without a line end"));
    }

    [Fact]
    public void CsvReader_AcceptsAClosedQuotedFieldAtTheEnd_ButNotAnOpenUnquotedOne()
    {
        using (var reader = new CsvReader(new StringReader("a,b\n1,\"x\"")))
        {
            reader.Read().ShouldBeTrue();
            reader.Read().ShouldBeTrue();
            reader.RecordError.ShouldBeNull();
        }

        using (var reader = new CsvReader(new StringReader("a,b\n1,2")))
        {
            reader.Read().ShouldBeTrue();
            reader.Read().ShouldBeTrue();
            reader.RecordError.ShouldNotBeNull();
            reader.RecordErrorField.ShouldBe(2);
        }
    }

    [Fact]
    public void InvalidUtf8_IsRefusedWithLineAndColumn_NeverStoredAsReplacementCharacters()
    {
        var path = _temp.File("latin1.csv");
        var text = new FocusCsv().Row(("ServiceName", "Amazon EC2")).Row(("ServiceName", "Caf@")).ToCsv();
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes[Array.LastIndexOf(bytes, (byte)'@')] = 0xE9;
        File.WriteAllBytes(path, bytes);

        var report = Read(path);

        var column = new FocusCsv().ColumnNumber("ServiceName");
        report.Problems.ShouldContain(p => p.Line == 3 && p.Column == column && p.Message.Contains("not UTF-8"));
    }

    [Theory]
    [InlineData("ServiceName", "Amazon\0EC2", "NUL character")]
    [InlineData("BilledCost", "0.7364\0\0\0", "NUL character")]
    [InlineData("BillingCurrency", "ZZZ", "is not an ISO 4217 currency code")]
    [InlineData("Tags", "{\"team\":\"\\ud800\"}", "lone surrogate")]
    [InlineData("ChargePeriodStart", "0001-01-01T00:00:00+14:00", "is outside the instants ModelMeter stores")]
    [InlineData("ChargePeriodEnd", "9999-12-31T23:59:59-14:00", "is outside the instants ModelMeter stores")]
    [InlineData("PricingQuantity", "1e-25", "has more than 18 decimal places")]
    [InlineData("ChargePeriodStart", "2026-10-01T00:00:00.1234567Z", "finer than a microsecond")]
    public void ValuesThatWouldBeAltered_AreRefusedWithLineAndColumn(string column, string value, string message)
    {
        var csv = new FocusCsv().Row().Row((column, value));

        var report = Read(csv.WriteTo(_temp.File("bad.csv")));

        report.Problems.ShouldContain(p => p.Line == 3 && p.Column == csv.ColumnNumber(column) && p.Message.Contains(message),
            string.Join("\n", report.Problems));
    }

    [Fact]
    public void AmountsWhoseTotalCannotFitTheStore_RefuseTheFile()
    {
        var csv = new FocusCsv().Row(("BilledCost", "60000000000000000000")).Row(("BilledCost", "60000000000000000000"));

        var message = Should.Throw<UserInputException>(() => Read(csv.WriteTo(_temp.File("huge.csv")))).Message;

        message.ShouldContain("reach 10^20 or more");
        var column = FocusCsv.Focus10Columns.ToList().IndexOf("BilledCost") + 1;
        message.ShouldContain($"huge.csv: line 3, column {column} (BilledCost)");
    }

    [Fact]
    public void ATotalThatIsNotADecimalExactly_RefusesTheFile_InsteadOfRecordingARoundedTotal()
    {
        var csv = new FocusCsv().Row(("BilledCost", "1000000000000")).Row(("BilledCost", "0.000000000000000001"));

        Should.Throw<UserInputException>(() => Read(csv.WriteTo(_temp.File("digits.csv")))).Message.ShouldContain("1000000000000.000000000000000001");
    }

    [Fact]
    public void Totals_AreExact_WhereDecimalAdditionWouldRound()
    {
        var csv = new FocusCsv().Row(("BilledCost", "12345678901.5")).Row(("BilledCost", "0.123456789012345678")).Row(("BilledCost", "0.000000000000000001"));

        var report = Read(csv.WriteTo(_temp.File("exact.csv")));

        report.Totals["USD"].BilledText.ShouldBe("12345678901.623456789012345679");
        report.Totals["USD"].Billed.ShouldBe(12345678901.623456789012345679m);
    }

    [Fact]
    public void FolderWalk_DoesNotFollowFolderLinks_SoALoopImportsTheFileOnce_AndUpNeverHangs()
    {
        var folder = Directory.CreateDirectory(_temp.File("export")).FullName;
        Rows(3).WriteTo(Path.Combine(folder, "part-0001.csv"));
        File.CreateSymbolicLink(Path.Combine(folder, "loop"), ".");
        File.CreateSymbolicLink(Path.Combine(folder, "up"), "..");

        var collected = FocusImporter.Collect([folder]);

        collected.Files.Select(f => Path.GetFileName(f.Path)).ShouldBe(["part-0001.csv"]);
        collected.Warnings.Count.ShouldBe(2);
        collected.Warnings.ShouldAllBe(w => w.Contains("links to folders inside a folder are not followed"));
    }

    [Fact]
    public void DanglingLinks_AndLinkLoops_AreRefusedByName()
    {
        File.CreateSymbolicLink(_temp.File("dangling.csv"), "nowhere.csv");
        File.CreateSymbolicLink(_temp.File("a.csv"), "b.csv");
        File.CreateSymbolicLink(_temp.File("b.csv"), "a.csv");

        Should.Throw<UserInputException>(() => FocusImporter.Collect([_temp.File("dangling.csv")])).Message.ShouldContain("dangling link");
        Should.Throw<UserInputException>(() => FocusImporter.Collect([_temp.File("a.csv")])).Message.ShouldContain("link loop");
        Should.Throw<UserInputException>(() => FocusImporter.Collect([_temp.Path])).Message.ShouldContain(".csv");
    }

    [Fact]
    public void Fifos_AreRefusedByName_NeverOpened()
    {
        var fifo = _temp.File("pipe.csv");
        MakeFifo(fifo);
        FileKinds.Of(fifo).ShouldBe(FileKind.Fifo);
        FileKinds.Of("/dev/null").ShouldBe(FileKind.CharacterDevice);
        var watch = Stopwatch.StartNew();

        Should.Throw<UserInputException>(() => FocusImporter.Collect([fifo])).Message.ShouldContain("pipe.csv is a FIFO (named pipe), not a regular file");
        Should.Throw<UserInputException>(() => FocusImporter.Collect([_temp.Path])).Message.ShouldContain("pipe.csv is a FIFO");
        Should.Throw<UserInputException>(() => UserFiles.ReadText("/dev/zero", "usage file '/dev/zero'")).Message.ShouldContain("a character device");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AFileLink_InAFolder_IsRead()
    {
        var folder = Directory.CreateDirectory(_temp.File("export")).FullName;
        var target = Rows(2).WriteTo(_temp.File("elsewhere.csv"));
        File.CreateSymbolicLink(Path.Combine(folder, "part-0001.csv"), target);

        FocusImporter.Collect([folder]).Files.Select(f => Path.GetFileName(f.Path)).ShouldBe(["part-0001.csv"]);
    }

    [Fact]
    public void ADamagedParquetFile_IsRefusedSayingWhatIsWrong_WithoutTheSqlThatReadIt()
    {
        var path = _temp.File("export.parquet");
        File.WriteAllText(path, "PAR1 this is not really a parquet file");

        var error = Should.Throw<UserInputException>(() => Read(path));

        error.Message.ShouldStartWith("export.parquet: cannot be read as Parquet: ");
        error.Message.ShouldContain("not a Parquet file");
        error.Message.ShouldNotContain("LINE 1");
        error.Message.ShouldNotContain("read_parquet");
        error.Message.ShouldNotContain("SELECT");
    }

    [Fact]
    public void AParquetFileWithADamagedPage_IsRefusedSayingItsDataIsDamaged()
    {
        // Given a Parquet file whose last row group's first page is overwritten with garbage
        var path = _temp.File("export.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT 'resource-' || i || '-' || md5(CAST(i AS VARCHAR)) AS ResourceId FROM range(6144) t(i)) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)";
            command.ExecuteNonQuery();
            command.CommandText = $"SELECT max(data_page_offset) FROM parquet_metadata('{path}')";
            var lastPage = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            using var file = File.OpenWrite(path);
            file.Position = lastPage;
            file.Write(Enumerable.Repeat((byte)0xFF, 64).ToArray());
        }

        // When it is read, then the refusal names the file and says what is wrong in the user's words
        var error = Should.Throw<UserInputException>(() =>
        {
            using var source = new ParquetRecordSource(path);
            while (source.Read())
            {
            }
        });

        error.Message.ShouldStartWith("export.parquet: ");
        error.Message.ShouldContain("its data is damaged: a page of the file cannot be decoded");
        error.Message.ShouldNotContain("don't know what type");
    }

    [Fact]
    public async Task AParquetSource_ClosedBeforeItsLastRow_StopsReadingAhead_AndAFreshOneReadsEveryRowInOrder()
    {
        // Given a Parquet file of many batches (DuckDB reads it a batch ahead, on a thread of its own)
        var path = _temp.File("export.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT 'resource-' || i AS ResourceId, CASE WHEN i % 7 = 0 THEN NULL ELSE i END AS BilledCost FROM range(20000) t(i)) TO '{path}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        // When one is closed after a few rows, it returns (the read-ahead stops instead of waiting for room forever)
        var closed = Task.Run(() =>
        {
            using var source = new ParquetRecordSource(path);
            for (var i = 0; i < 10; i++)
            {
                source.Read().ShouldBeTrue();
            }
        });
        var first = await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(60)));
        first.ShouldBe(closed, "closing a Parquet source before its end must not hang");
        await closed;

        // And another reads every row in file order, nulls as empty fields, with its row number
        using var whole = new ParquetRecordSource(path);
        var rows = 0;
        while (whole.Read())
        {
            whole.Line.ShouldBe(rows + 1);
            whole[0].ToString().ShouldBe($"resource-{rows}");
            whole[1].ToString().ShouldBe(rows % 7 == 0 ? "" : rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            rows++;
        }

        rows.ShouldBe(20000);
        whole.Read().ShouldBeFalse();
    }

    internal static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
