using ModelMeter.Application.Access;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Migration;

/// <summary>A <c>modelmeter migrate</c>: the store to copy (<c>--from</c>, default the config's) and where to (<c>--to</c>).</summary>
public sealed record MigrateRequest
{
    /// <summary>The config, and in <see cref="StoreOptions.Store"/> the source store (<c>--from</c>).</summary>
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>The target store as the user wrote it (<c>--to clickhouse://...</c>).</summary>
    public string To { get; init; } = "";
}

/// <summary>
/// Moves an embedded store to a cluster: every import, in order, with its id, time, files and what replaced what, and
/// the rows it still holds; then reads the same figures from both stores and compares them to the last digit. Each
/// import is copied all-or-nothing, so an interrupted migration leaves whole imports behind and a second run resumes
/// where it stopped. The source is only read.
/// </summary>
public sealed class MigrateUseCase(StoreProvider stores, KeysUseCase keys)
{
    private static readonly CostMetric[] Metrics = [CostMetric.Effective, CostMetric.Billed, CostMetric.List, CostMetric.Contracted];

    /// <param name="request">What to copy where.</param>
    /// <param name="progress">Share of the imports copied, 0 to 1.</param>
    /// <param name="cancellationToken">Stops between imports; the imports copied so far stay, whole.</param>
    public MigrateResult Run(MigrateRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.To))
        {
            throw new UserInputException("Name the store to migrate to with --to, such as --to clickhouse://HOST:8123/modelmeter?cluster=NAME.");
        }

        var config = stores.LoadConfig(request.Store);
        var targetOptions = request.Store with { Store = request.To };
        var from = stores.Locate(request.Store, config);
        var to = stores.Locate(targetOptions, config);
        if (from == to)
        {
            throw new UserInputException($"--from and --to both name {from}; migrate copies a store to another one.");
        }

        using var source = stores.Open(request.Store, config, StoreAccess.Read, "migrate copies what it holds");
        if (source.Store is not ICostStoreExport export)
        {
            throw new UserInputException($"migrate copies from a DuckDB store; {from} is a {from.Kind} store.");
        }

        var sourceImports = source.Store.ListImports();
        using var target = stores.Open(targetOptions, config, StoreAccess.Write);
        if (target.Store is not ICostStoreRestore restore)
        {
            throw new UserInputException($"migrate copies to a ClickHouse store; {to} is a {to.Kind} store.");
        }

        var already = target.Store.ListImports().ToDictionary(i => i.ImportId);
        var strangers = already.Values.Where(t => !sourceImports.Any(s => Same(s, t))).ToList();
        if (strangers.Count > 0)
        {
            throw new UserInputException(
                $"The store {to} already holds {strangers.Count} import{(strangers.Count == 1 ? "" : "s")} that {from} does not (#{strangers[0].ImportId} first); " +
                "migrate copies into an empty store, or resumes a migration of the same source.");
        }

        var imports = new List<MigratedImport>();
        var linesRead = 0L;
        var linesStored = 0L;
        for (var i = 0; i < sourceImports.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = sourceImports[i];
            if (already.ContainsKey(record.ImportId))
            {
                imports.Add(new MigratedImport(record.ImportId, record.Kind.ToText(), "already_there", 0, 0, 0));
                continue;
            }

            var usage = export.ExportUsage(record.ImportId);
            var rates = export.ExportRates(record.ImportId);
            var read = new CountingSink();
            var contents = export.ExportContents(record.ImportId);
            var restored = restore.Restore(record, sink => export.ExportLineItems(record.ImportId, read.To(sink)), usage, rates, contents);
            linesRead += read.Rows;
            linesStored += restored.LineItems;
            imports.Add(new MigratedImport(record.ImportId, record.Kind.ToText(), "copied", restored.LineItems, restored.UsageSamples, restored.Rates));
            progress?.Report((i + 1) / (double)sourceImports.Count);
        }

        // What the store keeps outside imports: alert deliveries, budget periods, estimates, posted usage batches.
        restore.RestoreState(export.ExportState());
        // The recommendations' idle policy: each resource's stage moves only forward, so saving it again changes nothing.
        target.Store.SaveIdleStates(source.Store.IdleStates(), []);

        // The findings' history (a save replaces by finding id) and --exec's action runs (appended: only those not there yet).
        target.Store.SaveFindingRecords(source.Store.FindingRecords());
        var there = target.Store.ActionRuns().ToList();
        foreach (var run in source.Store.ActionRuns())
        {
            if (!there.Remove(run))
            {
                target.Store.RecordActionRun(run);
            }
        }

