using System.Text;
using ModelMeter.Import.Csv;

namespace ModelMeter.Import.Tests.Csv;

public class CsvReaderTests
{
    /// <summary>Every record as (line, fields, error).</summary>
    private static List<(long Line, string[] Fields, string? Error, int ErrorField)> ReadAll(string text, int bufferSize = 1 << 16)
    {
        using var reader = new CsvReader(new StringReader(text), bufferSize);
        var records = new List<(long, string[], string?, int)>();
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
            records.Add((reader.Line, fields, reader.RecordError, reader.RecordErrorField));
        }

        return records;
    }

    [Fact]
    public void Read_SplitsPlainFields_AndCountsLines()
    {
        var records = ReadAll("a,b,c\n1,2,3\n");

        records.Select(r => r.Fields).ShouldBe([["a", "b", "c"], ["1", "2", "3"]]);
        records.Select(r => r.Line).ShouldBe([1L, 2L]);
        records.ShouldAllBe(r => r.Error == null);
    }

    [Fact]
    public void Read_QuotedFields_KeepCommasAndDoubledQuotes()
    {
        var records = ReadAll("\"Amazon Web Services, Inc.\",\"say \"\"hi\"\"\",\"\"\n");

        records.Single().Fields.ShouldBe(["Amazon Web Services, Inc.", "say \"hi\"", ""]);
    }

    [Fact]
    public void Read_CrLfLineEnds_AreNotPartOfTheLastField()
    {
        var records = ReadAll("a,b\r\n1,\"2\"\r\n3,4\r\n");

        records.Select(r => r.Fields).ShouldBe([["a", "b"], ["1", "2"], ["3", "4"]]);
        records.Select(r => r.Line).ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public void Read_LastLineWithoutLineEnd_IsARecord()
    {
        var records = ReadAll("a,b\n1,2");

        records.Last().Fields.ShouldBe(["1", "2"]);
    }

    [Fact]
    public void Read_EmptyFields_AreKept()
    {
        ReadAll(",,\n").Single().Fields.ShouldBe(["", "", ""]);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Read_NewlinesInsideQuotedFields_AreKept_AndLaterRecordsNameTheirPhysicalLine(string newline)
    {
        var text = $"h1,h2{newline}1,\"first{newline}second{newline}third\"{newline}2,plain{newline}";

        var records = ReadAll(text);

        records[1].Fields[1].ShouldBe($"first{newline}second{newline}third");
        records.Select(r => r.Line).ShouldBe([1L, 2L, 5L]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(16)]
    public void Read_LineNumbers_DoNotDependOnWhereTheBufferSplitsTheInput(int bufferSize)
    {
        var text = "h1,h2\r\n1,\"a\r\nb\r\nc\"\r\n2,\"x\"\"y\"\r\n\r\n3,z\r\n";

        var records = ReadAll(text, bufferSize);

        records.Select(r => r.Fields).ShouldBe([["h1", "h2"], ["1", "a\r\nb\r\nc"], ["2", "x\"y"], ["3", "z"]]);
        records.Select(r => r.Line).ShouldBe([1L, 2L, 5L, 7L]);
    }

    [Fact]
    public void Read_ByteOrderMark_IsNotPartOfTheFirstColumnName()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("BillingAccountId,BilledCost\nacct,1\n")).ToArray();
        using var reader = CsvReader.Open(new MemoryStream(bytes), gzip: false);

        reader.Read().ShouldBeTrue();

        reader.GetString(0).ShouldBe("BillingAccountId");
    }

    [Fact]
    public void Read_BlankLines_AreSkipped_ButStillCounted()
    {
        var records = ReadAll("a,b\n\n\n1,2\r\n\r\n3,4\n\n");

        records.Select(r => r.Fields).ShouldBe([["a", "b"], ["1", "2"], ["3", "4"]]);
        records.Select(r => r.Line).ShouldBe([1L, 4L, 6L]);
    }

    [Fact]
    public void Read_UnclosedQuote_IsReportedOnTheLineItStarts()
    {
        var records = ReadAll("a,b\n1,\"never closed\n2,3\n");

        var bad = records[1];
        bad.Line.ShouldBe(2L);
        bad.Error.ShouldNotBeNull().ShouldContain("never closed");
        bad.ErrorField.ShouldBe(2);
    }

    [Fact]
    public void Read_TextAfterAClosingQuote_IsAnError_ButTheRecordKeepsItsFields()
    {
        var records = ReadAll("a,b,c\n1,\"x\"y,3\n");

        var bad = records[1];
        bad.Error.ShouldNotBeNull().ShouldContain("doubled");
        bad.ErrorField.ShouldBe(2);
        bad.Fields.Length.ShouldBe(3);
        bad.Fields[2].ShouldBe("3");
    }

    [Fact]
    public void Read_QuoteInsideAnUnquotedField_IsAnError()
    {
        var records = ReadAll("a,b\n1,x\"y\n");

        records[1].Error.ShouldNotBeNull().ShouldContain("quote");
        records[1].Fields.ShouldBe(["1", "x\"y"]);
    }

    [Fact]
    public void Read_AfterAnError_TheNextRecordIsClean()
    {
        var records = ReadAll("a,b\n1,x\"y\n2,3\n");

        records[2].Error.ShouldBeNull();
        records[2].Fields.ShouldBe(["2", "3"]);
    }

    [Fact]
    public void Read_LongFields_AndManyFields_GrowTheBuffers()
    {
        var longValue = new string('x', 20_000);
        var many = string.Join(',', Enumerable.Range(0, 200));

        var records = ReadAll($"{longValue},\"{longValue}\"\n{many}\n", bufferSize: 1024);

        records[0].Fields.ShouldBe([longValue, longValue]);
        records[1].Fields.Length.ShouldBe(200);
        records[1].Fields[199].ShouldBe("199");
    }

    [Fact]
    public void Open_Gzip_DecompressesOnTheFly()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        }

        compressed.Position = 0;
        using var reader = CsvReader.Open(compressed, gzip: true);

        reader.Read().ShouldBeTrue();
        reader.Read().ShouldBeTrue();
        reader.GetString(1).ShouldBe("2");
        reader.Read().ShouldBeFalse();
    }
}
