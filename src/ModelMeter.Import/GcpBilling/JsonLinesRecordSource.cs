using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.GcpBilling;

/// <summary>
/// A file of JSON lines (BigQuery's newline-delimited JSON export; <c>.gz</c> decompressed) as records whose fields
/// are the given top-level keys: a string as its text, a number as written (so <c>1.81e-08</c> stays exact), a nested
/// object or array as its JSON text. Keys not asked for are collected so the report can name them. A line that is
/// not a JSON object is a record error on that line.
/// </summary>
internal sealed class JsonLinesRecordSource : IFocusRecordSource, IPositioned
{
    private readonly FileStream _file;
    private readonly StreamReader _reader;
    private readonly Dictionary<string, int> _fields;
    private readonly string?[] _values;
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);
    private long _nextLine;

    public JsonLinesRecordSource(string path, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Path = path;
        Header = keys;
        _fields = keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.OrdinalIgnoreCase);
        _values = new string?[keys.Count];
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(_file, CompressionMode.Decompress) : _file;
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    public string Path { get; }

    public IReadOnlyList<string> Header { get; }

    /// <summary>Top-level keys seen that were not asked for.</summary>
    public IReadOnlyCollection<string> UnknownKeys => _unknown;

    public string LineWord => "line";

    public long Line { get; private set; }

    public int FieldCount => _values.Length;

    public string? RecordError { get; private set; }

    public int RecordErrorField => 0;

    public double Fraction => _file.Length == 0 ? 1 : (double)_file.Position / _file.Length;

    public ReadOnlySpan<char> this[int index] => _values[index];

    public bool Read()
    {
        string? text;
        try
        {
            do
            {
                text = _reader.ReadLine();
                _nextLine++;
            }
            while (text is not null && string.IsNullOrWhiteSpace(text));
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"{System.IO.Path.GetFileName(Path)}: cannot be decompressed: {e.Message}", e);
        }

        if (text is null)
        {
            return false;
        }

        Line = _nextLine;
        Array.Clear(_values);
        RecordError = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                RecordError = "is not a JSON object; each line of a BigQuery JSON export is one row as an object";
                return true;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!_fields.TryGetValue(property.Name, out var field))
                {
                    _unknown.Add(property.Name);
                    continue;
                }

                _values[field] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }
        catch (JsonException e)
        {
            RecordError = $"is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')})";
        }

        return true;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _file.Dispose();
    }
}
