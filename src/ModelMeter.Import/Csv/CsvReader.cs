using System.Buffers;
using System.Text;

namespace ModelMeter.Import.Csv;

/// <summary>
/// A streaming RFC 4180 reader: comma-separated, double-quoted fields with doubled quotes inside, CRLF or LF line ends,
/// newlines inside quoted fields. It keeps one record in memory at a time and knows the physical line each record
/// starts on, so every error can name its line. Fields are exposed as spans valid until the next <see cref="Read"/>.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private static readonly SearchValues<char> Specials = SearchValues.Create(",\"\r\n");

    private readonly TextReader _reader;
    private readonly char[] _buffer;
    private int _position;
    private int _length;
    private bool _endOfInput;

    private char[] _fieldChars = new char[4096];
    private int _fieldCharCount;
    private int[] _fieldEnds = new int[64];
    private int _fieldCount;
    private long _nextLine = 1;
    private bool _quotedAfterCr;

    public CsvReader(TextReader reader, int bufferSize = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _buffer = new char[bufferSize];
    }

    /// <summary>
    /// Opens a file as UTF-8 (a BOM is skipped), decompressing <c>.gz</c> files on the fly and verifying their trailers
    /// (<see cref="Compression.VerifiedGzipStream"/>). Bytes that are not UTF-8 become U+FFFF and are counted in
    /// <paramref name="invalidUtf8"/>, so the caller can refuse the record holding them with its line and column.
    /// </summary>
    public static CsvReader Open(Stream stream, bool gzip, Utf8Errors invalidUtf8)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (gzip)
        {
            stream = new Compression.VerifiedGzipStream(stream);
        }

        // With its preamble set, StreamReader skips a UTF-8 byte order mark at the start (and only there).
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
        encoding.DecoderFallback = invalidUtf8;
        return new CsvReader(new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16));
    }

    /// <summary>Opens a file as <see cref="Open(Stream, bool, Utf8Errors)"/> does, counting invalid UTF-8 nowhere the caller sees.</summary>
    public static CsvReader Open(Stream stream, bool gzip) => Open(stream, gzip, new Utf8Errors());

    /// <summary>The characters of every field of the current record, one after another (for checks over the whole record).</summary>
    public ReadOnlySpan<char> RecordChars => _fieldChars.AsSpan(0, _fieldCharCount);

    /// <summary>The 0-based field that holds character <paramref name="offset"/> of <see cref="RecordChars"/>.</summary>
    public int FieldAt(int offset)
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            if (offset < _fieldEnds[i])
            {
                return i;
            }
        }

        return Math.Max(0, _fieldCount - 1);
    }

    /// <summary>The physical line (1-based) the current record starts on.</summary>
    public long Line { get; private set; }

    public int FieldCount => _fieldCount;

    /// <summary>Set when the current record had a quote problem (text after a closing quote, or a quote never closed).</summary>
    public string? RecordError { get; private set; }

    /// <summary>1-based field number the record error was found in.</summary>
    public int RecordErrorField { get; private set; }

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var start = index == 0 ? 0 : _fieldEnds[index - 1];
            return _fieldChars.AsSpan(start, _fieldEnds[index] - start);
        }
    }

    /// <summary>Where field <paramref name="index"/> of the current record ends in <see cref="RecordChars"/>.</summary>
    public int FieldEnd(int index) => _fieldEnds[index];

    public string GetString(int index) => new(this[index]);

    /// <summary>Reads the next record. Blank lines are skipped. Returns false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            if (!ReadRecord())
            {
                return false;
            }

            // A blank line is one empty field: skip it, as every CSV reader users know does.
            if (_fieldCount == 1 && _fieldEnds[0] == 0 && RecordError is null)
            {
                continue;
            }

            return true;
        }
    }

    public void Dispose() => _reader.Dispose();

    private bool ReadRecord()
    {
        _fieldCharCount = 0;
        _fieldCount = 0;
        RecordError = null;
        RecordErrorField = 0;
        Line = _nextLine;
        if (!EnsureData())
        {
            return false;
        }

        while (true)
        {
            // At the start of a field.
            if (!EnsureData())
            {
                CutShort();
                EndField();
                return true;
            }

            if (_buffer[_position] == '"')
            {
                _position++;
                ReadQuotedField();
                // After the closing quote: a delimiter, a line end, the end of input, or an error.
                if (!EnsureData())
                {
                    EndField();
                    return true;
                }

                var next = _buffer[_position];
                if (next != ',' && next != '\r' && next != '\n')
                {
                    SetError("text after a closing quote; quotes inside a field must be doubled (\"\")");
                    // Keep the rest of the field as text so the record still has its columns.
                    ReadUnquotedRun();
                    if (!EnsureData())
                    {
                        EndField();
                        return true;
                    }

                    next = _buffer[_position];
                }

                if (next == ',')
                {
                    _position++;
                    EndField();
                    continue;
                }

                EndField();
                ConsumeLineEnd();
                return true;
            }

            ReadUnquotedRun();
            if (!EnsureData())
            {
                CutShort();
                EndField();
                return true;
            }

            var c = _buffer[_position];
            if (c == ',')
            {
                _position++;
                EndField();
                continue;
            }

            if (c == '"')
            {
                // A quote in the middle of an unquoted field: keep it, as lenient readers do, but say so.
                SetError("a quote inside an unquoted field; quote the whole field and double the inner quotes");
                Append('"');
                _position++;
                continue;
            }

            EndField();
            ConsumeLineEnd();
            return true;
        }
    }

    private void ReadUnquotedRun()
    {
        while (EnsureData())
        {
            var span = _buffer.AsSpan(_position, _length - _position);
            var stop = span.IndexOfAny(Specials);
            if (stop < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }

            Append(span[..stop]);
            _position += stop;
            return;
        }
    }

    private void ReadQuotedField()
    {
        _quotedAfterCr = false;
        while (true)
        {
            if (!EnsureData())
            {
                SetError("a quoted field is never closed");
                return;
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var quote = span.IndexOf('"');
            var chunk = quote < 0 ? span : span[..quote];
            CountLines(chunk);
            Append(chunk);
            if (quote < 0)
            {
                _position = _length;
                continue;
            }

            _position += quote + 1;
            if (EnsureData() && _buffer[_position] == '"')
            {
                Append('"');
                _position++;
                _quotedAfterCr = false;
                continue;
            }

            return;
        }
    }

    private void ConsumeLineEnd()
    {
        if (_buffer[_position] == '\r')
        {
            _position++;
            if (EnsureData() && _buffer[_position] == '\n')
            {
                _position++;
            }
        }
        else if (_buffer[_position] == '\n')
        {
            _position++;
        }

        _nextLine++;
    }

    private void CountLines(ReadOnlySpan<char> chunk)
    {
        // CR LF, a lone LF and a lone CR (old Mac files) each end one line. The chunk may end between the CR and the LF
        // of one line end when the buffer is refilled, so whether the last character was a CR carries over.
        while (!chunk.IsEmpty)
        {
            var at = chunk.IndexOfAny('\r', '\n');
            if (at < 0)
            {
                _quotedAfterCr = false;
                return;
            }

            if (chunk[at] == '\r' || at > 0 || !_quotedAfterCr)
            {
                _nextLine++;
            }

            _quotedAfterCr = chunk[at] == '\r';
            chunk = chunk[(at + 1)..];
        }
    }

    /// <summary>
    /// The input ended inside an unquoted field, with no line end after it. A CSV file ends its last line too; without
    /// one, the last value may be cut (12.3 of 12.345, a file copied in part), which no other check could see.
    /// </summary>
    private void CutShort() =>
        SetError("the file ends inside this field, without a line end: it looks cut short (a complete CSV file ends its last line with a line end too)");

    private void SetError(string message)
    {
        if (RecordError is null)
        {
            RecordError = message;
            RecordErrorField = _fieldCount + 1;
        }
    }

    private void EndField()
    {
        if (_fieldCount == _fieldEnds.Length)
        {
            Array.Resize(ref _fieldEnds, _fieldEnds.Length * 2);
        }

        _fieldEnds[_fieldCount++] = _fieldCharCount;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_fieldCharCount + chars.Length > _fieldChars.Length)
        {
            Array.Resize(ref _fieldChars, Math.Max(_fieldChars.Length * 2, _fieldCharCount + chars.Length));
        }

        chars.CopyTo(_fieldChars.AsSpan(_fieldCharCount));
        _fieldCharCount += chars.Length;
    }

    private void Append(char c)
    {
        if (_fieldCharCount == _fieldChars.Length)
        {
            Array.Resize(ref _fieldChars, _fieldChars.Length * 2);
        }

        _fieldChars[_fieldCharCount++] = c;
    }

    private bool EnsureData()
    {
        if (_position < _length)
        {
            return true;
        }

        if (_endOfInput)
        {
            return false;
        }

        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (_length == 0)
        {
            _endOfInput = true;
            return false;
        }

        return true;
    }
}

/// <summary>
/// A UTF-8 decoder fallback that turns each invalid byte sequence into U+FFFF and counts them: decoding never throws in
/// the middle of a buffer (where no line is known), and the record holding the bad bytes is found and refused later.
/// </summary>
public sealed class Utf8Errors : DecoderFallback
{
    /// <summary>What an invalid byte sequence becomes: a noncharacter, never produced by valid UTF-8 on these files' paths.</summary>
    public const char Marker = '\uFFFF';

    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override int MaxCharCount => 1;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private sealed class Buffer(Utf8Errors owner) : DecoderFallbackBuffer
    {
        private int _pending;

        public override int Remaining => _pending;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            Interlocked.Increment(ref owner._count);
            _pending = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_pending == 0)
            {
                return '\0';
            }

            _pending--;
            return Marker;
        }

        public override bool MovePrevious()
        {
            if (_pending == 0)
            {
                _pending = 1;
                return true;
            }

            return false;
        }

        public override void Reset() => _pending = 0;
    }
}
