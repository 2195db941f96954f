using System.Text;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Text;

/// <summary>One CSV record with the line it starts on (1-based), for error messages.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader for the CSV texts the core parses (rate tables, tag mappings, usage): commas, double
/// quotes with <c>""</c> escapes, quoted line breaks, CRLF or LF. Blank lines and lines starting with <c>#</c> are skipped.
/// </summary>
public static class CsvText
{
    public static IReadOnlyList<CsvRecord> Parse(string text, string sourceName) => Records(text, sourceName).ToList();

    /// <summary>
    /// The records of <paramref name="text"/> one at a time, as <see cref="Parse"/> reads them (the same records, the
    /// same errors, raised when the reader reaches them): a caller that streams them, such as a usage import of
    /// millions of lines, never holds them all.
    /// </summary>
    public static IEnumerable<CsvRecord> Records(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(text, sourceName, firstLine: 1);
    }

    /// <summary>
    /// The records of a UTF-8 file read from <paramref name="utf8"/> in blocks of whole records, as
    /// <see cref="Records(string, string)"/> reads the file's text (the same records and errors, at the same lines), with
    /// the file checked as <see cref="Utf8Text.Decode"/> checks it: a block's bad byte or NUL is refused when the reader
    /// reaches that block. Only a block is held (a usage file of 10M lines is 483 MB, 966 MB as one string).
    /// </summary>
    public static IEnumerable<CsvRecord> Records(Stream utf8, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return ReadBlocks(utf8, sourceName, BlockBytes);
    }

    private const int BlockBytes = 1 << 20;

    /// <summary>As <see cref="Records(Stream, string)"/>, in blocks of <paramref name="blockBytes"/> (tests cut many blocks of a small text).</summary>
    internal static IEnumerable<CsvRecord> Records(Stream utf8, string sourceName, int blockBytes) => ReadBlocks(utf8, sourceName, blockBytes);

    private static IEnumerable<CsvRecord> ReadBlocks(Stream utf8, string sourceName, int blockBytes)
    {
        var buffer = new byte[blockBytes];
        var filled = 0;
        var line = 1;
        var atStart = true;
        var end = false;
        while (true)
        {
            while (!end && filled < buffer.Length)
            {
                var read = utf8.Read(buffer, filled, buffer.Length - filled);
                end = read == 0;
                filled += read;
            }

            if (atStart)
            {
                atStart = false;
                if (buffer.AsSpan(0, filled).StartsWith(Utf8Text.ByteOrderMark))
                {
                    buffer.AsSpan(3, filled - 3).CopyTo(buffer);
                    filled -= 3;
                }
            }

            const int start = 0;

            // Up to the last line break outside quotes: the reader's state there is a new record's, as at the start.
            var cut = end ? filled : start + RecordsEnd(buffer.AsSpan(start, filled - start));
            if (cut == start && !end)
            {
                // One record longer than the buffer (or a quote never closed): read on with a larger one.
                Array.Resize(ref buffer, buffer.Length * 2);
                continue;
            }

            var block = buffer.AsSpan(start, cut - start);
            var text = Utf8Text.DecodeLines(block, sourceName, line);
            var lines = block.Count((byte)'\n');
            foreach (var record in Read(text, sourceName, line))
            {
                yield return record;
            }

            line += lines;
            if (end)
            {
                yield break;
            }

            buffer.AsSpan(cut, filled - cut).CopyTo(buffer);
            filled -= cut;
        }
    }

    /// <summary>
    /// The length of the whole records at the start of <paramref name="bytes"/>: just past the last line break outside
    /// a quoted field (quotes counted as the reader pairs them; a comment line's are not), or 0.
    /// </summary>
    private static int RecordsEnd(ReadOnlySpan<byte> bytes)
    {
        var last = 0;
        var inQuotes = false;
        var i = 0;
        while (i < bytes.Length)
        {
            // A record starts here: carriage returns before a '#' still make a comment line, as the reader skips them.
            var first = i;
            while (!inQuotes && i == last && first < bytes.Length && bytes[first] == (byte)'\r')
            {
                first++;
            }

            if (!inQuotes && i == last && first < bytes.Length && bytes[first] == (byte)'#')
            {
                var lineEnd = bytes[i..].IndexOf((byte)'\n');
                if (lineEnd < 0)
                {
                    break;
                }

                i += lineEnd + 1;
                last = i;
                continue;
            }

            var next = bytes[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                break;
            }

            i += next;
            if (bytes[i] == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                last = i + 1;
            }

            i++;
        }

        return last;
    }

    private static IEnumerable<CsvRecord> Read(string text, string sourceName, int firstLine)
    {
        CsvRecord? ready = null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = firstLine;
        var recordLine = firstLine;
        var inQuotes = false;
        var fieldWasQuoted = false;
        var atRecordStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            // The common line has no quote and no carriage return before its end: its fields are cut straight from
            // the text (a vectorised search for the commas) instead of char by char. Any other line takes the general path.
            if (atRecordStart && c != '#')
            {
                var end = text.IndexOf('\n', i);
                var stop = end < 0 ? text.Length : end;
                var plain = text.AsSpan(i, stop - i);
                if (plain.Length > 0 && plain[^1] == '\r')
                {
                    plain = plain[..^1];
                }

                if (plain.IndexOfAny('"', '\r') < 0)
                {
                    var record = PlainRecord(recordLine, plain);
                    i = end < 0 ? text.Length : end;
                    if (end >= 0)
                    {
                        line++;
                        recordLine = line;
                    }

                    if (record is not null)
                    {
                        yield return record;
                    }

                    continue;
                }
            }

            if (atRecordStart && c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                line++;
                recordLine = line;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    atRecordStart = false;
                    break;
                case '"':
                    throw new UserInputException($"{sourceName}: line {line}: a double quote inside an unquoted field; quote the whole field and double the quote.");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    atRecordStart = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    if (ready is not null)
                    {
                        yield return ready;
                        ready = null;
                    }

                    break;
                default:
                    field.Append(c);
                    atRecordStart = false;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new UserInputException($"{sourceName}: line {recordLine}: a quoted field is never closed.");
        }

        EndRecord();
        if (ready is not null)
        {
            yield return ready;
        }

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldWasQuoted = false;
            atRecordStart = true;
            if (fields.Count > 1 || fields[0].Trim().Length > 0)
            {
                ready = new CsvRecord(recordLine, fields.ToArray());
            }

            fields.Clear();
        }
    }

    /// <summary>A line without quotes as a record, or null for a blank line (as the general path skips it).</summary>
    private static CsvRecord? PlainRecord(int line, ReadOnlySpan<char> plain)
    {
        var fields = new string[plain.Count(',') + 1];
        for (var f = 0; f < fields.Length - 1; f++)
        {
            var comma = plain.IndexOf(',');
            fields[f] = new string(plain[..comma]);
            plain = plain[(comma + 1)..];
        }

        fields[^1] = new string(plain);
        return fields.Length > 1 || fields[0].AsSpan().Trim().Length > 0 ? new CsvRecord(line, fields) : null;
    }

    /// <summary>Maps header names (trimmed, case-insensitive) to their column index; duplicate names are an error.</summary>
    public static Dictionary<string, int> Header(CsvRecord header, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(header);
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (name.Length == 0)
            {
                throw new UserInputException($"{sourceName}: line {header.Line}, column {i + 1}: the header has an empty column name.");
            }

            if (!columns.TryAdd(name, i))
            {
                throw new UserInputException($"{sourceName}: line {header.Line}, column {i + 1}: column '{name}' appears twice in the header.");
            }
        }

        return columns;
    }
}
