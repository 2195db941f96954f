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
    // DuckDB.NET shares one database per file among a process's connections, counting them; opening and closing them
    // from several threads at once (a server's requests) miscounts ("returned too many times"), so they take turns.
    private static readonly Lock OpenGate = new();

    private readonly DuckDBConnection _connection;
    private readonly TimeProvider _clock;
    private bool _withoutDictionaries;

    private DuckDbCostStore(DuckDBConnection connection, TimeProvider clock, string path)
    {
        _connection = connection;
        _clock = clock;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// DuckDB's buffer while the store is open. It would otherwise cache up to 80% of RAM; a bounded buffer keeps
    /// memory predictable without slowing the reports (bench/run.sh, bench/clickhouse.sh: 50M rows answer in 1.2-1.9 s).
    /// </summary>
    internal const string MemoryLimit = "1GB";

    /// <summary>
    /// DuckDB's buffer during a line-item import (<see cref="DuckDbImportSession"/>), restored to <see cref="MemoryLimit"/>
    /// after it. An import writes once and reads its rows back only in the commit's checks, which fill whatever buffer
    /// there is with the blocks just written: a 10M-row import held 250 to 290 MiB until the commit, then peaked at
    /// 933 MiB with a 512 MB buffer. With 256 MB it peaked at 616 MiB (demo file) and 665 MiB (the wide file, whose
    /// commit took 6.5 s; 10.6 s with 128 MB, as its checks' joins spill to disk); BENCHMARKS.md, issue 9.
    /// </summary>
    internal const string ImportMemoryLimit = "256MB";

    /// <summary>Opens (creating when missing) the store file and brings its schema up to date.</summary>
    public static DuckDbCostStore Open(string path, TimeProvider clock) => Open(path, clock, readOnly: false);

    /// <summary>
    /// Opens the store. <paramref name="readOnly"/> opens it with DuckDB's <c>ACCESS_MODE=READ_ONLY</c>: a file that is
    /// read-only on disk (permissions, a read-only mount) can still be read, several readers share it, and nothing is
    /// written. A store that needs migrating is migrated first with write access when it can be, and named otherwise.
    /// A store missing its version row or one of its tables is refused as damaged, before any query trips over it.
    /// </summary>
    public static DuckDbCostStore Open(string path, TimeProvider clock, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(clock);
        if (!readOnly)
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                try
                {
                    Directory.CreateDirectory(directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UserInputException($"Cannot create the folder {directory} for the store {path}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}.", e);
                }
            }
        }

        var connection = Connect(path, readOnly);
        var store = new DuckDbCostStore(connection, clock, path);
        try
        {
            store.Execute("SET TimeZone = 'UTC'");
            store.Execute($"SET memory_limit = '{MemoryLimit}'");
            var version = store.SchemaVersion();
            if (version > Migrations.Latest)
            {
                throw new UserInputException(
                    $"The store {path} has schema version {version}, newer than this ModelMeter understands ({Migrations.Latest}). Upgrade ModelMeter.");
            }

            if (readOnly)
            {
                if (version < Migrations.Latest)
                {
                    store.Dispose();
                    Migrate(path, clock, version);
                    return Open(path, clock, readOnly: true);
                }
            }
            else
            {
                Migrations.Apply(connection, store.UtcNow);
            }

            store.CheckTables();
            if (store.InterruptedImportRows() > 0)
            {
                if (readOnly)
                {
                    store.Dispose();
                    RemoveInterruptedImport(path, clock);
                    return Open(path, clock, readOnly: true);
                }

                store.RemoveInterruptedImportRows();
            }
        }
        catch (DuckDBException e)
        {
            store.Dispose();
            if (StoreErrors.Writing(path, e) is UserInputException named)
            {
                throw named;
            }

            throw StoreErrors.IsNotWritable(e.Message)
                ? new UserInputException($"Cannot write to the store {path} or its folder ({FirstLine(e.Message)}); commands that only read it open it read-only.", e)
                : new UserInputException($"Cannot use the store {path}: {FirstLine(e.Message)}", e);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    private static DuckDBConnection Connect(string path, bool readOnly)
    {
        var connection = new DuckDBConnection($"DataSource={path}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : "")}");
        try
        {
            lock (OpenGate)
            {
                connection.Open();
            }

            return connection;
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            var message = e.Message;
            string reason;
            if (message.Contains("lock", StringComparison.OrdinalIgnoreCase))
            {
                // Busy, not broken: a caller that can wait (alert from cron) retries on this type.
                throw new StoreBusyException($"Cannot open the store {path}: {StoreErrors.Locked(path, message, readOnly)}", e);
            }
            else if (StoreErrors.IsNotWritable(message))
            {
                var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
                reason = $"cannot write to it or to the folder {folder} ({FirstLine(message)}); nothing was written. Commands that only read the store (report, tags, allocate, imports) open it read-only";
            }
            else
            {
                reason = FirstLine(message);
            }

            throw new UserInputException($"Cannot open the store {path}: {reason}", e);
        }
    }

    /// <summary>A store opened read-only but written by an older ModelMeter: migrate it once with write access.</summary>
    private static void Migrate(string path, TimeProvider clock, int version)
    {
        try
        {
            using var writable = Open(path, clock, readOnly: false);
        }
        catch (UserInputException e)
        {
            throw new UserInputException(
                $"The store {path} is at schema version {version} and this ModelMeter reads version {Migrations.Latest}; migrating it needs write access, which failed: {e.Message} Run any import with write access once, or use the ModelMeter that wrote it.", e);
        }
    }

    /// <summary>
    /// The tables whose rows belong to an import, and are valid only once its <c>imports</c> row is committed with them.
    /// </summary>
    private static readonly string[] ImportedTables = [LineItemsTable.FactsTable, LineItemsTable.DescriptorsTable, LineItemsTable.ContextsTable, "usage_samples", "exchange_rates", "import_files", "import_totals"];

    /// <summary>
    /// Rows of an import whose <c>imports</c> row is missing: what DuckDB 1.5 brings back from the write-ahead log of a
    /// process killed in the middle of writing its commit (duckdb/duckdb#25931: the bulk-written row groups of a commit
    /// whose log was cut short are replayed even though its end marker, and with it the rest of the transaction, was
    /// never written). Such rows were never committed as far as ModelMeter is concerned: an import exists only with its
    /// <c>imports</c> row, and every import id is above all those recorded before it.
    /// </summary>
    private long InterruptedImportRows()
    {
        var recorded = Recorded();
        return ImportedTables.Sum(table =>
        {
            using var command = Command($"SELECT count(*) FROM {table} WHERE import_id > $recorded", ("recorded", recorded));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
    }

    private long Recorded()
    {
        using var command = Command("SELECT coalesce(max(import_id), 0) FROM imports");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Removes the rows of an interrupted import (see <see cref="InterruptedImportRows"/>) in one transaction: the store is as it was before that import.</summary>
    private void RemoveInterruptedImportRows()
    {
        using var transaction = _connection.BeginTransaction();
        var recorded = Recorded();
        foreach (var table in ImportedTables)
        {
            Execute($"DELETE FROM {table} WHERE import_id > $recorded", ("recorded", recorded));
        }

        transaction.Commit();
    }

    /// <summary>A store opened read-only that holds an interrupted import's rows: remove them once with write access.</summary>
    private static void RemoveInterruptedImport(string path, TimeProvider clock)
    {
        try
        {
            using var writable = Open(path, clock, readOnly: false);
        }
        catch (UserInputException e)
        {
            throw new UserInputException(
                $"The store {path} holds rows of an import that was interrupted before its commit (the process was killed); they are not part of the store, but removing them needs write access, which failed: {e.Message} Run any import with write access once to clean it.", e);
        }
    }

    /// <summary>The store's schema version: 0 for a new file; a file with ModelMeter's tables but no version row is damaged.</summary>
    private int SchemaVersion()
    {
        var tables = Tables();
        var hasVersionTable = tables.Contains("schema_version");
        var version = 0;
        if (hasVersionTable)
        {
            using var command = Command("SELECT coalesce(max(version), 0) FROM schema_version");
            version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        if (version == 0 && tables.Overlaps(["imports", LineItemsTable.Name, LineItemsTable.FactsTable, TagSets.Table]))
        {
            throw new UserInputException(
                $"The store {Path} is damaged: it holds ModelMeter's tables but no schema version (its schema_version {(hasVersionTable ? "row is" : "table is")} missing), so what it holds cannot be read safely. Restore it from a backup, or import into a new store (--store).");
        }

        return version;
    }

    /// <summary>Every table the schema has by now must be there; a missing one is named, before a query fails on it.</summary>
    private void CheckTables()
    {
        var tables = Tables();
        foreach (var table in ExpectedTables)
        {
            if (!tables.Contains(table))
            {
                throw new UserInputException(
                    $"The store {Path} is damaged: its table {table} is missing (schema version {Migrations.Latest} has it). Restore the store from a backup, or import into a new store (--store).");
            }
        }
    }

    private static readonly string[] ExpectedTables =
        ["schema_version", "imports", "import_files", "import_totals", LineItemsTable.Name, LineItemsTable.FactsTable, LineItemsTable.DescriptorsTable, LineItemsTable.ContextsTable, TagSets.Table, TagSets.ValuesTable, TagSets.KeyListsTable, "usage_samples", "exchange_rates"];

    /// <summary>The store's tables and views (<c>line_items</c> is a view since schema version 10).</summary>
    private HashSet<string> Tables() => Strings(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal")
        .ToHashSet(StringComparer.Ordinal);

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        foreach (var prefix in new[] { "DuckDBOpen failed: ", "IO Error: ", "Invalid Input Error: ", "Catalog Error: ", "Serialization Error: ", "Fatal Error: " })
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                line = line[prefix.Length..];
            }
        }

        return line;
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
        using (var command = Command("SELECT import_id, kind, imported_at, row_count, replaced_rows, billing_periods, superseded_by, mapping FROM imports ORDER BY import_id"))
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
                    reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
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

    public IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query, bool workloadFields = false)
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
        // sets: the tag policy, which may change between runs, resolves those in C#. The workload columns, when asked,
        // come last, so the ordinals before them do not move.
        var where = CostQuerySql.Where(query, Param);
        var workload = workloadFields
            ? ", ProviderName, ServiceCategory, ResourceType, SkuId, " +
              $"{LineItemsTable.CustomValues}[list_position({LineItemsTable.CustomKeys}, 'x_UsageType')] AS UsageType, ChargeDescription"
            : string.Empty;
        var outer = workloadFields ? ", g.ProviderName, g.ServiceCategory, g.ResourceType, g.SkuId, g.UsageType, g.ChargeDescription" : string.Empty;
        var sql = new StringBuilder(
            "SELECT g.day, g.currency, g.ServiceName, g.ResourceId, g.SubAccountId, g.AllocatedMethodId, g.AllocatedResourceId, " +
            $"ts.tag_keys, ts.tag_values, g.AllocatedTagsKeys, g.AllocatedTagsValues, g.cost{outer} FROM (" +
            $"SELECT {CostQuerySql.Period(TimeGrain.Day)} AS day, BillingCurrency AS currency, ServiceName, ResourceId, SubAccountId, " +
            $"AllocatedMethodId, AllocatedResourceId, {LineItemsTable.TagSetIdColumn}, AllocatedTagsKeys, AllocatedTagsValues{workload}, " +
            $"coalesce(sum({CostQuerySql.CostColumn(query.Cost)}), 0) AS cost FROM {LineItemsTable.Name}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append($" GROUP BY ALL) AS g JOIN {TagSets.Table} AS ts ON ts.tag_set_id = g.{LineItemsTable.TagSetIdColumn}");
        sql.Append(" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
        if (workloadFields)
        {
            sql.Append(", 13, 14, 15, 16, 17, 18");
        }

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
                allocatedTags.Count == 0 ? null : allocatedTags,
                workloadFields ? new BilledWorkloadFields(Text(reader, 12), Text(reader, 13), Text(reader, 14), Text(reader, 15), Text(reader, 16), Text(reader, 17)) : null));
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

    public IUsageImportSession BeginUsageImport() => new DuckDbUsageImportSession(this, ImportKind.Usage);

    public IUsageImportSession BeginUsageImport(ImportKind kind) => new DuckDbUsageImportSession(this, kind);

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

    public bool AddAlertDelivery(AlertDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return AlertStateTables.Add(this, delivery);
    }

    public bool TryClaimAlertDelivery(string findingKey, string sink, string runId, DateTime now, DateTime staleBefore) =>
        AlertStateTables.Claim(this, findingKey, sink, runId, now, staleBefore);

    public bool CompleteAlertDelivery(string findingKey, string sink, string runId, bool delivered, int attempts, string? failure, DateTime now) =>
        AlertStateTables.Complete(this, findingKey, sink, runId, delivered, attempts, failure, now);

    public IReadOnlyList<AlertDelivery> AlertDeliveries() => AlertStateTables.List(this);

    public bool RecordBudgetPeriod(BudgetPeriodRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AlertStateTables.RecordPeriod(this, record);
    }

    public IReadOnlyList<BudgetPeriodRecord> BudgetPeriods(string? budget = null) => AlertStateTables.Periods(this, budget);

    public IReadOnlyList<UsageBatchReceipt> WriteUsageBatches(IReadOnlyList<UsageBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return UsageBatchesTable.Write(this, batches, UtcNow);
    }

    public UsageBatchReceipt? FindUsageBatch(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return UsageBatchesTable.Find(this, idempotencyKey);
    }

    public UsageBatchTotals UsageBatchTotals() => UsageBatchesTable.Totals(this);

    public void Dispose()
    {
        lock (OpenGate)
        {
            try
            {
                _connection.Dispose();
            }
            catch (DuckDBException)
            {
                // Closing after a fatal write error (DuckDB has invalidated the database): what failed was already reported.
            }
        }
    }

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

    /// <summary>
    /// Marks as superseded the earlier imports whose rows in <paramref name="table"/> were all replaced: of the same kind,
    /// or, for line items, of any kind that holds line items (they share the replace key).
    /// </summary>
    internal void SupersedeEmptiedImports(long importId, ImportKind kind, string table)
    {
        var kinds = (kind.HoldsLineItems() ? ImportKinds.LineItemKinds : [kind]).Select(k => k.ToText()).ToList();
        Execute(
            $"UPDATE imports SET superseded_by = $id WHERE superseded_by IS NULL AND list_contains($kinds, kind) AND import_id <> $id AND import_id NOT IN (SELECT DISTINCT import_id FROM {table})",
            ("id", importId), ("kinds", kinds));
    }

    /// <summary>Writes an import's provenance: the import and each of its files.</summary>
    internal void RecordImport(long importId, ImportKind kind, DateTime at, long rows, long replaced, List<string> periods, IEnumerable<ImportedFile> files, string? mapping = null)
    {
        Execute(
            "INSERT INTO imports (import_id, kind, imported_at, row_count, replaced_rows, billing_periods, superseded_by, mapping) VALUES ($id, $kind, $at, $rows, $replaced, $periods, NULL, $mapping)",
            ("id", importId), ("kind", kind.ToText()), ("at", at), ("rows", rows), ("replaced", replaced), ("periods", periods), ("mapping", mapping));
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

    /// <summary>
    /// Compresses what is written from now on without DuckDB's dictionary method, once an import's descriptions or tag
    /// sets are nearly all new (their lookups paused, <see cref="Core.Text.CacheWorth"/>): on strings that do not repeat
    /// the dictionary loses to FSST, yet DuckDB tried it on every segment, a twelfth of a wide bill's import (the 1M-row
    /// wide bench file: 11.47 -> 10.11 s, medians of three; its store 86 -> 93 MB, its all-null text columns stored
    /// plainly; a bill that repeats itself, the demo's, never gets here). Until the import ends (<see cref="ResetCompression"/>).
    /// </summary>
    internal void WriteWithoutDictionaries()
    {
        if (!_withoutDictionaries)
        {
            Execute("SET disabled_compression_methods = 'dictionary'");
            _withoutDictionaries = true;
        }
    }

    /// <summary>DuckDB's compression methods all allowed again (after <see cref="WriteWithoutDictionaries"/>).</summary>
    internal void ResetCompression()
    {
        if (_withoutDictionaries)
        {
            Execute("RESET disabled_compression_methods");
            _withoutDictionaries = false;
        }
    }

    internal int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }
}
