using System.Globalization;
using DuckDB.NET.Data;
using ModelMeter.Core.Allocation;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// <c>usage_batches</c>: every batch posted to the server, with its idempotency key, and the writes that put their
/// samples into <c>usage_samples</c> (import id <see cref="UsageSamplesTable.PostedImportId"/>) through DuckDB's
/// appender, one transaction per call, never an insert per event.
/// </summary>
internal static class UsageBatchesTable
{
    public const string Name = "usage_batches";

    public static IReadOnlyList<UsageBatchReceipt> Write(DuckDbCostStore store, IReadOnlyList<UsageBatch> batches, DateTime now)
    {
        var connection = store.Connection;
        using var transaction = connection.BeginTransaction();
        var keys = batches.Select(b => b.IdempotencyKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var known = keys.Count == 0 ? [] : Find(store, keys);
        var nextId = NextBatchId(store);
        var receipts = new UsageBatchReceipt[batches.Count];
        var written = new List<(UsageBatch Batch, long Id)>();
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
            written.Add((batch, receipt.BatchId));
            if (batch.IdempotencyKey is { } k)
            {
                known[k] = receipt;
            }
        }

        if (written.Count > 0)
        {
            using (var appender = connection.CreateAppender(Name))
            {
                foreach (var (batch, id) in written)
                {
                    appender.CreateRow().AppendValue(id).AppendValue(batch.IdempotencyKey).AppendValue(batch.BodySha256)
                        .AppendValue(batch.Team).AppendValue(batch.Events).AppendValue(now).EndRow();
                }
            }

            // Batches written together are summed together: one row per day, metric and dimension set per write.
            var sums = new Dictionary<string, (UsageSample Sample, decimal Value)>(StringComparer.Ordinal);
            foreach (var sample in written.SelectMany(w => w.Batch.Samples))
            {
                var key = Key(sample);
                sums[key] = sums.TryGetValue(key, out var sum) ? (sum.Sample, sum.Value + sample.Value) : (sample, sample.Value);
            }

            using var samples = connection.CreateAppender(UsageSamplesTable.Name);
            foreach (var (sample, value) in sums.Values)
            {
                var dimensions = sample.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
                samples.CreateRow()
                    .AppendValue(UsageSamplesTable.PostedImportId)
                    .AppendValue(sample.Period)
                    .AppendValue(sample.Metric)
                    .AppendValue(UsageSamplesTable.ToScale(value))
                    .AppendValue(dimensions.Select(d => d.Key).ToList())
                    .AppendValue(dimensions.Select(d => d.Value!).ToList())
                    .AppendNullValue() // sample_start: posted events are summed per day, not kept per hour
                    .EndRow();
            }
        }

        transaction.Commit();
        return receipts;
    }

    public static UsageBatchReceipt? Find(DuckDbCostStore store, string key) =>
        Find(store, [key]).GetValueOrDefault(key);

    public static UsageBatchTotals Totals(DuckDbCostStore store)
    {
        using var command = store.Command($"SELECT count(*)::BIGINT, coalesce(sum(events), 0)::BIGINT FROM {Name}");
        using var reader = command.ExecuteReader();
        reader.Read();
        return new UsageBatchTotals(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    private static Dictionary<string, UsageBatchReceipt> Find(DuckDbCostStore store, List<string> keys)
    {
        using var command = store.Command(
            $"SELECT batch_id, idempotency_key, body_sha256, events, received_at FROM {Name} WHERE idempotency_key IN (SELECT unnest($keys))",
            ("keys", keys));
        using var reader = command.ExecuteReader();
        var found = new Dictionary<string, UsageBatchReceipt>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var key = reader.GetString(1);
            found[key] = new UsageBatchReceipt(reader.GetInt64(0), key, reader.GetString(2), reader.GetInt64(3), DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc), Duplicate: false);
        }

        return found;
    }

    private static long NextBatchId(DuckDbCostStore store)
    {
        using var command = store.Command($"SELECT coalesce(max(batch_id), 0) + 1 FROM {Name}");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Key(UsageSample sample) =>
        string.Create(CultureInfo.InvariantCulture, $"{sample.Period:yyyy-MM-dd}\u001f{sample.Metric}\u001f{string.Join('\u001f', sample.Dimensions.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + '\u001e' + d.Value))}");
}
