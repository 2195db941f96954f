using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// The embedded store: one DuckDB file, zero set-up. DuckDB lets one process write a file at a time; a second writer
/// gets a clear error naming the file.
/// </summary>
public sealed partial class DuckDbCostStore : ICostStore, ICostStoreExport
{
    private readonly DuckDBConnection _connection;
    private readonly TimeProvider _clock;

    private DuckDbCostStore(DuckDBConnection connection, TimeProvider clock, string path)
    {
        _connection = connection;
        _clock = clock;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating when missing) the store file and brings its schema up to date.</summary>
    public static DuckDbCostStore Open(string path, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(clock);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new DuckDBConnection($"DataSource={path}");
        try
        {
            connection.Open();
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            var reason = e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
                ? "another ModelMeter process (perhaps `modelmeter serve`) has it open for writing"
                : e.Message;
            throw new UserInputException($"Cannot open the store {path}: {reason}", e);
        }

        var store = new DuckDbCostStore(connection, clock, path);
        try
        {
            store.Execute("SET TimeZone = 'UTC'");
            // DuckDB would otherwise cache up to 80% of RAM; a bounded buffer keeps a 10M-row import under 2 GB of memory
            // without slowing it or the reports (bench/run.sh).
            store.Execute("SET memory_limit = '1GB'");
            Migrations.Apply(connection, store.UtcNow);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    internal DateTime UtcNow => _clock.GetUtcNow().UtcDateTime;

    internal DuckDBConnection Connection => _connection;

    public ILineItemImportSession BeginLineItemImport(ImportKind kind) => new DuckDbImportSession(this, kind);

    public ImportRecord? FindImportByContentHash(string sha256)
    {
        using var command = Command(
            "SELECT f.import_id FROM import_files f JOIN imports i USING (import_id) WHERE f.sha256 = $h AND i.superseded_by IS NULL ORDER BY f.import_id DESC LIMIT 1",
            ("h", sha256));
        var id = command.ExecuteScalar();
        return id is null or DBNull ? null : ListImports().FirstOrDefault(r => r.ImportId == Convert.ToInt64(id, CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<ImportRecord> ListImports()
    {
        var files = new Dictionary<long, List<ImportedFile>>();
        using (var command = Command("SELECT import_id, path, sha256, bytes, row_count FROM import_files ORDER BY import_id, path"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!files.TryGetValue(id, out var list))
                {
                    files[id] = list = [];
                }

                list.Add(new ImportedFile(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        var totals = new Dictionary<long, Dictionary<string, decimal>>();
        using (var command = Command("SELECT import_id, currency, billed FROM import_totals ORDER BY import_id, currency"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!totals.TryGetValue(id, out var map))
                {
                    totals[id] = map = new Dictionary<string, decimal>(StringComparer.Ordinal);
                }

                map[reader.GetString(1)] = reader.GetDecimal(2);
            }
        }

        var records = new List<ImportRecord>();
        using (var command = Command("SELECT import_id, kind, imported_at, row_count, replaced_rows, billing_periods, superseded_by FROM imports ORDER BY import_id"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                records.Add(new ImportRecord(
                    id,
                    KindOf(id, reader.GetString(1)),
                    DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                    reader.GetInt64(3),
                    reader.GetInt64(4),
                    files.GetValueOrDefault(id) ?? [],
                    reader.GetFieldValue<List<string>>(5),
                    totals.GetValueOrDefault(id) ?? new Dictionary<string, decimal>(),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6)));
            }
        }

        return records;
    }

    public IReadOnlyList<CostRow> QueryCosts(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var built = CostQuerySql.Build(query);
        using var command = Command(built.Sql, built.Parameters.ToArray());
        using var reader = command.ExecuteReader();
        var rows = new List<CostRow>();
        var hasPeriod = query.Grain is not null;
        var dimensionCount = query.By.Count;
        while (reader.Read())
        {
            var ordinal = 0;
            DateTime? period = hasPeriod ? DateTime.SpecifyKind(reader.GetDateTime(ordinal++), DateTimeKind.Utc) : null;
            var values = new string[dimensionCount];
            for (var i = 0; i < dimensionCount; i++)
            {
                values[i] = reader.GetString(ordinal++);
            }

            var currency = reader.GetString(ordinal++);
            var cost = reader.GetDecimal(ordinal);
            rows.Add(new CostRow(period, values, currency, cost));
        }

        return rows;
    }

    public (DateTime First, DateTime Last)? ChargeRange()
    {
        using var command = Command($"SELECT min(ChargePeriodStart), max(ChargePeriodEnd) FROM {LineItemsTable.Name}");
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(0))
        {
            return null;
        }

        return (DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
    }

    public IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string Name, object? Value)>();
        string Param(object? value)
        {
            var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add((name, value));
            return "$" + name;
        }

        // Line items are grouped by tag set id (an integer), then the few thousand groups are joined to their raw tag
        // sets: the tag policy, which may change between runs, resolves those in C#.
        var where = CostQuerySql.Where(query, Param);
        var sql = new StringBuilder(
            "SELECT g.day, g.currency, g.ServiceName, g.ResourceId, g.SubAccountId, g.AllocatedMethodId, g.AllocatedResourceId, " +
            "ts.tag_keys, ts.tag_values, g.AllocatedTagsKeys, g.AllocatedTagsValues, g.cost FROM (" +
            $"SELECT {CostQuerySql.Period(TimeGrain.Day)} AS day, BillingCurrency AS currency, ServiceName, ResourceId, SubAccountId, " +
            $"AllocatedMethodId, AllocatedResourceId, {LineItemsTable.TagSetIdColumn}, AllocatedTagsKeys, AllocatedTagsValues, " +
            $"coalesce(sum({CostQuerySql.CostColumn(query.Cost)}), 0) AS cost FROM {LineItemsTable.Name}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append($" GROUP BY ALL) AS g JOIN {TagSets.Table} AS ts ON ts.tag_set_id = g.{LineItemsTable.TagSetIdColumn}");
        sql.Append(" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
        using var command = Command(sql.ToString(), parameters.ToArray());
        using var reader = command.ExecuteReader();
        var rows = new List<BilledCostRow>();
        while (reader.Read())
        {
            var allocatedTags = Map(reader, 9, 10);
            rows.Add(new BilledCostRow(
                DateOnly.FromDateTime(reader.GetDateTime(0)),
                reader.GetString(1),
                reader.GetDecimal(11),
                Text(reader, 2),
                Text(reader, 3),
                Text(reader, 4),
                Map(reader, 7, 8),
                Text(reader, 5),
                Text(reader, 6),
                allocatedTags.Count == 0 ? null : allocatedTags));
        }

        return rows;
    }

    public IReadOnlyList<TaggedCostRow> QueryTaggedCosts(CostQuery query, bool byAccount, bool byResource)
    {
        ArgumentNullException.ThrowIfNull(query);
        var built = CostQuerySql.BuildTagged(query, byAccount, byResource);
        using var command = Command(built.Sql, built.Parameters.ToArray());
        using var reader = command.ExecuteReader();
        var rows = new List<TaggedCostRow>();
        var tagSets = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        var hasPeriod = query.Grain is not null;
        while (reader.Read())
        {
            var ordinal = 0;
            DateTime? period = hasPeriod ? DateTime.SpecifyKind(reader.GetDateTime(ordinal++), DateTimeKind.Utc) : null;
            var values = new string[query.By.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetString(ordinal++);
            }

            // One map per distinct tag set, so callers can cache what they derive from it by reference.
            var tags = Map(reader, ordinal, ordinal + 1);
            var key = string.Join('\u001f', tags.Select(t => t.Key + '\u001e' + t.Value));
            if (!tagSets.TryGetValue(key, out var shared))
            {
                tagSets[key] = shared = tags;
            }

            rows.Add(new TaggedCostRow(period, values, shared, Text(reader, ordinal + 2), Text(reader, ordinal + 3), reader.GetString(ordinal + 4), reader.GetDecimal(ordinal + 5)));
        }

        return rows;
    }

    public IUsageImportSession BeginUsageImport() => new DuckDbUsageImportSession(this);

    public IReadOnlyList<UsageSample> QueryUsage(DateOnly? firstDay, DateOnly? endDay)
    {
        var (sql, parameters) = UsageSamplesTable.Query(firstDay, endDay);
        using var command = Command(sql, parameters.ToArray());
        using var reader = command.ExecuteReader();
        var samples = new List<UsageSample>();
        while (reader.Read())
        {
            samples.Add(new UsageSample(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetDecimal(4), Map(reader, 2, 3)));
        }

        return samples;
    }

    public ImportRecord ImportExchangeRates(IReadOnlyList<ExchangeRate> rates, ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(file);
        using var transaction = _connection.BeginTransaction();
        var id = NextImportId();

        var replaced = 0L;
        foreach (var rate in rates)
        {
            var day = rate.Date.ToDateTime(TimeOnly.MinValue);
            replaced += Execute(
                "DELETE FROM exchange_rates WHERE import_id <> $id AND rate_date = CAST($d AS DATE) AND from_currency = $f AND to_currency = $t",
                ("id", id), ("d", day), ("f", rate.From), ("t", rate.To));
            Execute("INSERT INTO exchange_rates VALUES ($id, CAST($d AS DATE), $f, $t, $r)", ("id", id), ("d", day), ("f", rate.From), ("t", rate.To), ("r", rate.Rate));
        }

        var periods = rates.GroupBy(r => (r.From, r.To))
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key.From}->{g.Key.To} {g.Min(r => r.Date):yyyy-MM-dd}..{g.Max(r => r.Date):yyyy-MM-dd}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var now = UtcNow;
        RecordImport(id, ImportKind.Rates, now, rates.Count, replaced, periods, [file]);
        transaction.Commit();
        return new ImportRecord(id, ImportKind.Rates, now, rates.Count, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
    }

    public IReadOnlyList<ExchangeRate> ExchangeRates()
    {
        using var command = Command("SELECT rate_date, from_currency, to_currency, rate FROM exchange_rates ORDER BY 2, 3, 1");
        using var reader = command.ExecuteReader();
        var rates = new List<ExchangeRate>();
        while (reader.Read())
        {
            rates.Add(new ExchangeRate(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3)));
        }

        return rates;
    }

    public void Dispose() => _connection.Dispose();

    private ImportKind KindOf(long importId, string text) =>
        ImportKinds.TryParse(text, out var kind)
            ? kind
            : throw new UserInputException($"The store {Path} holds import #{importId} of kind '{text}', which this ModelMeter does not know. Upgrade ModelMeter.");

    private static string? Text(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static Dictionary<string, string?> Map(System.Data.Common.DbDataReader reader, int keysOrdinal, int valuesOrdinal)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (reader.IsDBNull(keysOrdinal))
        {
            return map;
        }

        var keys = reader.GetFieldValue<List<string?>>(keysOrdinal);
        var values = reader.IsDBNull(valuesOrdinal) ? [] : reader.GetFieldValue<List<string?>>(valuesOrdinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is { } key)
            {
                map.TryAdd(key, i < values.Count ? values[i] : null);
            }
        }

        return map;
    }

    /// <summary>
    /// The id of the next import, called inside its transaction. Taken from <c>imports</c> rather than a sequence,
    /// which DuckDB does not roll back: a refused import leaves no gap in the numbering. One writer at a time (DuckDB's
    /// file lock) makes this safe.
    /// </summary>
    internal long NextImportId()
    {
        using var command = Command("SELECT coalesce(max(import_id), 0) + 1 FROM imports");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row a query returns, as text.</summary>
    internal List<string> Strings(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Marks as superseded the earlier imports of a kind whose rows in <paramref name="table"/> were all replaced.</summary>
    internal void SupersedeEmptiedImports(long importId, ImportKind kind, string table) =>
        Execute(
            $"UPDATE imports SET superseded_by = $id WHERE superseded_by IS NULL AND kind = $kind AND import_id <> $id AND import_id NOT IN (SELECT DISTINCT import_id FROM {table})",
            ("id", importId), ("kind", kind.ToText()));

    /// <summary>Writes an import's provenance: the import and each of its files.</summary>
    internal void RecordImport(long importId, ImportKind kind, DateTime at, long rows, long replaced, List<string> periods, IEnumerable<ImportedFile> files)
    {
        Execute(
            "INSERT INTO imports VALUES ($id, $kind, $at, $rows, $replaced, $periods, NULL)",
            ("id", importId), ("kind", kind.ToText()), ("at", at), ("rows", rows), ("replaced", replaced), ("periods", periods));
        foreach (var file in files)
        {
            Execute(
                "INSERT INTO import_files VALUES ($id, $path, $sha, $bytes, $rows)",
                ("id", importId), ("path", file.Path), ("sha", file.Sha256), ("bytes", file.Bytes), ("rows", file.Rows));
        }
    }

    internal DuckDBCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        }

        return command;
    }

    internal int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }
}
