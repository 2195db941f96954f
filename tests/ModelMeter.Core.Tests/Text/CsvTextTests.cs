using System.Text;
using CsCheck;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;

namespace ModelMeter.Core.Tests.Text;

/// <summary>
/// The core's CSV reader: a line without quotes is cut at its commas in one step, any other line is read char by
/// char; both paths must read every text exactly as RFC 4180 (with this reader's blank-line, comment and CR rules) does.
/// </summary>
public class CsvTextTests
{
    [Fact]
    public void PlainQuotedBlankCommentAndCrLfLines_AreReadWithTheirLineNumbers()
    {
        const string text = "a,b\r\n1,2\n\n# a comment, with a comma\n\"x,y\",3\n  \n4,\n\"multi\nline\",z\n5";

        var records = CsvText.Parse(text, "t.csv").Select(r => (r.Line, string.Join('|', r.Fields))).ToList();

        records.ShouldBe([(1, "a|b"), (2, "1|2"), (5, "x,y|3"), (7, "4|"), (8, "multi\nline|z"), (10, "5")]);
    }

    [Fact]
    public void ACarriageReturnInsideAnUnquotedLine_IsDropped_AsOnTheGeneralPath()
    {
        CsvText.Parse("a,b\n1\r2,3\r\n", "t.csv").Select(r => string.Join('|', r.Fields)).ShouldBe(["a|b", "12|3"]);
    }

    [Fact]
    public void AQuoteInsideAnUnquotedField_IsRefusedAtItsLine()
    {
        var error = Should.Throw<UserInputException>(() => CsvText.Parse("a,b\n1,2\n1,x\"y\n", "t.csv"));

        error.Message.ShouldBe("t.csv: line 3: a double quote inside an unquoted field; quote the whole field and double the quote.");
    }

    [Fact]
    public void EveryText_IsReadAsTheCharByCharReferenceReadsIt()
    {
        // Texts over the characters that matter to the reader, so quotes, CR, blank lines and comments meet plain lines.
        Gen.Char["ab,\"\n\r# "].Array[0, 60]
            .Select(chars => new string(chars))
            .Sample(text =>
            {
                Outcome(() => CsvText.Parse(text, "t.csv").Select(r => (r.Line, string.Join('\u001f', r.Fields))).ToList())
                    .ShouldBe(Outcome(() => Reference(text)), $"text: {Escape(text)}");
            }, iter: 20_000);
    }

    [Fact]
    public void EveryText_ReadFromAStreamInSmallBlocks_GivesTheRecordsAndErrorsOfItsWholeText()
    {
        // Blocks of 4 to 24 bytes cut most texts many times: at quotes, inside quoted line breaks, at comments.
        Gen.Select(Gen.Char["ab,\"\n\r# é"].Array[0, 80], Gen.Int[4, 24])
            .Sample((chars, block) =>
            {
                var text = new string(chars);
                Outcome(() => FromStream(Encoding.UTF8.GetBytes(text), block))
                    .ShouldBe(Outcome(() => CsvText.Parse(text, "t.csv").Select(r => (r.Line, string.Join('\u001f', r.Fields))).ToList()), $"text: {Escape(text)}, blocks of {block}");
            }, iter: 20_000);
    }

    [Fact]
    public void AStream_DropsAByteOrderMarkOnlyAtItsStart_AndNamesTheFilesLineOfABadByteInALaterBlock()
    {
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        var text = Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n");
        FromStream([.. bom, .. text], 6).ShouldBe([(1, "a\u001fb"), (2, "1\u001f2"), (3, "3\u001f4")]);
        FromStream([.. text, .. bom, .. "5,6\n"u8.ToArray()], 6)[^1].Fields.ShouldBe("\uFEFF5\u001f6");

        byte[] bad = [.. Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n5,"), 0xFF, .. "6\n"u8.ToArray()];
        Should.Throw<UserInputException>(() => FromStream(bad, 5)).Message.ShouldBe("t.csv: line 4, column 3: byte 0xFF is not UTF-8; save the file as UTF-8.");
        byte[] nul = [.. Encoding.UTF8.GetBytes("a,b\n1,2\n3,"), 0, .. "4\n"u8.ToArray()];
        Should.Throw<UserInputException>(() => FromStream(nul, 5)).Message.ShouldBe("t.csv: line 3, column 3: a NUL character (U+0000); a text file holds none.");
    }

    [Fact]
    public void ARecordLongerThanABlock_IsReadWhole()
    {
        var field = new string('x', 5_000);
        var text = $"a,b\n\"{field}\n{field}\",1\n2,3\n";

        FromStream(Encoding.UTF8.GetBytes(text), 64).ShouldBe([(1, "a\u001fb"), (2, $"{field}\n{field}\u001f1"), (4, "2\u001f3")]);
    }

    private static List<(int Line, string Fields)> FromStream(byte[] bytes, int block) =>
        CsvText.Records(new MemoryStream(bytes), "t.csv", block).Select(r => (r.Line, string.Join('\u001f', r.Fields))).ToList();

    private static string Outcome(Func<List<(int Line, string Fields)>> read)
    {
        try
        {
            return string.Join('\n', read().Select(r => $"{r.Line}:{r.Fields}"));
        }
        catch (UserInputException e)
        {
            return "error: " + e.Message;
        }
    }

    private static string Escape(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n");

    /// <summary>The reader's rules, char by char and nothing else: the oracle the one-step path is checked against.</summary>
    private static List<(int Line, string Fields)> Reference(string text)
    {
        var records = new List<(int, string)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool inQuotes = false, quoted = false, atStart = true;
        void End()
        {
            fields.Add(field.ToString());
            field.Clear();
            quoted = false;
            atStart = true;
            if (fields.Count > 1 || fields[0].Trim().Length > 0)
            {
                records.Add((recordLine, string.Join('\u001f', fields)));
            }

            fields.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (atStart && c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                line++;
                recordLine = line;
            }
            else if (c == '"' && field.Length == 0 && !quoted)
            {
                inQuotes = quoted = true;
                atStart = false;
            }
            else if (c == '"')
            {
                throw new UserInputException($"t.csv: line {line}: a double quote inside an unquoted field; quote the whole field and double the quote.");
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                quoted = false;
                atStart = false;
            }
            else if (c == '\n')
            {
                End();
                line++;
                recordLine = line;
            }
            else if (c != '\r')
            {
                field.Append(c);
                atStart = false;
            }
        }

        if (inQuotes)
        {
            throw new UserInputException($"t.csv: line {recordLine}: a quoted field is never closed.");
        }

        End();
        return records;
    }
}
