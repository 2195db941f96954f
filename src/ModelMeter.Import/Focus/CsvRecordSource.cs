using System.Buffers;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Csv;
using ModelMeter.Import.Files;

namespace ModelMeter.Import.Focus;

/// <summary>
/// A CSV or gzip CSV file as records. Besides the reader's own structural checks, every record is looked at once as a
/// whole (one vectorised search, no allocation): a NUL character, or bytes that were not UTF-8 (decoded as U+FFFF and
/// counted by <see cref="Utf8Errors"/>), refuse the record with its line and column instead of being stored. A gzip
/// file that is corrupt or cut short ends the read with an error naming the file (<see cref="Compression.VerifiedGzipStream"/>).
/// <para>
/// After the header, the file is decoded, split and checked on a thread of its own, a few batches of records ahead of
/// the caller, which reads each record from its batch: reading the text was a quarter of the parsing thread's time on the
/// demo's file, and the import's two threads left most of a second core idle (BENCHMARKS.md, issue 9). A read error
/// (a damaged gzip file, an I/O error) reaches the caller after the records before it.
/// </para>
/// </summary>
internal sealed class CsvRecordSource : IFocusRecordSource, IPositioned
{
    private static readonly SearchValues<char> NulOnly = SearchValues.Create("\0");
    private static readonly SearchValues<char> NulOrInvalid = SearchValues.Create("\0" + Utf8Errors.Marker);

    private const int BatchRecords = 256;
    private const int Batches = 4;

    private readonly CsvReader _reader;
    private readonly FileStream _file;
    private readonly Sha256ReadStream? _hashing;
    private readonly string _name;
    private readonly Utf8Errors _invalidUtf8 = new();
    private readonly ReadAhead<RecordBatch> _batches;
    private RecordBatch? _current;
    private int _record = -1;
    private string? _charError;
    private int _charErrorField;

    /// <param name="path">The file (<c>.gz</c>: decompressed on the fly).</param>
    /// <param name="what">What the file should be, for the message about an empty one: <c>a FOCUS export</c>.</param>
    /// <param name="fingerprint">
    /// Take the SHA-256 of a plain CSV file's bytes as they are read (<see cref="Sha256"/>). A gzip file is not: its
    /// reader seeks to find each member's trailer, and its compressed bytes are few enough for a pass of their own.
    /// </param>
    public CsvRecordSource(string path, string what = "a FOCUS export", bool fingerprint = false)
    {
        _name = Path.GetFileName(path);
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        _hashing = fingerprint && !gzip ? new Sha256ReadStream(_file) : null;
        try
        {
            _reader = CsvReader.Open(_hashing ?? (Stream)_file, gzip, _invalidUtf8);
        }
        catch (InvalidDataException e)
        {
            _file.Dispose();
            throw NotGzip(e);
        }

        try
        {
            if (!ReadChecked())
            {
                throw new UserInputException($"{_name}: the file is empty; {what} starts with a header line of column names.");
            }

            if (_charError is not null)
            {
                throw new UserInputException($"{_name}: line 1, column {_charErrorField}: the header {_charError}.");
            }
        }
        catch
        {
            _reader.Dispose();
            throw;
        }

        var header = new string[_reader.FieldCount];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = _reader.GetString(i).Trim();
        }

