using System.Collections.Concurrent;
using DuckDB.NET.Data;
using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Reads a Parquet file through an in-memory DuckDB (its parquet reader is built in), every column rendered as text
/// so Parquet rows pass through exactly the same validation as CSV lines. Nested values (a MAP or STRUCT of tags)
/// are rendered as JSON.
/// <para>
/// DuckDB decodes the file and renders its values on a thread of its own, a batch of rows ahead of the parser: streamed,
/// that work ran on the importer's thread between rows (DuckDB's rendering of a DECIMAL(38,18) alone is a 128-bit
/// division per digit), so reading and parsing took turns on one core while the other waited (BENCHMARKS.md).
/// </para>
/// </summary>
internal sealed class ParquetRecordSource : IFocusRecordSource
{
    private const int BatchRows = 1024;
    private const int Batches = 4;

    private readonly DuckDBConnection _connection;
    private readonly DuckDBCommand _command;
    private readonly DuckDBDataReader _reader;
    private readonly string _name = "";
    private readonly BlockingCollection<Batch> _full = new(Batches);
    private readonly BlockingCollection<Batch> _free = new(Batches + 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _producer;
    private Batch? _current;
    private int _row;
    private string?[] _values = [];

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
        for (var i = 0; i < Batches + 1; i++)
        {
            _free.Add(new Batch(Header.Count));
        }

        _producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public IReadOnlyList<string> Header { get; } = [];

    public string LineWord => "row";

    public long Line { get; private set; }

    public int FieldCount => Header.Count;

    public string? RecordError { get; private set; }

    public int RecordErrorField { get; private set; }

    public ReadOnlySpan<char> this[int index] => _values[index];

    public bool Read()
    {
        if (_current is null || _row >= _current.Count)
        {
            if (_current is not null)
            {
                _free.Add(_current);
                _current = null;
            }

            if (!_full.TryTake(out var next, Timeout.Infinite))
            {
                // The producer finished: at the end of the file, or at a row DuckDB could not read (its error, with the row).
                _producer!.GetAwaiter().GetResult();
                return false;
            }

            _current = next;
            _row = 0;
            if (next.Count == 0)
            {
                return Read();
            }
        }

        _values = _current.Rows[_row++];
        Line++;
        RecordError = null;
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] is { } value && value.Contains('\0', StringComparison.Ordinal))
            {
                RecordError = "holds a NUL character (U+0000), which no FOCUS value contains";
                RecordErrorField = i + 1;
                break;
            }
        }

        return true;
    }

    /// <summary>Reads the rows into batches on the producer's thread until the end, an error, or <see cref="Dispose"/>.</summary>
    private void Produce()
    {
        long produced = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var batch = _free.Take(_stop.Token);
                batch.Count = 0;
                try
                {
                    while (batch.Count < BatchRows && _reader.Read())
                    {
                        var row = batch.Rows[batch.Count];
                        for (var i = 0; i < row.Length; i++)
                        {
                            row[i] = _reader.IsDBNull(i) ? null : _reader.GetString(i);
                        }

                        batch.Count++;
                        produced++;
                    }
                }
                catch (DuckDBException e)
                {
                    // The rows before it still reach the importer, which then stops here.
                    _full.Add(batch, _stop.Token);
                    throw new UserInputException($"{_name}: row {produced + 1} cannot be read: {Explain(e)}", e);
                }

                var last = batch.Count < BatchRows;
                _full.Add(batch, _stop.Token);
                if (last)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed before the end: the importer stopped reading.
        }
        finally
        {
            _full.CompleteAdding();
        }
    }

    public void Dispose()
    {
        if (_producer is not null)
        {
            _stop.Cancel();
            try
            {
                _producer.Wait();
            }
            catch (AggregateException)
            {
                // Its error was surfaced by Read, or the import is being abandoned for another reason.
            }
        }

        _reader?.Dispose();
        _command.Dispose();
        _connection.Dispose();
        _full.Dispose();
        _free.Dispose();
        _stop.Dispose();
    }

    private sealed class Batch(int fields)
    {
        public string?[][] Rows { get; } = Enumerable.Range(0, BatchRows).Select(_ => new string?[fields]).ToArray();

        public int Count { get; set; }
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
