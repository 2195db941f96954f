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
/// <para>
/// Given which fields describe a row (<see cref="FocusHeader.Describes"/>: everything but the amounts and the charge
/// period), the source asks DuckDB for the file's distinct descriptions first, and then, row by row, only for a hash of
/// each row's description and its own values: a month of hourly billing has a few thousand descriptions for a million
/// rows, so the demo's 10 per-row values are rendered as text instead of all 40, and each row says which description it has
/// (<see cref="DescriptionKey"/>). The hash is DuckDB's 64-bit <c>hash</c> of the raw values; the distinct descriptions are
/// checked to have distinct hashes, so no two descriptions of the file can be taken for one. A file whose first rows
/// are nearly all described differently (a resource id or description of its own per row), whose descriptions
/// collide, or that DuckDB cannot read that way is read row by row as before.
/// </para>
/// </summary>
internal sealed class ParquetRecordSource : IFocusRecordSource
{
    private const int BatchRows = 1024;
    private const int Batches = 4;

    // How many first rows decide whether rows share descriptions, and how few distinct ones among them it takes.
    private const int SampleRows = 65_536;
    private const int SampleRowsPerDescription = 8;

    // More distinct descriptions than this and the file is read row by row (each holds its texts in memory).
    private const int MaxDescriptions = 1 << 18;

    /// <summary>Up to this many chosen rows are named to DuckDB as constants, more as a list it joins (see the constructor).</summary>
    private const int RowsListedAsConstants = 2048;

    private readonly DuckDBConnection _connection;
    private readonly DuckDBCommand _command;
    private readonly DuckDBDataReader _reader;
    private readonly string _name = "";
    private readonly ReadAhead<Batch>? _batches;
    private long _produced;
    private Batch? _current;
    private int _row;
    private string?[] _values = [];

    // Keyed reading: the file's distinct descriptions by hash, and where each field's value is (-1: the description).
    private readonly Dictionary<ulong, Description>? _descriptions;
    private readonly int[] _perRowIndex = [];
    private Description? _description;

    // Reading chosen rows: each row's number comes first, and is its line.
    private readonly bool _numbered;

    // A connection given to the source is its caller's to close.
    private readonly bool _ownsConnection;

    /// <param name="path">The Parquet file.</param>
    /// <param name="describedBy">
    /// Given the file's column names, which fields describe a row (the same for every hour of a resource); null reads
    /// every row's every value.
    /// </param>
    /// <param name="rows">
    /// Only these rows (0-based, as DuckDB's <c>file_row_number</c>), in file order, each under its own line number;
    /// null reads every row. Read with every value (<paramref name="describedBy"/> is not used).
    /// </param>
    /// <param name="connection">
    /// An in-memory DuckDB (<see cref="Connect"/>) to read through, which stays open after the source; null opens one of
    /// the source's own. A reader that asks the file several things asks them of one DuckDB: each new one took 8-20 ms.
    /// </param>
    public ParquetRecordSource(string path, Func<IReadOnlyList<string>, Func<int, bool>>? describedBy = null, IReadOnlyList<long>? rows = null, DuckDBConnection? connection = null)
    {
        _numbered = rows is not null;
        _ownsConnection = connection is null;
        _connection = connection ?? Connect();
        _command = _connection.CreateCommand();
        try
        {
            _command.Parameters.Add(new DuckDBParameter("path", path));
            var columns = Describe(_command);
            Header = columns.Select(c => c.Name).ToArray();
            Types = columns.Select(c => c.Type).ToArray();
            var projections = columns.Select(c => Project(c.Name, c.Type)).ToList();
            if (rows is not null)
            {
                // The range lets DuckDB skip the row groups past the last row wanted (the first hours of a bill hold most).
                // A few rows as a list of constants, which DuckDB filters in the scan and so skips the row groups
                // between them (the 1,355 first rows of a 1M-row bill: 37-52 ms, against 126-180 ms as a subquery,
                // a join that renders every row first); many as that subquery (65,536 rows: 1.2 s, against 2.8 s as
                // constants).
                var wanted = rows.Count == 0 ? [-1L] : rows;
                var list = string.Join(",", wanted);
                var filter = wanted.Count <= RowsListedAsConstants ? list : $"SELECT unnest([{list}]::BIGINT[])";
                _command.CommandText =
                    $"SELECT file_row_number, {string.Join(", ", projections)} FROM read_parquet($path, file_row_number = true) WHERE file_row_number BETWEEN {wanted.Min()} AND {wanted.Max()} AND file_row_number IN ({filter}) ORDER BY file_row_number";
            }
            else if (describedBy?.Invoke(Header) is { } describes
                && ReadDescriptions(columns, describes) is { } descriptions)
            {
                _descriptions = descriptions.ByHash;
                _perRowIndex = new int[columns.Count];
                var perRow = new List<string> { descriptions.Hash };
                for (var i = 0; i < columns.Count; i++)
                {
                    _perRowIndex[i] = describes(i) ? -1 : perRow.Count - 1;
                    if (!describes(i))
                    {
                        perRow.Add(projections[i]);
                    }
                }

                projections = perRow;
            }

            // Streamed, a chunk at a time: a materialised result held every row of the file as text inside DuckDB
            // (1.8 GB at 1M rows, so tens of GB at 10M) before the first row reached the importer (BENCHMARKS.md).
            if (rows is null)
            {
                _command.CommandText = $"SELECT {string.Join(", ", projections)} FROM read_parquet($path)";
            }

            _command.UseStreamingMode = true;
            _reader = (DuckDBDataReader)_command.ExecuteReader();
        }
        catch (DuckDBException e)
        {
            Dispose();
            throw new UserInputException($"{Path.GetFileName(path)}: cannot be read as Parquet: {Explain(e)}", e);
        }
        catch
        {
            // A header that is not FOCUS's (describedBy refuses it): the in-memory database goes with the source.
            Dispose();
            throw;
        }

        _name = Path.GetFileName(path);
        var fields = _descriptions is null ? Header.Count : Header.Count - _descriptions.First().Value.Fields;
        _batches = new ReadAhead<Batch>(Batches + 1, () => new Batch(fields), Fill);
    }