        Header = header;
        Line = _reader.Line;
        FieldCount = _reader.FieldCount;
        _batches = new ReadAhead<RecordBatch>(Batches + 1, () => new RecordBatch(), Fill);
    }

    public IReadOnlyList<string> Header { get; }

    public string LineWord => "line";

    /// <summary>How far the reading thread is through the file's bytes (a batch or a few ahead of the current record).</summary>
    public double Fraction => _current?.Fraction ?? 0;

    public long Line { get; private set; }

    public int FieldCount { get; private set; }

    public string? RecordError { get; private set; }

    /// <summary>
    /// The SHA-256 (lower-case hex) of the file's bytes, once <see cref="Read"/> has returned false, when the source was
    /// opened to fingerprint a plain CSV file; otherwise null.
    /// </summary>
    public string? Sha256 { get; private set; }

    public int RecordErrorField { get; private set; }

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var batch = _current!;
            var first = batch.FirstEnd[_record];
            var start = index == 0 ? batch.Start[_record] : batch.Ends[first + index - 1];
            return batch.Chars.AsSpan(start, batch.Ends[first + index] - start);
        }
    }

    public bool Read()
    {
        while (_current is null || ++_record >= _current.Count)
        {
            _current = _batches.Next(_current);
            _record = -1;
            if (_current is null)
            {
                return false;
            }
        }

        var batch = _current;
        Line = batch.Line[_record];
        FieldCount = batch.Fields[_record];
        RecordError = batch.Error[_record];
        RecordErrorField = batch.ErrorField[_record];
        return true;
    }

    public void Dispose()
    {
        _batches.Dispose();
        _reader.Dispose();
    }

    /// <summary>Reads, splits and checks records into a batch, on the reading thread; false at the end of the file.</summary>
    private bool Fill(RecordBatch batch)
    {
        batch.Clear();
        try
        {
            bool more;
            while ((more = ReadChecked()) && batch.Add(_reader, _reader.RecordError ?? _charError, _reader.RecordError is not null ? _reader.RecordErrorField : _charErrorField))
            {
            }

            if (!more && _hashing is not null)
            {
                // Set on the reading thread before the end is handed over; the caller reads it after Read returns false.
                try
                {
                    Sha256 = _hashing.Finish();
                }
                catch (IOException e)
                {
                    throw new UserInputException($"{_name}: cannot be read: {e.Message}", e);
                }
            }

            return more;
        }
        finally
        {
            batch.Fraction = Position();
        }
    }

    private double Position() => _file.Length == 0 ? 1 : (double)_file.Position / _file.Length;

    private bool ReadChecked()
    {
        bool read;
        try
        {
            read = _reader.Read();
        }
        catch (InvalidDataException e)
        {
            throw NotGzip(e);
        }
        catch (IOException e)
        {
            throw new UserInputException($"{_name}: cannot be read: {e.Message}", e);
        }

        _charError = null;
        if (!read)
        {
            return false;
        }

        var chars = _reader.RecordChars;
        var at = chars.IndexOfAny(_invalidUtf8.Count > 0 ? NulOrInvalid : NulOnly);
        if (at >= 0)
        {
            _charErrorField = _reader.FieldAt(at) + 1;
            _charError = chars[at] == '\0'
                ? "holds a NUL character (U+0000), which no FOCUS value contains; the file is damaged or not text"
                : "holds bytes that are not UTF-8; FOCUS files are UTF-8 (re-export or convert the file)";
        }

        return true;
    }

    private UserInputException NotGzip(InvalidDataException e) =>
        new($"{_name}: is not a complete, valid gzip file: {e.Message}.", e);

    /// <summary>Records as read: the characters of their fields one after another, where each field ends, and their line and error.</summary>
    private sealed class RecordBatch
    {
        public char[] Chars { get; private set; } = new char[1 << 17];

        public int[] Ends { get; private set; } = new int[BatchRecords * 48];

        public int[] Start { get; } = new int[BatchRecords];

        public int[] FirstEnd { get; } = new int[BatchRecords];

        public int[] Fields { get; } = new int[BatchRecords];

        public long[] Line { get; } = new long[BatchRecords];

        public string?[] Error { get; } = new string?[BatchRecords];

        public int[] ErrorField { get; } = new int[BatchRecords];

        public int Count { get; private set; }

        public double Fraction { get; set; }

        private int _chars;
        private int _ends;

        public void Clear()
        {
            Count = 0;
            _chars = 0;
            _ends = 0;
        }

        /// <summary>Copies the reader's current record in; false once the batch is full.</summary>
        public bool Add(CsvReader reader, string? error, int errorField)
        {
            var chars = reader.RecordChars;
            var fields = reader.FieldCount;
            if (_chars + chars.Length > Chars.Length)
            {
                var grown = new char[Math.Max(Chars.Length * 2, _chars + chars.Length)];
                Chars.AsSpan(0, _chars).CopyTo(grown);
                Chars = grown;
            }

            if (_ends + fields > Ends.Length)
            {
                var grown = new int[Math.Max(Ends.Length * 2, _ends + fields)];
                Ends.AsSpan(0, _ends).CopyTo(grown);
                Ends = grown;
            }

            chars.CopyTo(Chars.AsSpan(_chars));
            var record = Count++;
            Start[record] = _chars;
            FirstEnd[record] = _ends;
            Fields[record] = fields;
            Line[record] = reader.Line;
            Error[record] = error;
            ErrorField[record] = errorField;
            for (var i = 0; i < fields; i++)
            {
                Ends[_ends + i] = _chars + reader.FieldEnd(i);
            }

            _chars += chars.Length;
            _ends += fields;
            return Count < BatchRecords;
        }
    }
}
