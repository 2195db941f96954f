using ModelMeter.Core.Errors;
using ModelMeter.Import.Csv;

namespace ModelMeter.Import.Focus;

internal sealed class CsvRecordSource : IFocusRecordSource, IPositioned
{
    private readonly CsvReader _reader;
    private readonly FileStream _file;

    /// <param name="path">The file (<c>.gz</c>: decompressed on the fly).</param>
    /// <param name="what">What the file should be, for the message about an empty one: <c>a FOCUS export</c>.</param>
    public CsvRecordSource(string path, string what = "a FOCUS export")
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _reader = CsvReader.Open(_file, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
        try
        {
            if (!_reader.Read())
            {
                throw new UserInputException($"{Path.GetFileName(path)}: the file is empty; {what} starts with a header line of column names.");
            }
        }
        catch (InvalidDataException e)
        {
            _reader.Dispose();
            throw new UserInputException($"{Path.GetFileName(path)}: cannot be decompressed: {e.Message}", e);
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

    public string? RecordError => _reader.RecordError;

    public int RecordErrorField => _reader.RecordErrorField;

    public ReadOnlySpan<char> this[int index] => _reader[index];

    public bool Read() => _reader.Read();

    public void Dispose() => _reader.Dispose();
}
