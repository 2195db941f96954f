using System.Globalization;
using System.Text;
using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;

namespace ModelMeter.Store.DuckDb;

/// <summary>The ML sources: MLflow runs, hourly usage statistics, LLM calls, business metrics and recorded estimates.</summary>
public sealed partial class DuckDbCostStore
{
    public ImportRecord ImportRuns(IReadOnlyList<TrackedRun> runs, ImportedFile source)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(source);
        using var transaction = _connection.BeginTransaction();
        var id = NextImportId();

        // A run is keyed by its run id: an updated run (RUNNING then FINISHED) replaces its earlier row and children.
        Execute("CREATE TEMP TABLE IF NOT EXISTS incoming_runs (run_id VARCHAR NOT NULL)");
        Execute("DELETE FROM incoming_runs");
        using (var appender = _connection.CreateAppender("incoming_runs"))
        {
            foreach (var run in runs)
            {
                appender.CreateRow().AppendValue(run.RunId).EndRow();
            }
        }

        var replaced = Convert.ToInt64(Scalar("SELECT count(*) FROM runs WHERE run_id IN (SELECT run_id FROM incoming_runs)"), CultureInfo.InvariantCulture);
        foreach (var table in new[] { "runs", "run_params", "run_tags", "run_metrics" })
        {
            Execute($"DELETE FROM {table} WHERE run_id IN (SELECT run_id FROM incoming_runs)");
        }

        using (var appender = _connection.CreateAppender("runs"))
        {
            foreach (var run in runs)
            {
                var row = appender.CreateRow().AppendValue(id).AppendValue(run.RunId).AppendValue(run.Source).AppendValue(run.ExperimentId)
                    .AppendValue(run.ExperimentName).AppendValue(run.RunName).AppendValue(run.Status.ToText());
                row = run.Start is { } start ? row.AppendValue(Unspecified(start)) : row.AppendNullValue();
                row = run.End is { } end ? row.AppendValue(Unspecified(end)) : row.AppendNullValue();
                row.AppendValue(run.UserId).AppendValue(run.LifecycleStage).EndRow();
            }
        }

        AppendPairs("run_params", runs, r => r.Params);
        AppendPairs("run_tags", runs, r => r.Tags);
        using (var appender = _connection.CreateAppender("run_metrics"))
        {
            foreach (var run in runs)
            {
                foreach (var metric in run.Metrics)
                {
                    appender.CreateRow().AppendValue(run.RunId).AppendValue(metric.Key).AppendValue(metric.Value)
                        .AppendValue(metric.Timestamp).AppendValue(metric.Step).EndRow();
                }
            }
        }

        if (replaced > 0)
        {
            SupersedeEmptiedImports(id, ImportKind.Mlflow, "runs");
        }