    public IReadOnlyList<string> Header { get; } = [];

    /// <summary>A new in-memory DuckDB to read Parquet files through.</summary>
    public static DuckDBConnection Connect()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    /// <summary>The file's column names and their DuckDB types (as <see cref="Types"/>), read through <paramref name="connection"/>.</summary>
    public static List<(string Name, string Type)> Describe(DuckDBConnection connection, string path)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Parameters.Add(new DuckDBParameter("path", path));
        try
        {
            return Describe(command);
        }
        catch (DuckDBException e)
        {
            throw new UserInputException($"{Path.GetFileName(path)}: cannot be read as Parquet: {Explain(e)}", e);
        }
    }

    /// <summary>The columns of the file bound to <paramref name="command"/>'s <c>$path</c>.</summary>
    private static List<(string Name, string Type)> Describe(DuckDBCommand command)
    {
        command.CommandText = "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($path))";
        var columns = new List<(string Name, string Type)>();
        using var describe = command.ExecuteReader();
        while (describe.Read())
        {
            columns.Add((describe.GetString(0), describe.GetString(1)));
        }

        return columns;
    }

    /// <summary>Each column's DuckDB type as DESCRIBE names it (<c>DECIMAL(38,18)</c>, <c>TIMESTAMP WITH TIME ZONE</c>).</summary>
    public IReadOnlyList<string> Types { get; } = [];

    public string LineWord => "row";

    public long Line { get; private set; }

    public int FieldCount => Header.Count;

    public string? RecordError { get; private set; }

    public int RecordErrorField { get; private set; }

    public ReadOnlySpan<char> this[int index] =>
        _description is null ? _values[index] : _perRowIndex[index] is var at and >= 0 ? _values[at] : _description.Values[index];

    /// <summary>The number of the current row's description among the file's (1, 2, ...), or 0 when read row by row.</summary>
    public long DescriptionKey => _description?.Number ?? 0;

    public bool Read()
    {
        while (_current is null || _row >= _current.Count)
        {
            // At the end of the file, or at a row DuckDB could not read (its error, with the row), there is no next batch.
            _current = _batches!.Next(_current);
            _row = 0;
            if (_current is null)
            {
                return false;
            }
        }

        if (_descriptions is not null)
        {
            // Every row's description is among the file's distinct ones, read from the same file a moment before.
            _description = _descriptions.GetValueOrDefault(_current.Keys[_row])
                ?? throw new UserInputException($"{_name}: the file changed while it was being read; import it again.");
        }

        Line = _numbered ? (long)_current.Keys[_row] + 1 : Line + 1;
        _values = _current.Rows[_row++];
        RecordError = null;
        for (var i = 0; i < Header.Count; i++)
        {
            if (_description is not null && _perRowIndex[i] < 0)
            {
                continue;
            }

            var value = _description is null ? _values[i] : _values[_perRowIndex[i]];
            if (value is not null && value.Contains('\0', StringComparison.Ordinal))
            {
                RecordError = Nul;
                RecordErrorField = i + 1;
                break;
            }
        }

        if (RecordError is null && _description?.NulField >= 0)
        {
            RecordError = Nul;
            RecordErrorField = _description.NulField + 1;
        }

        return true;
    }

    private const string Nul = "holds a NUL character (U+0000), which no FOCUS value contains";

    /// <summary>
    /// The file's distinct descriptions, each rendered once, keyed by DuckDB's hash of its raw values; null when rows
    /// are to be read one by one (see the class).
    /// </summary>
    private (Dictionary<ulong, Description> ByHash, string Hash)? ReadDescriptions(List<(string Name, string Type)> columns, Func<int, bool> describes)
    {
        var fields = Enumerable.Range(0, columns.Count).Where(describes).ToList();
        if (fields.Count == 0 || fields.Count == columns.Count)
        {
            return null;
        }

        var names = fields.Select(f => Quote(columns[f].Name)).ToList();
        var hash = DescriptionHash(fields.Select(f => columns[f].Name));
        try
        {
            _command.CommandText = $"SELECT count(*), count(DISTINCT h) FROM (SELECT {hash} AS h FROM read_parquet($path) LIMIT {SampleRows})";
            using (var sample = _command.ExecuteReader())
            {
                if (!sample.Read() || sample.GetInt64(1) * SampleRowsPerDescription > sample.GetInt64(0))
                {
                    return null;
                }
            }

            var byHash = new Dictionary<ulong, Description>();
            _command.CommandText =
                $"SELECT {hash}, {string.Join(", ", fields.Select(f => Project(columns[f].Name, columns[f].Type)))} FROM (SELECT DISTINCT {string.Join(", ", names)} FROM read_parquet($path))";
            _command.UseStreamingMode = true;
            using var distinct = _command.ExecuteReader();
            while (distinct.Read())
            {
                var key = distinct.GetFieldValue<ulong>(0);
                if (byHash.Count >= MaxDescriptions || byHash.ContainsKey(key))
                {
                    // Too many to hold, or two descriptions of the file share a hash: rows are read with all their values.
                    return null;
                }

                var values = new string?[columns.Count];
                var nul = -1;
                for (var i = 0; i < fields.Count; i++)
                {
                    var value = distinct.IsDBNull(i + 1) ? null : distinct.GetString(i + 1);
                    values[fields[i]] = value;
                    if (nul < 0 && value is not null && value.Contains('\0', StringComparison.Ordinal))
                    {
                        nul = fields[i];
                    }
                }

                byHash[key] = new Description(byHash.Count + 1, values, fields.Count, nul);
            }

            return byHash.Count == 0 ? null : (byHash, hash);
        }
        catch (DuckDBException)
        {
            // A file DuckDB cannot read this way is read row by row, which names the row it cannot read.
            return null;
        }
    }

    /// <summary>One distinct description of the file: its number, its fields' texts (null where a field is per row).</summary>
    private sealed record Description(long Number, string?[] Values, int Fields, int NulField);

    /// <summary>Reads rows into a batch, on the reading thread; false at the end of the file.</summary>
    private bool Fill(Batch batch)
    {
        batch.Count = 0;
        try
        {
            var first = _descriptions is null && !_numbered ? 0 : 1;
            while (batch.Count < BatchRows && _reader.Read())
            {
                var row = batch.Rows[batch.Count];
                if (first == 1)
                {
                    batch.Keys[batch.Count] = _numbered ? (ulong)_reader.GetInt64(0) : _reader.GetFieldValue<ulong>(0);
                }

                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = _reader.IsDBNull(i + first) ? null : _reader.GetString(i + first);
                }

                batch.Count++;
                _produced++;
            }
        }
        catch (DuckDBException e)
        {
            throw new UserInputException($"{_name}: row {_produced + 1} cannot be read: {Explain(e)}", e);
        }

        return batch.Count == BatchRows;
    }

    public void Dispose()
    {
        _batches?.Dispose();
        _reader?.Dispose();
        _command.Dispose();
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    private sealed class Batch(int fields)
    {
        public string?[][] Rows { get; } = Enumerable.Range(0, BatchRows).Select(_ => new string?[fields]).ToArray();

        /// <summary>Each row's description hash, when read keyed.</summary>
        public ulong[] Keys { get; } = new ulong[BatchRows];

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

    /// <summary>DuckDB's 64-bit hash of a row's description: the raw values of the named columns, in order.</summary>
    internal static string DescriptionHash(IEnumerable<string> columns) => $"hash({string.Join(", ", columns.Select(Quote))})";

    internal static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A MAP, STRUCT, LIST or JSON value, rendered as JSON.</summary>
    internal static bool IsNested(string type) =>
        type.StartsWith("MAP", StringComparison.OrdinalIgnoreCase) || type.StartsWith("STRUCT", StringComparison.OrdinalIgnoreCase)
        || type.EndsWith("[]", StringComparison.Ordinal) || type.Equals("JSON", StringComparison.OrdinalIgnoreCase);

    private static string Project(string name, string type)
    {
        var quoted = Quote(name);
        if (IsNested(type))
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
