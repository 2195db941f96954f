using System.Globalization;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// The distributed store: line items, usage, rates and provenance in MergeTree tables on every shard of a ClickHouse
/// cluster, read through Distributed tables, spoken to over HTTP. It keeps the store contract exactly as the DuckDB
/// store does (the contract suite runs against both), and adds what one file cannot: many writers at once (imports of
/// different accounts run side by side) and data spread over machines. How imports stay all-or-nothing without
/// transactions is <see cref="Visibility"/>'s; how ids stay consecutive is <see cref="ImportClaims"/>'.
/// </summary>
public sealed partial class ClickHouseCostStore : ICostStore
{
    /// <summary>The magnitude a Decimal(38, 18) holds: 20 digits before the point.</summary>
    private const decimal DecimalLimit = 100_000_000_000_000_000_000m;

    /// <summary>Below 2^127 / 10^18 (1.70 × 10^20) with room for the float sum's rounding: a Decimal128 sum under it has not wrapped.</summary>
    private const double WrapGuard = 1.6e20;

    private ClickHouseCostStore(ClickHouseCluster cluster, TimeProvider clock, ClickHouseStoreTuning tuning)
    {
        Cluster = cluster;
        Clock = clock;
        Tuning = tuning;
        Ledger = new ImportLedger(cluster);
        Claims = new ImportClaims(cluster, Ledger, tuning);
        Collector = new GarbageCollector(cluster, Ledger, tuning);
    }

    public ClickHouseOptions Options => Cluster.Options;

    internal ClickHouseCluster Cluster { get; }

    internal TimeProvider Clock { get; }

    internal ClickHouseStoreTuning Tuning { get; }

    internal ImportLedger Ledger { get; }

    internal ImportClaims Claims { get; }

    internal GarbageCollector Collector { get; }

    internal DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    private string Db => Sql.Identifier(Cluster.Database);

    /// <summary>Connects to the cluster, creating the database and tables on every shard when missing and migrating them.</summary>
    /// <param name="options">Where the store is.</param>
    /// <param name="password">The ClickHouse password (read from <see cref="ClickHouseOptions.PasswordVariable"/> by the caller), or null.</param>
    /// <param name="clock">The time imports are recorded at.</param>
    public static ClickHouseCostStore Open(ClickHouseOptions options, string? password, TimeProvider clock) => Open(options, password, clock, ClickHouseStoreTuning.Default);

