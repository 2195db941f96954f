using DuckDB.NET.Data;
using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Reads a Parquet file through an in-memory DuckDB (its parquet reader is built in), every column rendered as text
/// so Parquet rows pass through exactly the same validation as CSV lines. Nested values (a MAP or STRUCT of tags)
/// are rendered as JSON.
/// </summary>
internal sealed class ParquetRecordSource : IFocusRecordSource
{
    private readonly DuckDBConnection _connection;
    private readonly DuckDBCommand _command;
    private readonly DuckDBDataReader _reader;
    private readonly string?[] _values;
    private readonly string _name = "";

    public ParquetRecordSource(string path)
    {
        _connection = new DuckDBConnection("DataSource=:memory:");
        _connection.Open();
        _command = _connection.CreateCommand();
        try
        {
            _command.CommandText = "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($path))";
            _command.Parameters.Add(new DuckDBParameter("path", path));
            var columns = new List<(string Name, string Type)>();
            using (var describe = _command.ExecuteReader())
            {
                while (describe.Read())
                {
                    columns.Add((describe.GetString(0), describe.GetString(1)));
                }
            }

            Header = columns.Select(c => c.Name).ToArray();
            var projections = columns.Select(c => Project(c.Name, c.Type));

            // Streamed, a chunk at a time: a materialised result held every row of the file as text inside DuckDB
            // (1.8 GB at 1M rows, so tens of GB at 10M) before the first row reached the importer (BENCHMARKS.md).
            _command.CommandText = $"SELECT {string.Join(", ", projections)} FROM read_parquet($path)";
            _command.UseStreamingMode = true;
            _reader = (DuckDBDataReader)_command.ExecuteReader();
        }
        catch (DuckDBException e)
        {
            Dispose();
            throw new UserInputException($"{Path.GetFileName(path)}: cannot be read as Parquet: {Explain(e)}", e);
        }

        _name = Path.GetFileName(path);

        _values = new string?[Header.Count];
    }

    public IReadOnlyList<string> Header { get; } = [];

    public string LineWord => "row";

    public long Line { get; private set; }

    public int FieldCount => _values.Length;

    public string? RecordError { get; private set; }

    public int RecordErrorField { get; private set; }

    public ReadOnlySpan<char> this[int index] => _values[index];

    public bool Read()
    {
        try
        {
            if (!_reader.Read())
            {
                return false;
            }

            Line++;
            RecordError = null;
            for (var i = 0; i < _values.Length; i++)
            {
                var value = _reader.IsDBNull(i) ? null : _reader.GetString(i);
                _values[i] = value;
                if (RecordError is null && value is not null && value.Contains('\0', StringComparison.Ordinal))
                {
                    RecordError = "holds a NUL character (U+0000), which no FOCUS value contains";
                    RecordErrorField = i + 1;
                }
            }
        }
        catch (DuckDBException e)
        {
            throw new UserInputException($"{_name}: row {Line + 1} cannot be read: {Explain(e)}", e);
        }

        return true;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _command.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// What DuckDB says is wrong with the file, without its error class prefix or the SQL ModelMeter ran
    /// (<c>LINE 1: SELECT ... read_parquet($path)</c>), which means nothing to the user.
    /// </summary>
    internal static string Explain(DuckDBException e)
    {
        var message = e.Message;
        var sql = message.IndexOf("\nLINE ", StringComparison.Ordinal);
        if (sql >= 0)
        {
            message = message[..sql];
        }

        message = message.Trim();
        foreach (var prefix in new[] { "Invalid Input Error: ", "IO Error: ", "Conversion Error: ", "Binder Error: ", "Invalid Error: ", "Internal Error: " })
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal))
            {
                message = message[prefix.Length..];
            }
        }

        if (message.Contains("magic bytes", StringComparison.OrdinalIgnoreCase) || message.Contains("too small to be a Parquet file", StringComparison.OrdinalIgnoreCase))
        {
            return "it is not a Parquet file, or it was cut short (a Parquet file starts and ends with the bytes PAR1)";
        }

        // A damaged page or page header: DuckDB's Thrift decoder says only what it could not decode.
        if (message.StartsWith("don't know what type", StringComparison.Ordinal) || message.Contains("TProtocolException", StringComparison.Ordinal)
            || message.Contains("Thrift", StringComparison.OrdinalIgnoreCase))
        {
            return "its data is damaged: a page of the file cannot be decoded (re-export or copy the file again)";
        }

        // DuckDB names the file by the path it was given; the message already starts with the file's name.
        return message.Replace("\"", "'", StringComparison.Ordinal).Trim().TrimEnd('.');
    }

    private static string Project(string name, string type)
    {
        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        if (type.StartsWith("MAP", StringComparison.OrdinalIgnoreCase) || type.StartsWith("STRUCT", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("[]", StringComparison.Ordinal) || type.Equals("JSON", StringComparison.OrdinalIgnoreCase))
        {
            return $"CAST(to_json({quoted}) AS VARCHAR)";
        }

        if (type.StartsWith("TIMESTAMP", StringComparison.OrdinalIgnoreCase))
        {
            // Render instants with an explicit UTC marker; a Parquet TIMESTAMP without zone is UTC by FOCUS's rules.
            return type.Contains("TIME ZONE", StringComparison.OrdinalIgnoreCase)
                ? $"strftime(timezone('UTC', {quoted}), '%Y-%m-%dT%H:%M:%S.%fZ')"
                : $"strftime({quoted}, '%Y-%m-%dT%H:%M:%S.%fZ')";
        }

        return $"CAST({quoted} AS VARCHAR)";
    }
}
