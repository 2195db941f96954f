using System.Globalization;
using System.Text;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// What the store keeps beside the bill: alert deliveries, budget periods, usage batches, MLflow runs, hourly usage
/// statistics, LLM calls, business metrics and estimates, each as the DuckDB store keeps it (the contract suite runs
/// against both). LLM calls and usage samples are many and aggregated in SQL on every shard; the rest are few records
/// (<see cref="RecordTable"/>) changed under a <see cref="ClusterLock"/>.
/// </summary>
public sealed partial class ClickHouseCostStore
{
    internal const string UsageBatchCollection = "usage_batch";
    private const string AlertCollection = "alert_delivery";
    private const string BudgetPeriodCollection = "budget_period";
    private const string EstimateCollection = "estimate";
    private const string RunCollection = "run";
    private const string MetricCollection = "business_metric";
    private const string LlmRangeCollection = "llm_range";

    private static readonly string[] LlmGroupColumns = ["day", "provider", "model", "tier", "currency"];

    private RecordTable Records => new(Cluster);

    private ClusterLock Locks => new(Cluster);

    // ---- alert deliveries ----

    public bool AddAlertDelivery(AlertDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var key = AlertKey(delivery.FindingKey, delivery.Sink);
        return Locks.Run(AlertCollection, () =>
        {
            if (Records.Find<AlertDelivery>(AlertCollection, key) is not null)
            {
                return false;
            }

            var stored = delivery with
            {
                Status = AlertDeliveryStatus.Pending,
                Attempts = 0,
                CreatedAt = ToMicroseconds(delivery.CreatedAt.ToUniversalTime()),
                LastAttemptAt = null,
                SentAt = null,
                LastError = null,
                ClaimedBy = null,
            };
            Records.Write(AlertCollection, [(key, stored)]);
            return true;
        });
    }

    public bool TryClaimAlertDelivery(string findingKey, string sink, string runId, DateTime now, DateTime staleBefore)
    {
        var key = AlertKey(findingKey, sink);
        return Locks.Run(AlertCollection, () =>
        {
            if (Records.Find<AlertDelivery>(AlertCollection, key) is not { } current)
            {
                return false;
            }

            var free = current.Status is AlertDeliveryStatus.Pending or AlertDeliveryStatus.Failed
                       || (current.Status == AlertDeliveryStatus.Sending && current.LastAttemptAt is { } at && at < staleBefore.ToUniversalTime());
            if (!free)
            {
                return false;
            }

            Records.Write(AlertCollection, [(key, current with { Status = AlertDeliveryStatus.Sending, ClaimedBy = runId, LastAttemptAt = ToMicroseconds(now.ToUniversalTime()) })]);
            return true;
        });
    }

    public bool CompleteAlertDelivery(string findingKey, string sink, string runId, bool delivered, int attempts, string? failure, DateTime now)
    {
        var key = AlertKey(findingKey, sink);
        return Locks.Run(AlertCollection, () =>
        {
            if (Records.Find<AlertDelivery>(AlertCollection, key) is not { } current
                || current.Status != AlertDeliveryStatus.Sending
                || !string.Equals(current.ClaimedBy, runId, StringComparison.Ordinal))
            {
                return false;
            }

            var at = ToMicroseconds(now.ToUniversalTime());
            var done = delivered
                ? current with { Status = AlertDeliveryStatus.Sent, SentAt = at, LastAttemptAt = at, LastError = null, Attempts = current.Attempts + attempts }
                : current with { Status = AlertDeliveryStatus.Failed, LastAttemptAt = at, LastError = failure, Attempts = current.Attempts + attempts };
            Records.Write(AlertCollection, [(key, done)]);
            return true;
        });
    }

