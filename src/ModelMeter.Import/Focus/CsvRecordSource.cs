using System.Buffers;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Csv;

namespace ModelMeter.Import.Focus;

/// <summary>
/// A CSV or gzip CSV file as records. Besides the reader's own structural checks, every record is looked at once as a
/// whole (one vectorised search, no allocation): a NUL character, or bytes that were not UTF-8 (decoded as U+FFFF and
/// counted by <see cref="Utf8Errors"/>), refuse the record with its line and column instead of being stored. A gzip
/// file that is corrupt or cut short ends the read with an error naming the file (<see cref="Compression.VerifiedGzipStream"/>).
/// </summary>
internal sealed class CsvRecordSource : IFocusRecordSource, IPositioned
{
    private static readonly SearchValues<char> NulOnly = SearchValues.Create("\0");
    private static readonly SearchValues<char> NulOrInvalid = SearchValues.Create("\0" + Utf8Errors.Marker);

    private readonly CsvReader _reader;
    private readonly FileStream _file;
    private readonly string _name;
    private readonly Utf8Errors _invalidUtf8 = new();
    private string? _charError;
    private int _charErrorField;

    /// <param name="path">The file (<c>.gz</c>: decompressed on the fly).</param>
    /// <param name="what">What the file should be, for the message about an empty one: <c>a FOCUS export</c>.</param>
    public CsvRecordSource(string path, string what = "a FOCUS export")
    {
        _name = Path.GetFileName(path);
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            _reader = CsvReader.Open(_file, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), _invalidUtf8);
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
    }

    public IReadOnlyList<string> Header { get; }

    public string LineWord => "line";

    public double Fraction => _file.Length == 0 ? 1 : (double)_file.Position / _file.Length;

    public long Line => _reader.Line;

    public int FieldCount => _reader.FieldCount;

    public string? RecordError => _reader.RecordError ?? _charError;

    public int RecordErrorField => _reader.RecordError is not null ? _reader.RecordErrorField : _charErrorField;

    public ReadOnlySpan<char> this[int index] => _reader[index];

    public bool Read() => ReadChecked();

    public void Dispose() => _reader.Dispose();

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
}