    internal static ClickHouseCostStore Open(ClickHouseOptions options, string? password, TimeProvider clock, ClickHouseStoreTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var cluster = ClickHouseCluster.Connect(options, password);
        try
        {
            SchemaMigrator.Apply(cluster, clock.GetUtcNow().UtcDateTime);
            return new ClickHouseCostStore(cluster, clock, tuning);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>True when the entry node has the store's database with its schema (the store was created).</summary>
    public static bool Exists(ClickHouseOptions options, string? password)
    {
        using var cluster = ClickHouseCluster.Connect(options, password);
        return SchemaMigrator.Exists(cluster);
    }

    /// <summary>Drops the store's database on every shard (a store an operation created and then refused to fill).</summary>
    public static void Drop(ClickHouseOptions options, string? password)
    {
        using var cluster = ClickHouseCluster.Connect(options, password);
        ClickHouseCluster.OnEach(cluster.Shards, shard => shard.Execute($"DROP DATABASE IF EXISTS {Sql.Identifier(cluster.Database)}"));
    }

    public ILineItemImportSession BeginLineItemImport(ImportKind kind) => new ClickHouseImportSession(this, kind, Claims.ClaimNext());

    public ImportRecord? FindImportByContentHash(string sha256) =>
        ListImports().Where(i => i.SupersededBy is null && i.Files.Any(f => f.Sha256 == sha256)).OrderByDescending(i => i.ImportId).FirstOrDefault();

    public IReadOnlyList<ImportRecord> ListImports() => Ledger.List();

    public IReadOnlyList<CostRow> QueryCosts(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = CostQuerySql.Build(Cluster.Database, query);
        return Cluster.Entry.Query(sql).Select(r => new CostRow(
                query.Grain is null ? null : r.Instant("period"),
                Enumerable.Range(0, query.By.Count).Select(i => r.String(Dimension(i))).ToList(),
                r.String("currency"),
                ExactSum(r)))
            .ToList();
    }

    public (DateTime First, DateTime Last)? ChargeRange()
    {
        var row = Cluster.Entry.Query(CostQuerySql.ChargeRange(Cluster.Database)).Single();
        return row.Int64("n") == 0 ? null : (row.Instant("first_start"), row.Instant("last_end"));
    }

    public IReadOnlyList<BilledCostRow> QueryBilledCostRows(CostQuery query, bool workloadFields = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        RefuseTagConditions(query);
        var groups = Cluster.Entry.Query(CostQuerySql.BuildBilled(Cluster.Database, query, workloadFields));
        var tagSets = TagMaps(groups.Select(g => g.UInt64("tag_set")));
        var rows = groups.Select(g =>
            {
                var allocated = Map(g.Strings("allocated_keys"), g.Strings("allocated_values"));
                return new BilledCostRow(
                    g.Day("day"),
                    g.String("currency"),
                    ExactSum(g),
                    g.NullableString("service"),
                    g.NullableString("resource"),
                    g.NullableString("account"),
                    tagSets[g.UInt64("tag_set")],
                    g.NullableString("method"),
                    g.NullableString("allocated_resource"),
                    allocated.Count == 0 ? null : allocated,
                    workloadFields
                        ? new BilledWorkloadFields(
                            g.NullableString("provider"), g.NullableString("service_category"), g.NullableString("resource_type"),
                            g.NullableString("sku"), g.NullableString("usage_type"), g.NullableString("description"))
                        : null);
            })
            .ToList();

        // In the DuckDB store's order (its ORDER BY over these columns), so both stores hand the rules the same sequence.
        rows.Sort(BilledOrder.Instance);
        return rows;
    }

    public IReadOnlyList<TaggedCostRow> QueryTaggedCosts(CostQuery query, bool byAccount, bool byResource)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = Cluster.Entry.Query(CostQuerySql.BuildTagged(Cluster.Database, query, byAccount, byResource));

        // One map per distinct tag set, so callers can cache what they derive from it by reference.
        var tagSets = TagMaps(groups.Select(g => g.UInt64("tag_set")));
        return groups.Select(g => new TaggedCostRow(
                query.Grain is null ? null : g.Instant("period"),
                Enumerable.Range(0, query.By.Count).Select(i => g.String(Dimension(i))).ToList(),
                tagSets[g.UInt64("tag_set")],
                g.NullableString("account"),
                g.NullableString("resource"),
                g.String("currency"),
                ExactSum(g)))
            .OrderBy(r => r.Period)
            .ThenBy(r => string.Join('\u001f', r.Values), StringComparer.Ordinal)
            .ThenBy(r => string.Join('\u001f', r.Tags.Select(t => t.Key + '\u001e' + t.Value)), StringComparer.Ordinal)
            .ThenBy(r => r.SubAccountId, StringComparer.Ordinal)
            .ThenBy(r => r.ResourceId, StringComparer.Ordinal)
            .ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
    }

    public IUsageImportSession BeginUsageImport() => BeginUsageImport(ImportKind.Usage);

    public IReadOnlyList<UsageSample> QueryUsage(DateOnly? firstDay, DateOnly? endDay)
    {
        var where = new List<string> { Visibility.UsageSamples(Cluster.Database) };
        if (firstDay is { } first)
        {
            where.Add($"period >= {Sql.Literal(first)}");
        }

        if (endDay is { } end)
        {
            where.Add($"period < {Sql.Literal(end)}");
        }

        // Summed per day, metric and dimension set, in one GROUP BY; the dimensions are raw, as imported.
        var sql = $"SELECT period AS day, metric AS m, dimension_keys AS k, dimension_values AS v, {string.Join(", ", CostQuerySql.Sums("value"))} " +
                  $"FROM {Db}.usage_samples_all WHERE {string.Join(" AND ", where)} GROUP BY day, m, k, v ORDER BY day, m, k, v";
        return Cluster.Entry.Query(sql)
            .Select(r => new UsageSample(r.Day("day"), r.String("m"), ExactSum(r), Map(r.Strings("k"), r.Strings("v"))))
            .ToList();
    }

    public ImportRecord ImportExchangeRates(IReadOnlyList<ExchangeRate> rates, ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(file);
        var claim = Claims.ClaimNext();
        var committed = false;
        try
        {
            var id = claim.ImportId;

            // A rate of a pair and day already stored is replaced: the newer import holds that key (ExchangeRates reads argMax).
            var keys = rates.Select(r => (r.Date, r.From, r.To)).ToHashSet();
            var replaced = ExchangeRates().Count(r => keys.Contains((r.Date, r.From, r.To)));
            foreach (var batch in rates.Chunk(5_000))
            {
                Cluster.ShardFor(id).Execute(
                    $"INSERT INTO {Db}.exchange_rates (import_id, load_id, rate_date, from_currency, to_currency, rate) VALUES " +
                    string.Join(", ", batch.Select(r => $"({Sql.Literal(id)}, {Sql.Literal(claim.LoadId)}, {Sql.Literal(r.Date)}, {Sql.Literal(r.From)}, {Sql.Literal(r.To)}, {Sql.Literal(r.Rate)})")));
            }

            var periods = rates.GroupBy(r => (r.From, r.To))
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key.From}->{g.Key.To} {g.Min(r => r.Date):yyyy-MM-dd}..{g.Max(r => r.Date):yyyy-MM-dd}"))
                .Order(StringComparer.Ordinal)
                .ToList();
            var now = ToMicroseconds(UtcNow);
            Ledger.Record(id, claim.LoadId, ImportKind.Rates, now, rates.Count, replaced, periods, [file], new Dictionary<string, decimal>(StringComparer.Ordinal));
            Ledger.Commit(id, claim.LoadId);
            committed = true;
            AfterCommit(claim);
            return new ImportRecord(id, ImportKind.Rates, now, rates.Count, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
        }
        finally
        {
            if (!committed)
            {
                Abandon(claim);
            }
        }
    }

    public IReadOnlyList<ExchangeRate> ExchangeRates() =>
        Cluster.Entry.Query(
                $"SELECT rate_date AS day, from_currency AS f, to_currency AS t, argMax(rate, import_id) AS r FROM {Db}.exchange_rates_all " +
                $"WHERE {Visibility.Committed(Cluster.Database)} GROUP BY day, f, t ORDER BY f, t, day")
            .Select(r => new ExchangeRate(r.Day("day"), r.String("f"), r.String("t"), r.Decimal("r")))
            .ToList();

    public void Dispose() => Cluster.Dispose();

    /// <summary>After a commit: the id's claim goes, and replaced rows whose grace has passed leave the disk.</summary>
    internal void AfterCommit(ImportClaim claim)
    {
        try
        {
            Claims.Release(claim);
            Collector.Collect();
        }
        catch (StoreUnavailableException)
        {
            // The import is committed; housekeeping runs again after the next one (a stale claim is cleaned up then too).
        }
    }

    /// <summary>An import that will not commit: its staged rows are dropped and its id freed (when a shard is down, both wait for the stale-claim cleanup).</summary>
    internal void Abandon(ImportClaim claim)
    {
        try
        {
            Partitions.DropImport(Cluster, claim.ImportId);
            Claims.Release(claim);
        }
        catch (StoreUnavailableException)
        {
            // The rows are invisible (never committed); the claim stays until it goes stale and the next import drops them.
        }
    }

    /// <summary>
    /// An exact sum from a row of <c>cost</c> and <c>cost_check</c> (<see cref="CostQuerySql.Sums"/>). ClickHouse 18.16
    /// adds Decimal128 modulo 2^128 without an overflow check, which is exact while the running total stays within
    /// ±2^127 (±1.7 × 10^20 at scale 18); the float sum says whether it did. A total beyond what Decimal(38, 18) holds
    /// (10^20) is an error, as it is in DuckDB, never a wrapped figure.
    /// </summary>
    internal static decimal ExactSum(Row row, string alias = CostQuerySql.Cost)
    {
        // Every exact sum comes with its float check under the alias + "_check" (CostQuerySql.Sums: cost, cost_check).
        var check = row.Double(alias + "_check");
        var exact = Math.Abs(check) < WrapGuard ? row.Decimal(alias) : (decimal?)null;
        if (exact is null || Math.Abs(exact.Value) >= DecimalLimit)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture,
                $"A sum of about {check:E3} is beyond what Decimal(38, 18) holds (20 digits before the point); no figure was returned. Narrow the query (--from/--to, --where)."));
        }

        return exact.Value;
    }

    /// <summary>
    /// Every sum a report takes of the store must fit Decimal(38, 18), as in the DuckDB store: per currency and cost
    /// column, the amounts (credits counted as positive) of the visible line items and of the load being committed
    /// (<see cref="StoreTotalsLimit"/>). The rows the load replaces are still counted, so this is a bound, never too lenient.
    /// </summary>
    internal void CheckTotalsFit(ulong loadId, CancellationToken cancellationToken)
    {
        var columns = StoreTotalsLimit.Columns;
        var sums = string.Join(", ", columns.Select((c, i) => $"ifNull(sum(abs(toFloat64({c}))), 0) AS s{i}"));
        var rows = Cluster.Entry.Query(
            $"SELECT BillingCurrency AS currency, {sums} FROM {Db}.line_items_all " +
            $"WHERE load_id = {Sql.Literal(loadId)} OR {Visibility.LineItems(Cluster.Database)} GROUP BY currency", cancellationToken);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                StoreTotalsLimit.Check(row.String("currency"), columns[i], row.Double("s" + i.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>An instant at the precision the store keeps import times (microseconds, as DuckDB's TIMESTAMP).</summary>
    internal static DateTime ToMicroseconds(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    private static string Dimension(int index) => "d" + index.ToString(CultureInfo.InvariantCulture);

    private static void RefuseTagConditions(CostQuery query)
    {
        if (query.Where.Any(f => f.Dimension is TagDimension))
        {
            throw new ArgumentException("Tag conditions are read through the tag policy (TagConditions), not in SQL.", nameof(query));
        }
    }

    private Dictionary<ulong, Dictionary<string, string?>> TagMaps(IEnumerable<ulong> ids)
    {
        var maps = new Dictionary<ulong, Dictionary<string, string?>> { [0] = new(StringComparer.Ordinal) };
        foreach (var (id, keys, values) in TagSetRegistry.Read(Cluster, ids))
        {
            maps[id] = Map(keys.Select(k => (string?)k).ToList(), values);
        }

        return maps;
    }

    private static Dictionary<string, string?> Map(List<string?> keys, List<string?> values)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is { } key)
            {
                map.TryAdd(key, i < values.Count ? values[i] : null);
            }
        }

        return map;
    }

    /// <summary>The DuckDB store's ORDER BY over billed cost rows: columns in order, NULLs last, maps by their key and value lists.</summary>
    private sealed class BilledOrder : IComparer<BilledCostRow>
    {
        public static readonly BilledOrder Instance = new();

        public int Compare(BilledCostRow? x, BilledCostRow? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = x.Period.CompareTo(y.Period);
            if (c == 0) c = string.CompareOrdinal(x.Currency, y.Currency);
            if (c == 0) c = Text(x.ServiceName, y.ServiceName);
            if (c == 0) c = Text(x.ResourceId, y.ResourceId);
            if (c == 0) c = Text(x.SubAccountId, y.SubAccountId);
            if (c == 0) c = Text(x.AllocatedMethodId, y.AllocatedMethodId);
            if (c == 0) c = Text(x.AllocatedResourceId, y.AllocatedResourceId);
            if (c == 0) c = Lists(x.Tags.Keys, y.Tags.Keys);
            if (c == 0) c = Lists(x.Tags.Values, y.Tags.Values);
            if (c == 0) c = Lists(x.AllocatedTags?.Keys ?? [], y.AllocatedTags?.Keys ?? []);
            if (c == 0) c = Lists(x.AllocatedTags?.Values ?? [], y.AllocatedTags?.Values ?? []);
            if (c == 0 && x.Workload is { } a && y.Workload is { } b)
            {
                c = Text(a.ProviderName, b.ProviderName);
                if (c == 0) c = Text(a.ServiceCategory, b.ServiceCategory);
                if (c == 0) c = Text(a.ResourceType, b.ResourceType);
                if (c == 0) c = Text(a.SkuId, b.SkuId);
                if (c == 0) c = Text(a.UsageType, b.UsageType);
                if (c == 0) c = Text(a.ChargeDescription, b.ChargeDescription);
            }

            return c;
        }

        private static int Text(string? x, string? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(x, y),
        };

        private static int Lists(IEnumerable<string?> first, IEnumerable<string?> second)
        {
            var x = first.ToList();
            var y = second.ToList();
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = Text(x[i], y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}