    public IReadOnlyList<AlertDelivery> AlertDeliveries() =>
        Records.Current<AlertDelivery>(AlertCollection).Select(r => r.Value)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.FindingKey, StringComparer.Ordinal).ThenBy(d => d.Sink, StringComparer.Ordinal)
            .ToList();

    // ---- budget periods ----

    public bool RecordBudgetPeriod(BudgetPeriodRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = record.Budget + "\u001f" + record.Period;
        return Locks.Run(BudgetPeriodCollection, () =>
        {
            if (Records.Find<BudgetPeriodRecord>(BudgetPeriodCollection, key) is not null)
            {
                return false;
            }

            Records.Write(BudgetPeriodCollection, [(key, record with
            {
                Amount = Scale(record.Amount),
                Spent = Scale(record.Spent),
                RecordedAt = ToMicroseconds(record.RecordedAt.ToUniversalTime()),
            })]);
            return true;
        });
    }

    public IReadOnlyList<BudgetPeriodRecord> BudgetPeriods(string? budget = null) =>
        Records.Current<BudgetPeriodRecord>(BudgetPeriodCollection).Select(r => r.Value)
            .Where(p => budget is null || string.Equals(p.Budget, budget, StringComparison.Ordinal))
            .OrderBy(p => p.Budget, StringComparer.Ordinal).ThenBy(p => p.PeriodStart)
            .ToList();

    // ---- usage batches ----

    public IReadOnlyList<UsageBatchReceipt> WriteUsageBatches(IReadOnlyList<UsageBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return Locks.Run(UsageBatchCollection, () =>
        {
            var stored = Records.Current<PostedBatch>(UsageBatchCollection).Select(r => r.Value).ToList();
            var known = stored.Where(b => b.Receipt.IdempotencyKey is not null)
                .ToDictionary(b => b.Receipt.IdempotencyKey!, b => b.Receipt, StringComparer.Ordinal);
            var nextId = stored.Count == 0 ? 1 : stored.Max(b => b.Receipt.BatchId) + 1;
            var now = ToMicroseconds(UtcNow);
            var receipts = new UsageBatchReceipt[batches.Count];
            var written = new List<(UsageBatch Batch, UsageBatchReceipt Receipt)>();
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = batches[i];
                if (batch.IdempotencyKey is { } key && known.TryGetValue(key, out var earlier))
                {
                    receipts[i] = earlier with { Duplicate = true };
                    continue;
                }

                var receipt = new UsageBatchReceipt(nextId++, batch.IdempotencyKey, batch.BodySha256, batch.Events, now, Duplicate: false);
                receipts[i] = receipt;
                written.Add((batch, receipt));
                if (batch.IdempotencyKey is { } k)
                {
                    known[k] = receipt;
                }
            }

            if (written.Count == 0)
            {
                return receipts;
            }

            // Batches written together are summed together: one row per day, metric and dimension set per write, as
            // the DuckDB store does; the samples (import id 0) count once the receipts, which name their load, are in.
            var load = ContentIds.NewLoad();
            var sums = new Dictionary<string, (UsageSample Sample, decimal Value)>(StringComparer.Ordinal);
            foreach (var sample in written.SelectMany(w => w.Batch.Samples))
            {
                var key = SampleKey(sample);
                sums[key] = sums.TryGetValue(key, out var sum) ? (sum.Sample, sum.Value + sample.Value) : (sample, sample.Value);
            }

            using (var insert = new ShardedInsert(Cluster, "usage_samples", ClickHouseUsageImportSession.ColumnList))
            {
                foreach (var (sample, value) in sums.Values)
                {
                    ClickHouseUsageImportSession.WriteRow(insert, 0, load, sample with { Value = value, Start = null });
                }

                insert.Finish();
            }

            WriteBatchReceipts(written.Select(w => (w.Receipt.BatchId.ToString("D19", CultureInfo.InvariantCulture), new PostedBatch(w.Receipt, w.Batch.Team))).ToList(), load);
            return receipts;
        });
    }

    public UsageBatchReceipt? FindUsageBatch(string idempotencyKey) =>
        Records.Current<PostedBatch>(UsageBatchCollection).Select(r => r.Value.Receipt)
            .FirstOrDefault(r => string.Equals(r.IdempotencyKey, idempotencyKey, StringComparison.Ordinal));

    public UsageBatchTotals UsageBatchTotals()
    {
        var batches = Records.Current<PostedBatch>(UsageBatchCollection);
        return new UsageBatchTotals(batches.Count, batches.Sum(b => b.Value.Receipt.Events));
    }

    private void WriteBatchReceipts(List<(string Key, PostedBatch Batch)> receipts, ulong load)
    {
        // The receipts carry the samples' load (records.load_id), which is what makes the samples visible.
        var db = Sql.Identifier(Cluster.Database);
        var version = Cluster.Coordinator.Query($"SELECT max(version) AS v FROM {db}.records").Single().UInt64("v");
        foreach (var batch in receipts.Chunk(2_000))
        {
            Cluster.Coordinator.Execute(
                $"INSERT INTO {db}.records (collection, key, version, import_id, load_id, body) VALUES " +
                string.Join(", ", batch.Select(r =>
                    $"({Sql.Literal(UsageBatchCollection)}, {Sql.Literal(r.Key)}, {Sql.Literal(++version)}, 0, {Sql.Literal(load)}, {Sql.Literal(System.Text.Json.JsonSerializer.Serialize(r.Batch, RecordTable.Json))})")));
        }
    }

    // ---- MLflow runs ----

    public ImportRecord ImportRuns(IReadOnlyList<TrackedRun> runs, ImportedFile source)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(source);
        return Locks.Run(RunCollection, () => WithClaim(claim =>
        {
            var id = claim.ImportId;
            var incoming = runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
            var stored = Records.Current<StoredRunRecord>(RunCollection);
            var replaced = stored.LongCount(r => incoming.Contains(r.Key));
            Records.Write(RunCollection, runs.Select(r => (r.RunId, new StoredRunRecord(id, Normalize(r)))), id, claim.LoadId);
            Supersede(id, claim.LoadId, ImportKind.Mlflow, stored.Select(r => (r.Value.ImportId, Replaced: incoming.Contains(r.Key))));

            var periods = runs.GroupBy(r => r.ExperimentName, StringComparer.Ordinal)
                .Select(g =>
                {
                    var starts = g.Where(r => r.Start is not null).Select(r => r.Start!.Value).ToList();
                    var days = starts.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" {starts.Min():yyyy-MM-dd}..{starts.Max():yyyy-MM-dd}");
                    return string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} run(s){days}");
                })
                .Order(StringComparer.Ordinal)
                .ToList();
            return CommitRecordOnly(claim, ImportKind.Mlflow, runs.Count, replaced, periods, source, new Dictionary<string, decimal>(StringComparer.Ordinal));
        }));
    }

    public IReadOnlyList<StoredRun> QueryRuns(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var importedAt = ListImports().ToDictionary(i => i.ImportId, i => i.ImportedAt);
        var experiments = query.Experiments.ToHashSet(StringComparer.Ordinal);
        return Records.Current<StoredRunRecord>(RunCollection)
            .Select(r => r.Value)
            .Where(r => importedAt.ContainsKey(r.ImportId))
            .Where(r => experiments.Count == 0 || experiments.Contains(r.Run.ExperimentName))
            .Where(r => query.From is not { } from || r.Run.End is null || r.Run.End > from)
            .Where(r => query.To is not { } to || r.Run.Start is null || r.Run.Start < to)
            .OrderBy(r => r.Run.Start is null ? 1 : 0).ThenBy(r => r.Run.Start).ThenBy(r => r.Run.RunId, StringComparer.Ordinal)
            .Select(r => new StoredRun(Sorted(r.Run), importedAt[r.ImportId]))
            .ToList();
    }

    public IReadOnlyList<ResourceCharge> QueryResourceCharges(IReadOnlyCollection<string> resourceIds, DateTime first, DateTime until, CostMetric cost)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        if (resourceIds.Count == 0)
        {
            return [];
        }

        var sql = $"SELECT assumeNotNull(ResourceId) AS resource, ChargePeriodStart AS s, ChargePeriodEnd AS e, BillingCurrency AS currency, " +
                  $"{string.Join(", ", CostQuerySql.Sums(CostQuerySql.CostColumn(cost)))} FROM {Db}.line_items_all " +
                  $"WHERE {Visibility.LineItems(Cluster.Database)} AND ResourceId IN ({string.Join(", ", resourceIds.Select(Sql.Literal))}) " +
                  $"AND ChargePeriodEnd > {Sql.Literal(first.ToUniversalTime())} AND ChargePeriodStart < {Sql.Literal(until.ToUniversalTime())} " +
                  "GROUP BY resource, s, e, currency ORDER BY resource, s, e, currency";
        return Cluster.Entry.Query(sql)
            .Select(r => new ResourceCharge(r.String("resource"), r.Instant("s"), r.Instant("e"), r.String("currency"), ExactSum(r)))
            .ToList();
    }

    // ---- usage statistics ----

    public IUsageImportSession BeginUsageImport(ImportKind kind) => new ClickHouseUsageImportSession(this, kind, Claims.ClaimNext());

    public IReadOnlyList<UsageStatistic> QueryUsageStatistics(UsageStatisticsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string At = "ifNull(sample_start, toDateTime(period, 'UTC'))";
        var bucket = query.Grain == UsageGrain.Hour ? $"toStartOfHour({At})" : "toDateTime(period, 'UTC')";
        var where = new List<string> { Visibility.UsageSamples(Cluster.Database) };
        if (query.From is { } from)
        {
            where.Add($"{At} >= {Sql.Literal(from.ToUniversalTime())}");
        }

        if (query.To is { } to)
        {
            where.Add($"{At} < {Sql.Literal(to.ToUniversalTime())}");
        }

        if (query.Metrics.Count > 0)
        {
            where.Add($"metric IN ({string.Join(", ", query.Metrics.Select(Sql.Literal))})");
        }

        var sql = $"SELECT {bucket} AS bucket, metric AS m, dimension_keys AS k, dimension_values AS v, {string.Join(", ", CostQuerySql.Sums("value"))}, " +
                  $"count() AS n, min(value) AS lo, max(value) AS hi FROM {Db}.usage_samples_all WHERE {string.Join(" AND ", where)} " +
                  "GROUP BY bucket, m, k, v ORDER BY bucket, m, k, v";
        return Cluster.Entry.Query(sql)
            .Select(r => new UsageStatistic(r.Instant("bucket"), r.String("m"), Map(r.Strings("k"), r.Strings("v")), ExactSum(r), r.Int64("n"), r.Decimal("lo"), r.Decimal("hi")))
            .ToList();
    }

    // ---- LLM calls ----

    public ImportRecord ImportLlmCalls(IReadOnlyList<LlmCall> calls, ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(file);
        return Locks.Run(LlmRangeCollection, () => WithClaim(claim =>
        {
            var id = claim.ImportId;
            var replaced = 0L;
            if (calls.Count > 0)
            {
                var first = Micros(calls.Min(c => c.At));
                var last = Micros(calls.Max(c => c.At));
                var hidden = Cluster.Entry.Query(
                        $"SELECT import_id, count() AS n FROM {Db}.llm_calls_all WHERE {LlmVisible()} AND called_at_us >= {Sql.Literal(first)} AND called_at_us <= {Sql.Literal(last)} GROUP BY import_id")
                    .Select(r => (Id: r.Int64("import_id"), Rows: r.Int64("n")))
                    .ToList();
                replaced = hidden.Sum(h => h.Rows);
                var remaining = Cluster.Entry.Query(
                        $"SELECT import_id, count() AS n FROM {Db}.llm_calls_all WHERE {LlmVisible()} AND NOT (called_at_us >= {Sql.Literal(first)} AND called_at_us <= {Sql.Literal(last)}) GROUP BY import_id")
                    .Select(r => r.Int64("import_id"))
                    .ToHashSet();
                Supersede(id, claim.LoadId, ImportKind.LlmUsage, hidden.Select(h => (h.Id, Replaced: true)).Concat(remaining.Select(r => (r, Replaced: false))));

                WriteLlmCalls(id, claim.LoadId, calls);

                Records.Write(LlmRangeCollection, [(id.ToString(CultureInfo.InvariantCulture), new LlmRange(id, first, last))], id, claim.LoadId);
            }

            var periods = calls.Count == 0
                ? []
                : calls.GroupBy(c => c.Provider + " " + c.Model, StringComparer.Ordinal)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} call(s) {g.Min(c => c.At):yyyy-MM-dd}..{g.Max(c => c.At):yyyy-MM-dd}"))
                    .Order(StringComparer.Ordinal).ToList();
            var totals = calls.GroupBy(c => c.Currency, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Cost), StringComparer.Ordinal);
            return CommitRecordOnly(claim, ImportKind.LlmUsage, calls.Count, replaced, periods, file, totals);
        }));
    }

    public IReadOnlyList<LlmUsageRow> QueryLlmUsage(DateTime? first, DateTime? until, IReadOnlyList<string> tagKeys, long? promptAbove = null)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        var where = new List<string> { LlmVisible() };
        if (first is { } f)
        {
            where.Add($"called_at_us >= {Sql.Literal(Micros(f))}");
        }

        if (until is { } u)
        {
            where.Add($"called_at_us < {Sql.Literal(Micros(u))}");
        }

        var tags = tagKeys.Select((k, i) => $"if(has(tag_keys, {Sql.Literal(k)}), toNullable(tag_values[indexOf(tag_keys, {Sql.Literal(k)})]), NULL) AS t{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var names = tagKeys.Select((_, i) => "t" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var keys = LlmGroupColumns.Concat(names).ToList();
        if (promptAbove is { } threshold)
        {
            tags.Add($"(input_tokens + cached_input_tokens + cache_write_tokens) > {threshold.ToString(CultureInfo.InvariantCulture)} AS long_prompt");
            keys.Add("long_prompt");
        }

        var sql = new StringBuilder("SELECT day, provider, model, tier, currency");
        foreach (var tag in tags)
        {
            sql.Append(", ").Append(tag);
        }

        sql.Append(", count() AS calls, sum(input_tokens) AS i, sum(cached_input_tokens) AS ci, sum(cache_write_tokens) AS cw, sum(output_tokens) AS o, sum(reasoning_tokens) AS r, ")
            .Append(string.Join(", ", CostQuerySql.Sums("call_cost")))
            .Append(" FROM ").Append(Db).Append(".llm_calls_all WHERE ").AppendJoin(" AND ", where)
            .Append(" GROUP BY ").AppendJoin(", ", keys)
            .Append(" ORDER BY ").AppendJoin(", ", keys);
        return Cluster.Entry.Query(sql.ToString())
            .Select(r => new LlmUsageRow(
                r.Day("day"), r.String("provider"), r.String("model"), r.String("tier"), r.String("currency"),
                tagKeys.Select((k, i) => (k, r.NullableString(names[i]))).ToDictionary(t => t.k, t => t.Item2, StringComparer.Ordinal),
                r.Int64("calls"), r.Int64("i"), r.Int64("ci"), r.Int64("cw"), r.Int64("o"), r.Int64("r"), ExactSum(r))
            {
                LongPrompt = promptAbove is null ? null : r.Int64("long_prompt") != 0,
            })
            .ToList();
    }

    /// <summary>LLM calls as rows of <c>llm_calls</c>, spread over the shards (invisible until the import's marker).</summary>
    private void WriteLlmCalls(long id, ulong load, IEnumerable<LlmCall> calls)
    {
        using var insert = new ShardedInsert(Cluster, "llm_calls",
            "import_id, load_id, called_at_us, day, provider, model, tier, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, call_cost, currency, tag_keys, tag_values");
        foreach (var call in calls)
        {
            var tags = call.Tags.Where(t => t.Value is not null).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
            var row = insert.Row;
            void Tab() => row.Append('\t');
            row.Append(id); Tab(); row.Append(load); Tab(); row.Append(Micros(call.At)); Tab();
            row.AppendDay(DateOnly.FromDateTime(call.At.ToUniversalTime())); Tab();
            Sql.TsvField(row, call.Provider); Tab();
            Sql.TsvField(row, call.Model); Tab();
            Sql.TsvField(row, call.Tier); Tab();
            row.Append(call.InputTokens); Tab(); row.Append(call.CachedInputTokens); Tab(); row.Append(call.CacheWriteTokens); Tab();
            row.Append(call.OutputTokens); Tab(); row.Append(call.ReasoningTokens); Tab(); row.Append(Scale(call.Cost)); Tab();
            Sql.TsvField(row, call.Currency); Tab();
            Sql.TsvArray(row, tags.Select(t => (string?)t.Key).ToList()); Tab();
            Sql.TsvArray(row, tags.Select(t => t.Value).ToList());
            insert.EndRow();
        }

        insert.Finish();
    }

    /// <summary>Calls of committed imports not restated by a later one (a later import replaces the calls in its first..last range).</summary>
    private string LlmVisible()
    {
        var ranges = Records.Current<LlmRange>(LlmRangeCollection).Select(r => r.Value).ToList();
        var conditions = new List<string> { Visibility.Committed(Cluster.Database) };
        conditions.AddRange(ranges.Select(r =>
            $"NOT (import_id < {Sql.Literal(r.ImportId)} AND called_at_us >= {Sql.Literal(r.First)} AND called_at_us <= {Sql.Literal(r.Last)})"));
        return string.Join(" AND ", conditions);
    }

    // ---- business metrics ----

    public ImportRecord ImportBusinessMetrics(IReadOnlyList<BusinessMetricValue> values, ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(file);
        return Locks.Run(MetricCollection, () => WithClaim(claim =>
        {
            var id = claim.ImportId;
            var incoming = values.Select(MetricKey).ToHashSet(StringComparer.Ordinal);
            var stored = Records.Current<StoredMetricValue>(MetricCollection);
            var replaced = stored.LongCount(r => incoming.Contains(r.Key));
            Records.Write(MetricCollection, values.Select(v => (MetricKey(v), new StoredMetricValue(id, Normalize(v)))), id, claim.LoadId);
            Supersede(id, claim.LoadId, ImportKind.Metrics, stored.Select(r => (r.Value.ImportId, Replaced: incoming.Contains(r.Key))));
            var periods = values.GroupBy(v => v.Metric, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Min(v => v.PeriodStart):yyyy-MM-dd}..{g.Max(v => v.PeriodEnd):yyyy-MM-dd}"))
                .Order(StringComparer.Ordinal).ToList();
            return CommitRecordOnly(claim, ImportKind.Metrics, values.Count, replaced, periods, file, new Dictionary<string, decimal>(StringComparer.Ordinal));
        }));
    }

    public IReadOnlyList<BusinessMetricValue> QueryBusinessMetrics(DateOnly? first, DateOnly? until) =>
        Records.Current<StoredMetricValue>(MetricCollection)
            .Select(r => r.Value.Value)
            .Where(v => first is not { } f || v.PeriodEnd > f)
            .Where(v => until is not { } u || v.PeriodStart < u)
            .Select(v => (Value: v, Keys: v.Dimensions.Keys.ToList(), Texts: v.Dimensions.Values.Select(t => t!).ToList()))
            .OrderBy(v => v.Value.PeriodStart).ThenBy(v => v.Value.PeriodEnd).ThenBy(v => v.Value.Metric, StringComparer.Ordinal)
            .ThenBy(v => v.Keys, ListOrder.Instance).ThenBy(v => v.Texts, ListOrder.Instance)
            .Select(v => v.Value)
            .ToList();

    // ---- estimates ----

    public void RecordEstimate(RecordedEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        Locks.Run(EstimateCollection, () =>
        {
            Records.Write(EstimateCollection, [(estimate.EstimateId, estimate with
            {
                RecordedAt = ToMicroseconds(estimate.RecordedAt.ToUniversalTime()),
                Cost = Scale(estimate.Cost),
                Hours = estimate.Hours is { } h ? Scale(h) : null,
            })]);
            return true;
        });
    }

    public IReadOnlyList<RecordedEstimate> Estimates() =>
        Records.Current<RecordedEstimate>(EstimateCollection).Select(r => r.Value).OrderBy(e => e.EstimateId, StringComparer.Ordinal).ToList();

    // ---- migration ----

    /// <summary>An import's runs, calls and metric values, as another store holds them (under the restore's claim).</summary>
    internal void RestoreContents(ImportClaim claim, ImportContents contents)
    {
        var id = claim.ImportId;
        if (contents.Runs.Count > 0)
        {
            Locks.Run(RunCollection, () =>
            {
                Records.Write(RunCollection, contents.Runs.Select(r => (r.RunId, new StoredRunRecord(id, Normalize(r)))), id, claim.LoadId);
                return true;
            });
        }

        if (contents.LlmCalls.Count > 0)
        {
            // The source replaced what later exports restated already: the calls come as they are, with no range to hide.
            WriteLlmCalls(id, claim.LoadId, contents.LlmCalls);
        }

        if (contents.BusinessMetrics.Count > 0)
        {
            Locks.Run(MetricCollection, () =>
            {
                Records.Write(MetricCollection, contents.BusinessMetrics.Select(v => (MetricKey(v), new StoredMetricValue(id, Normalize(v)))), id, claim.LoadId);
                return true;
            });
        }
    }

    public void RestoreState(StoreState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Locks.Run(AlertCollection, () =>
        {
            var known = Records.Current(AlertCollection).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            Records.Write(AlertCollection, state.AlertDeliveries.Select(d => (Key: AlertKey(d.FindingKey, d.Sink), Value: d)).Where(d => !known.Contains(d.Key)));
            return true;
        });
        Locks.Run(BudgetPeriodCollection, () =>
        {
            var known = Records.Current(BudgetPeriodCollection).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            Records.Write(BudgetPeriodCollection, state.BudgetPeriods.Select(p => (Key: p.Budget + "\u001f" + p.Period, Value: p)).Where(p => !known.Contains(p.Key)));
            return true;
        });
        Locks.Run(EstimateCollection, () =>
        {
            var known = Records.Current(EstimateCollection).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            Records.Write(EstimateCollection, state.Estimates.Select(e => (Key: e.EstimateId, Value: e)).Where(e => !known.Contains(e.Key)));
            return true;
        });
        Locks.Run(UsageBatchCollection, () =>
        {
            // Posted batches move together with their samples (one load): only into a store that has none yet.
            if (state.UsageBatches.Count == 0 || Records.Current(UsageBatchCollection).Count > 0)
            {
                return false;
            }

            var load = ContentIds.NewLoad();
            using (var insert = new ShardedInsert(Cluster, "usage_samples", ClickHouseUsageImportSession.ColumnList))
            {
                foreach (var sample in state.PostedSamples)
                {
                    ClickHouseUsageImportSession.WriteRow(insert, 0, load, sample);
                }

                insert.Finish();
            }

            WriteBatchReceipts(state.UsageBatches.Select(b => (b.Receipt.BatchId.ToString("D19", CultureInfo.InvariantCulture), new PostedBatch(b.Receipt, b.Team))).ToList(), load);
            return true;
        });
    }

    // ---- shared ----

    /// <summary>Runs an import that writes records (and rows) under a claimed id; anything but a commit gives the id back.</summary>
    private ImportRecord WithClaim(Func<ImportClaim, ImportRecord> import)
    {
        var claim = Claims.ClaimNext();
        var committed = false;
        try
        {
            var record = import(claim);
            committed = true;
            AfterCommit(claim);
            return record;
        }
        finally
        {
            if (!committed)
            {
                Abandon(claim);
            }
        }
    }

    private ImportRecord CommitRecordOnly(ImportClaim claim, ImportKind kind, long rows, long replaced, IReadOnlyList<string> periods, ImportedFile file, IReadOnlyDictionary<string, decimal> totals)
    {
        var now = ToMicroseconds(UtcNow);
        Ledger.Record(claim.ImportId, claim.LoadId, kind, now, rows, replaced, periods, [file], totals);
        Ledger.Commit(claim.ImportId, claim.LoadId);
        return new ImportRecord(claim.ImportId, kind, now, rows, replaced, [file], periods, totals, null);
    }

    /// <summary>Earlier imports of a kind whose every row this import replaced are superseded by it (visible with its commit).</summary>
    private void Supersede(long importId, ulong loadId, ImportKind kind, IEnumerable<(long ImportId, bool Replaced)> rows)
    {
        var emptied = rows.GroupBy(r => r.ImportId).Where(g => g.Key != importId && g.All(r => r.Replaced)).Select(g => g.Key).ToList();
        var kinds = ListImports().ToDictionary(i => i.ImportId, i => (i.Kind, i.SupersededBy));
        Records.Write(
            ImportLedger.SupersededCollection,
            emptied.Where(id => kinds.TryGetValue(id, out var k) && k.Kind == kind && k.SupersededBy is null).Select(id => (id.ToString(CultureInfo.InvariantCulture), importId)),
            importId,
            loadId);
    }

    private static string AlertKey(string findingKey, string sink) => findingKey + "\u001f" + sink;

    /// <summary>
    /// A value as a DECIMAL(38, 18) column gives it back, as the DuckDB store reads its own: rounded to 18 places, without
    /// trailing zeros (dividing by one at scale 27 leaves the smallest scale that holds the value).
    /// </summary>
    private static decimal Scale(decimal value) => Math.Round(value, 18, MidpointRounding.ToEven) / 1.000000000000000000000000000m;

    private static long Micros(DateTime at) => (at.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private static DateTime? Micro(DateTime? at) => at is { } a ? ToMicroseconds(a.ToUniversalTime()) : null;

    private static TrackedRun Normalize(TrackedRun run) => run with { Start = Micro(run.Start), End = Micro(run.End) };

    /// <summary>As the DuckDB store reads a run's children: params, tags and metrics by key.</summary>
    private static TrackedRun Sorted(TrackedRun run) => run with
    {
        Params = run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        Tags = run.Tags.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        Metrics = run.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).ToList(),
    };

    private static BusinessMetricValue Normalize(BusinessMetricValue value) => value with
    {
        Value = Scale(value.Value),
        Dimensions = value.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
    };

    private static string MetricKey(BusinessMetricValue value)
    {
        var dimensions = value.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "\u001e" + d.Value);
        return string.Create(CultureInfo.InvariantCulture, $"{value.Metric}\u001f{value.PeriodStart:yyyy-MM-dd}\u001f{value.PeriodEnd:yyyy-MM-dd}\u001f{string.Join('\u001f', dimensions)}");
    }

    private static string SampleKey(UsageSample sample) =>
        string.Create(CultureInfo.InvariantCulture, $"{sample.Period:yyyy-MM-dd}\u001f{sample.Metric}\u001f{string.Join('\u001f', sample.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + '\u001e' + d.Value))}");

    /// <summary>Lists ordered as DuckDB orders them: element by element, then the shorter first.</summary>
    private sealed class ListOrder : IComparer<List<string>>
    {
        public static readonly ListOrder Instance = new();

        public int Compare(List<string>? x, List<string>? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = string.CompareOrdinal(x[i], y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}

/// <summary>A posted batch's receipt and the team that sent it.</summary>
internal sealed record PostedBatch(UsageBatchReceipt Receipt, string? Team);

/// <summary>A run as the import that wrote it last stored it.</summary>
internal sealed record StoredRunRecord(long ImportId, TrackedRun Run);

/// <summary>A business metric value as the import that wrote it last stored it.</summary>
internal sealed record StoredMetricValue(long ImportId, BusinessMetricValue Value);

/// <summary>The first and last call (microseconds since the epoch) of an LLM-usage import: the range it restates.</summary>
internal sealed record LlmRange(long ImportId, long First, long Last);