        var checks = Compare(source.Store, target.Store, sourceImports);
        checks.Add(new MigrationCheck("line_items", null, linesRead, linesStored, linesRead == linesStored));
        // The API keys (files beside the DuckDB store) move into the cluster with their secret, so every key still works.
        var sourceKeys = keys.RingFor(new KeysRequest { Store = request.Store });
        var targetKeys = keys.RingFor(new KeysRequest { Store = targetOptions });
        targetKeys.CopyFrom(sourceKeys);
        var keysBefore = sourceKeys.Load();
        var keysAfter = targetKeys.Load();
        checks.Add(new MigrationCheck("api_keys", null, keysBefore.Count, keysAfter.Count,
            keysBefore.Count == keysAfter.Count && keysBefore.All(k => keysAfter.Contains(k)) && (keysBefore.Count == 0 || sourceKeys.Secret().AsSpan().SequenceEqual(targetKeys.Secret()))));
        return new MigrateResult(from.ToString(), to.ToString(), imports, checks, checks.All(c => c.Matches));
    }

    /// <summary>The same figures from both stores: costs per column, currency and month; usage per metric; rates; provenance.</summary>
    private static List<MigrationCheck> Compare(ICostStore source, ICostStore target, IReadOnlyList<ImportRecord> sourceImports)
    {
        var checks = new List<MigrationCheck>();
        foreach (var metric in Metrics)
        {
            var query = new CostQuery { Cost = metric, Grain = TimeGrain.Month };
            var before = source.QueryCosts(query);
            var after = target.QueryCosts(query);
            var currencies = before.Select(r => r.Currency).Concat(after.Select(r => r.Currency)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var currency in currencies)
            {
                var months = Months(before, currency);
                var monthsAfter = Months(after, currency);
                checks.Add(new MigrationCheck(
                    ColumnName(metric), currency, months.Sum(m => m.Cost), monthsAfter.Sum(m => m.Cost), months.SequenceEqual(monthsAfter)));
            }
        }

        var usageBefore = source.QueryUsage(null, null);
        var usageAfter = target.QueryUsage(null, null);
        foreach (var metric in usageBefore.Select(u => u.Metric).Concat(usageAfter.Select(u => u.Metric)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var a = usageBefore.Where(u => u.Metric == metric).Sum(u => u.Value);
            var b = usageAfter.Where(u => u.Metric == metric).Sum(u => u.Value);
            checks.Add(new MigrationCheck("usage:" + metric, null, a, b, a == b && UsageRows(usageBefore, metric).SequenceEqual(UsageRows(usageAfter, metric))));
        }

        // The hourly series (gauges read per hour) and what the ML sources brought: runs, LLM calls, business metrics.
        var hourlyBefore = source.QueryUsageStatistics(new UsageStatisticsQuery { Grain = UsageGrain.Hour });
        var hourlyAfter = target.QueryUsageStatistics(new UsageStatisticsQuery { Grain = UsageGrain.Hour });
        checks.Add(new MigrationCheck("usage_statistics", null, hourlyBefore.Sum(s => s.Sum), hourlyAfter.Sum(s => s.Sum),
            hourlyBefore.Select(Text).SequenceEqual(hourlyAfter.Select(Text), StringComparer.Ordinal)));
        var runsBefore = source.QueryRuns(new RunQuery());
        var runsAfter = target.QueryRuns(new RunQuery());
        checks.Add(new MigrationCheck("runs", null, runsBefore.Count, runsAfter.Count, runsBefore.Select(Text).SequenceEqual(runsAfter.Select(Text), StringComparer.Ordinal)));
        var llmBefore = source.QueryLlmUsage(null, null, []);
        var llmAfter = target.QueryLlmUsage(null, null, []);
        foreach (var currency in llmBefore.Select(r => r.Currency).Concat(llmAfter.Select(r => r.Currency)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            checks.Add(new MigrationCheck("llm_calls", currency, llmBefore.Where(r => r.Currency == currency).Sum(r => r.Cost), llmAfter.Where(r => r.Currency == currency).Sum(r => r.Cost),
                llmBefore.Where(r => r.Currency == currency).SequenceEqual(llmAfter.Where(r => r.Currency == currency), LlmRowComparer.Instance)));
        }

        var metricsBefore = source.QueryBusinessMetrics(null, null);
        var metricsAfter = target.QueryBusinessMetrics(null, null);
        checks.Add(new MigrationCheck("business_metrics", null, metricsBefore.Count, metricsAfter.Count, metricsBefore.Select(Text).SequenceEqual(metricsAfter.Select(Text), StringComparer.Ordinal)));
        checks.Add(Count("estimates", source.Estimates(), target.Estimates()));
        checks.Add(Count("alert_deliveries", source.AlertDeliveries(), target.AlertDeliveries()));
        checks.Add(Count("budget_periods", source.BudgetPeriods(), target.BudgetPeriods()));
        checks.Add(Count("idle_policy", source.IdleStates(), target.IdleStates()));
        checks.Add(Count("recommendation_findings", source.FindingRecords(), target.FindingRecords()));
        checks.Add(Count("recommendation_actions", source.ActionRuns(), target.ActionRuns()));
        var batchesBefore = source.UsageBatchTotals();
        var batchesAfter = target.UsageBatchTotals();
        checks.Add(new MigrationCheck("usage_batches", null, batchesBefore.Events, batchesAfter.Events, batchesBefore == batchesAfter));

        var ratesBefore = source.ExchangeRates();
        var ratesAfter = target.ExchangeRates();
        checks.Add(new MigrationCheck("exchange_rates", null, ratesBefore.Count, ratesAfter.Count, ratesBefore.SequenceEqual(ratesAfter)));
        var importsAfter = target.ListImports();
        checks.Add(new MigrationCheck("imports", null, sourceImports.Count, importsAfter.Count,
            sourceImports.Count == importsAfter.Count && sourceImports.Zip(importsAfter).All(p => Same(p.First, p.Second))));
        return checks;
    }

    /// <summary>Two lists of records compared value by value (records compare their members; lists inside by their text).</summary>
    private static MigrationCheck Count<T>(string table, IReadOnlyList<T> before, IReadOnlyList<T> after) =>
        new(table, null, before.Count, after.Count, before.Select(b => Text(b!)).SequenceEqual(after.Select(a => Text(a!)), StringComparer.Ordinal));

    /// <summary>A value as comparable text: JSON, with decimals written without the trailing zeros of their scale.</summary>
    private static string Text(object value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType(), TextOptions);

    private static readonly System.Text.Json.JsonSerializerOptions TextOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new NormalizedDecimal() },
    };

    /// <summary>1.50 and 1.5 are the same figure: decimals are compared without their scale.</summary>
    private sealed class NormalizedDecimal : System.Text.Json.Serialization.JsonConverter<decimal>
    {
        public override decimal Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(System.Text.Json.Utf8JsonWriter writer, decimal value, System.Text.Json.JsonSerializerOptions options) =>
            writer.WriteNumberValue(value / 1.000000000000000000000000000m);
    }

    private sealed class LlmRowComparer : IEqualityComparer<LlmUsageRow>
    {
        public static readonly LlmRowComparer Instance = new();

        public bool Equals(LlmUsageRow? x, LlmUsageRow? y) => x is not null && y is not null && Text(x) == Text(y);

        public int GetHashCode(LlmUsageRow obj) => Text(obj).GetHashCode(StringComparison.Ordinal);
    }

    private static List<(DateTime? Period, decimal Cost)> Months(IReadOnlyList<CostRow> rows, string currency) =>
        rows.Where(r => r.Currency == currency).Select(r => (r.Period, r.Cost)).OrderBy(r => r.Period).ToList();

    private static List<string> UsageRows(IReadOnlyList<Core.Allocation.UsageSample> samples, string metric) =>
        samples.Where(s => s.Metric == metric)
            .Select(s => $"{s.Period:yyyy-MM-dd} {string.Join(',', s.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value))} {s.Value / 1.000000000000000000000000000m}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string ColumnName(CostMetric metric) => metric switch
    {
        CostMetric.Effective => "EffectiveCost",
        CostMetric.Billed => "BilledCost",
        CostMetric.List => "ListCost",
        _ => "ContractedCost",
    };

    /// <summary>Two stores' records of one import say the same (id, kind, time, rows, files, periods, totals, supersession).</summary>
    private static bool Same(ImportRecord a, ImportRecord b) =>
        a.ImportId == b.ImportId && a.Kind == b.Kind && a.ImportedAt == b.ImportedAt && a.Rows == b.Rows && a.ReplacedRows == b.ReplacedRows
        && a.Files.SequenceEqual(b.Files) && a.BillingPeriods.SequenceEqual(b.BillingPeriods, StringComparer.Ordinal)
        && a.BilledTotals.Count == b.BilledTotals.Count && a.BilledTotals.All(t => b.BilledTotals.TryGetValue(t.Key, out var v) && v == t.Value)
        && a.SupersededBy == b.SupersededBy;

    /// <summary>Counts the rows the source hands over on their way to the target.</summary>
    private sealed class CountingSink : Core.Billing.ILineItemSink
    {
        private Core.Billing.ILineItemSink? _next;

        public long Rows { get; private set; }

        public CountingSink To(Core.Billing.ILineItemSink next)
        {
            _next = next;
            return this;
        }

        public void Append(Core.Billing.LineItemRow row)
        {
            Rows++;
            _next!.Append(row);
        }
    }
}