        var periods = runs.GroupBy(r => r.ExperimentName, StringComparer.Ordinal)
            .Select(g =>
            {
                var starts = g.Where(r => r.Start is not null).Select(r => r.Start!.Value).ToList();
                var days = starts.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" {starts.Min():yyyy-MM-dd}..{starts.Max():yyyy-MM-dd}");
                return string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} run(s){days}");
            })
            .Order(StringComparer.Ordinal)
            .ToList();
        var now = UtcNow;
        RecordImport(id, ImportKind.Mlflow, now, runs.Count, replaced, periods, [source]);
        transaction.Commit();
        return new ImportRecord(id, ImportKind.Mlflow, now, runs.Count, replaced, [source], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
    }

    public IReadOnlyList<StoredRun> QueryRuns(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string Name, object? Value)>();
        var where = new List<string>();
        if (query.Experiments.Count > 0)
        {
            where.Add("r.experiment_name IN (" + string.Join(", ", query.Experiments.Select((e, i) => Add(parameters, "e" + i.ToString(CultureInfo.InvariantCulture), e))) + ")");
        }

        if (query.From is { } from)
        {
            where.Add("(r.end_time IS NULL OR r.end_time > " + Add(parameters, "from", Unspecified(from)) + ")");
        }

        if (query.To is { } to)
        {
            where.Add("(r.start_time IS NULL OR r.start_time < " + Add(parameters, "to", Unspecified(to)) + ")");
        }

        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        var selected = $"SELECT r.run_id FROM runs AS r{filter}";
        var parameterArray = parameters.ToArray();
        var paramsOf = Pairs($"SELECT run_id, key, value FROM run_params WHERE run_id IN ({selected}) ORDER BY 1, 2", parameterArray);
        var tagsOf = Pairs($"SELECT run_id, key, value FROM run_tags WHERE run_id IN ({selected}) ORDER BY 1, 2", parameterArray);
        var metricsOf = new Dictionary<string, List<RunMetric>>(StringComparer.Ordinal);
        using (var command = Command($"SELECT run_id, key, value, timestamp_ms, step FROM run_metrics WHERE run_id IN ({selected}) ORDER BY 1, 2", parameterArray))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var runId = reader.GetString(0);
                if (!metricsOf.TryGetValue(runId, out var list))
                {
                    metricsOf[runId] = list = [];
                }

                list.Add(new RunMetric(reader.GetString(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        var runs = new List<StoredRun>();
        using (var command = Command(
            "SELECT r.run_id, r.source, r.experiment_id, r.experiment_name, r.run_name, r.status, r.start_time, r.end_time, r.user_id, r.lifecycle_stage, i.imported_at " +
            $"FROM runs AS r JOIN imports AS i USING (import_id){filter} ORDER BY r.start_time NULLS LAST, r.run_id", parameterArray))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var runId = reader.GetString(0);
                if (!RunStatuses.TryParse(reader.GetString(5), out var status))
                {
                    throw new InvalidOperationException($"The store {Path} holds run {runId} with status '{reader.GetString(5)}'.");
                }

                runs.Add(new StoredRun(
                    new TrackedRun(
                        runId,
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetString(3),
                        Text(reader, 4),
                        status,
                        reader.IsDBNull(6) ? null : Utc(reader.GetDateTime(6)),
                        reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)),
                        Text(reader, 8),
                        reader.GetString(9),
                        paramsOf.GetValueOrDefault(runId) ?? new Dictionary<string, string>(StringComparer.Ordinal),
                        tagsOf.GetValueOrDefault(runId) ?? new Dictionary<string, string>(StringComparer.Ordinal),
                        metricsOf.GetValueOrDefault(runId) ?? []),
                    Utc(reader.GetDateTime(10))));
            }
        }

        return runs;
    }

    public IReadOnlyList<ResourceCharge> QueryResourceCharges(IReadOnlyCollection<string> resourceIds, DateTime first, DateTime until, CostMetric cost)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        if (resourceIds.Count == 0)
        {
            return [];
        }

        var parameters = new List<(string Name, object? Value)>();
        var ids = string.Join(", ", resourceIds.Select((r, i) => Add(parameters, "r" + i.ToString(CultureInfo.InvariantCulture), r)));
        var sql = $"SELECT ResourceId, ChargePeriodStart, ChargePeriodEnd, BillingCurrency, coalesce(sum({CostQuerySql.CostColumn(cost)}), 0) " +
                  $"FROM {LineItemsTable.Name} WHERE ResourceId IN ({ids}) AND ChargePeriodEnd > {Add(parameters, "from", Unspecified(first))} " +
                  $"AND ChargePeriodStart < {Add(parameters, "to", Unspecified(until))} GROUP BY ALL ORDER BY 1, 2, 3, 4";
        using var command = Command(sql, parameters.ToArray());
        using var reader = command.ExecuteReader();
        var charges = new List<ResourceCharge>();
        while (reader.Read())
        {
            charges.Add(new ResourceCharge(reader.GetString(0), Utc(reader.GetDateTime(1)), Utc(reader.GetDateTime(2)), reader.GetString(3), reader.GetDecimal(4)));
        }

        return charges;
    }

    public IReadOnlyList<UsageStatistic> QueryUsageStatistics(UsageStatisticsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string Name, object? Value)>();
        var at = "coalesce(sample_start, CAST(period AS TIMESTAMP))";
        var bucket = query.Grain == UsageGrain.Hour ? $"date_trunc('hour', {at})" : "CAST(period AS TIMESTAMP)";
        var where = new List<string>();
        if (query.From is { } from)
        {
            where.Add($"{at} >= {Add(parameters, "from", Unspecified(from))}");
        }

        if (query.To is { } to)
        {
            where.Add($"{at} < {Add(parameters, "to", Unspecified(to))}");
        }

        if (query.Metrics.Count > 0)
        {
            where.Add("metric IN (" + string.Join(", ", query.Metrics.Select((m, i) => Add(parameters, "m" + i.ToString(CultureInfo.InvariantCulture), m))) + ")");
        }

        var sql = new StringBuilder($"SELECT {bucket} AS bucket, metric, dimension_keys, dimension_values, sum(value), count(*), min(value), max(value) FROM {UsageSamplesTable.Name}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" GROUP BY ALL ORDER BY 1, 2, 3, 4");
        using var command = Command(sql.ToString(), parameters.ToArray());
        using var reader = command.ExecuteReader();
        var rows = new List<UsageStatistic>();
        while (reader.Read())
        {
            rows.Add(new UsageStatistic(Utc(reader.GetDateTime(0)), reader.GetString(1), Map(reader, 2, 3), reader.GetDecimal(4), reader.GetInt64(5), reader.GetDecimal(6), reader.GetDecimal(7)));
        }

        return rows;
    }

    public ImportRecord ImportLlmCalls(IReadOnlyList<LlmCall> calls, ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(file);
        using var transaction = _connection.BeginTransaction();
        var id = NextImportId();
        var replaced = 0L;
        if (calls.Count > 0)
        {
            var first = calls.Min(c => c.At);
            var last = calls.Max(c => c.At);
            replaced = Execute("DELETE FROM llm_calls WHERE called_at BETWEEN $first AND $last", ("first", Unspecified(first)), ("last", Unspecified(last)));
        }

        using (var appender = _connection.CreateAppender("llm_calls"))
        {
            foreach (var call in calls)
            {
                var tags = call.Tags.Where(t => t.Value is not null).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
                appender.CreateRow().AppendValue(id).AppendValue(Unspecified(call.At)).AppendValue(call.Provider).AppendValue(call.Model).AppendValue(call.Tier)
                    .AppendValue(call.InputTokens).AppendValue(call.CachedInputTokens).AppendValue(call.CacheWriteTokens).AppendValue(call.OutputTokens)
                    .AppendValue(call.ReasoningTokens).AppendValue(Math.Round(call.Cost, 18, MidpointRounding.ToEven)).AppendValue(call.Currency)
                    .AppendValue(tags.Select(t => t.Key).ToList()).AppendValue(tags.Select(t => t.Value!).ToList()).EndRow();
            }
        }

        if (replaced > 0)
        {
            SupersedeEmptiedImports(id, ImportKind.LlmUsage, "llm_calls");
        }

        var periods = calls.Count == 0
            ? []
            : calls.GroupBy(c => c.Provider + " " + c.Model, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} call(s) {g.Min(c => c.At):yyyy-MM-dd}..{g.Max(c => c.At):yyyy-MM-dd}"))
                .Order(StringComparer.Ordinal).ToList();
        var totals = calls.GroupBy(c => c.Currency, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Cost), StringComparer.Ordinal);
        var now = UtcNow;
        RecordImport(id, ImportKind.LlmUsage, now, calls.Count, replaced, periods, [file]);
        foreach (var (currency, total) in totals)
        {
            Execute("INSERT INTO import_totals VALUES ($id, $c, $t)", ("id", id), ("c", currency), ("t", total));
        }

        transaction.Commit();
        return new ImportRecord(id, ImportKind.LlmUsage, now, calls.Count, replaced, [file], periods, totals, null);
    }

    public IReadOnlyList<LlmUsageRow> QueryLlmUsage(DateTime? first, DateTime? until, IReadOnlyList<string> tagKeys, long? promptAbove = null)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        var parameters = new List<(string Name, object? Value)>();
        var tagColumns = tagKeys.Select((k, i) => $"tag_values[list_position(tag_keys, {Add(parameters, "k" + i.ToString(CultureInfo.InvariantCulture), k)})]").ToList();
        var where = new List<string>();
        if (first is { } f)
        {
            where.Add($"called_at >= {Add(parameters, "from", Unspecified(f))}");
        }

        if (until is { } t)
        {
            where.Add($"called_at < {Add(parameters, "to", Unspecified(t))}");
        }

        var sql = new StringBuilder("SELECT CAST(called_at AS DATE), provider, model, tier, currency");
        foreach (var column in tagColumns)
        {
            sql.Append(", ").Append(column);
        }

        // The split comes after the tags and before the sums, so the sums' ordinals move by one when asked.
        if (promptAbove is { } threshold)
        {
            sql.Append(", (input_tokens + cached_input_tokens + cache_write_tokens) > ").Append(Add(parameters, "above", threshold));
        }

        sql.Append(", count(*), CAST(sum(input_tokens) AS BIGINT), CAST(sum(cached_input_tokens) AS BIGINT), CAST(sum(cache_write_tokens) AS BIGINT), " +
            "CAST(sum(output_tokens) AS BIGINT), CAST(sum(reasoning_tokens) AS BIGINT), sum(cost) FROM llm_calls");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" GROUP BY ALL ORDER BY ALL");
        using var command = Command(sql.ToString(), parameters.ToArray());
        using var reader = command.ExecuteReader();
        var rows = new List<LlmUsageRow>();
        while (reader.Read())
        {
            var tags = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < tagKeys.Count; i++)
            {
                tags[tagKeys[i]] = Text(reader, 5 + i);
            }

            var o = 5 + tagKeys.Count + (promptAbove is null ? 0 : 1);
            rows.Add(new LlmUsageRow(
                DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), tags,
                reader.GetInt64(o), Long(reader, o + 1), Long(reader, o + 2), Long(reader, o + 3), Long(reader, o + 4), Long(reader, o + 5), reader.GetDecimal(o + 6))
            {
                LongPrompt = promptAbove is null ? null : reader.GetBoolean(o - 1),
            });
        }

        return rows;
    }

    public ImportRecord ImportBusinessMetrics(IReadOnlyList<BusinessMetricValue> values, ImportedFile file)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(file);
        using var transaction = _connection.BeginTransaction();
        var id = NextImportId();
        var replaced = 0L;
        foreach (var value in values)
        {
            var (keys, texts) = Dimensions(value.Dimensions);
            replaced += Execute(
                "DELETE FROM business_metrics WHERE metric = $m AND period_start = $s AND period_end = $e AND dimension_keys = $k AND dimension_values = $v",
                ("m", value.Metric), ("s", value.PeriodStart), ("e", value.PeriodEnd), ("k", keys), ("v", texts));
        }

        using (var appender = _connection.CreateAppender("business_metrics"))
        {
            foreach (var value in values)
            {
                var (keys, texts) = Dimensions(value.Dimensions);
                appender.CreateRow().AppendValue(id).AppendValue(value.PeriodStart).AppendValue(value.PeriodEnd).AppendValue(value.Metric)
                    .AppendValue(Math.Round(value.Value, 18, MidpointRounding.ToEven)).AppendValue(keys).AppendValue(texts).EndRow();
            }
        }

        if (replaced > 0)
        {
            SupersedeEmptiedImports(id, ImportKind.Metrics, "business_metrics");
        }

        var periods = values.GroupBy(v => v.Metric, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Min(v => v.PeriodStart):yyyy-MM-dd}..{g.Max(v => v.PeriodEnd):yyyy-MM-dd}"))
            .Order(StringComparer.Ordinal).ToList();
        var now = UtcNow;
        RecordImport(id, ImportKind.Metrics, now, values.Count, replaced, periods, [file]);
        transaction.Commit();
        return new ImportRecord(id, ImportKind.Metrics, now, values.Count, replaced, [file], periods, new Dictionary<string, decimal>(StringComparer.Ordinal), null);
    }

    public IReadOnlyList<BusinessMetricValue> QueryBusinessMetrics(DateOnly? first, DateOnly? until)
    {
        var parameters = new List<(string Name, object? Value)>();
        var where = new List<string>();
        if (first is { } f)
        {
            where.Add($"period_end > CAST({Add(parameters, "from", f.ToDateTime(TimeOnly.MinValue))} AS DATE)");
        }

        if (until is { } t)
        {
            where.Add($"period_start < CAST({Add(parameters, "to", t.ToDateTime(TimeOnly.MinValue))} AS DATE)");
        }

        var sql = "SELECT period_start, period_end, metric, value, dimension_keys, dimension_values FROM business_metrics" +
                  (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " ORDER BY 1, 2, 3, 5, 6";
        using var command = Command(sql, parameters.ToArray());
        using var reader = command.ExecuteReader();
        var values = new List<BusinessMetricValue>();
        while (reader.Read())
        {
            values.Add(new BusinessMetricValue(
                DateOnly.FromDateTime(reader.GetDateTime(0)), DateOnly.FromDateTime(reader.GetDateTime(1)), reader.GetString(2), reader.GetDecimal(3), Map(reader, 4, 5)));
        }

        return values;
    }

    public void RecordEstimate(RecordedEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        using var transaction = _connection.BeginTransaction();
        Execute("DELETE FROM estimates WHERE estimate_id = $id", ("id", estimate.EstimateId));
        Execute(
            "INSERT INTO estimates VALUES ($id, $at, $spec, $kind, $title, $cost, $currency, $hours)",
            ("id", estimate.EstimateId), ("at", Unspecified(estimate.RecordedAt)), ("spec", estimate.Spec), ("kind", estimate.Kind), ("title", estimate.Title),
            ("cost", Math.Round(estimate.Cost, 18, MidpointRounding.ToEven)), ("currency", estimate.Currency),
            ("hours", estimate.Hours is { } h ? Math.Round(h, 18, MidpointRounding.ToEven) : null));
        transaction.Commit();
    }

    public IReadOnlyList<RecordedEstimate> Estimates()
    {
        using var command = Command("SELECT estimate_id, recorded_at, spec, kind, title, cost, currency, hours FROM estimates ORDER BY 1");
        using var reader = command.ExecuteReader();
        var estimates = new List<RecordedEstimate>();
        while (reader.Read())
        {
            estimates.Add(new RecordedEstimate(
                reader.GetString(0), Utc(reader.GetDateTime(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetDecimal(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetDecimal(7)));
        }

        return estimates;
    }

    private void AppendPairs(string table, IReadOnlyList<TrackedRun> runs, Func<TrackedRun, IReadOnlyDictionary<string, string>> pairs)
    {
        using var appender = _connection.CreateAppender(table);
        foreach (var run in runs)
        {
            foreach (var (key, value) in pairs(run))
            {
                appender.CreateRow().AppendValue(run.RunId).AppendValue(key).AppendValue(value).EndRow();
            }
        }
    }

    private Dictionary<string, Dictionary<string, string>> Pairs(string sql, (string Name, object? Value)[] parameters)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var runId = reader.GetString(0);
            if (!result.TryGetValue(runId, out var map))
            {
                result[runId] = map = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            map[reader.GetString(1)] = reader.GetString(2);
        }

        return result;
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    private static (List<string> Keys, List<string> Values) Dimensions(IReadOnlyDictionary<string, string?> dimensions)
    {
        var present = dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        return (present.Select(d => d.Key).ToList(), present.Select(d => d.Value!).ToList());
    }

    private static string Add(List<(string Name, object? Value)> parameters, string name, object? value)
    {
        parameters.Add((name, value));
        return "$" + name;
    }

    private static long Long(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime Unspecified(DateTime value) => DateTime.SpecifyKind(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, DateTimeKind.Unspecified);
}
