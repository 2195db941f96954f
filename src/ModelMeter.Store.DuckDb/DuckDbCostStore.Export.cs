using System.Data.Common;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Store.DuckDb;

/// <summary>Reading a store back import by import, for <c>modelmeter migrate</c>.</summary>
public sealed partial class DuckDbCostStore
{
    public void ExportLineItems(long importId, ILineItemSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var columns = LineItemsTable.Columns;
        using var command = Command(
            $"SELECT {string.Join(", ", columns.Select(c => "li." + c.Name))}, ts.tag_keys, ts.tag_values FROM {LineItemsTable.Name} AS li " +
            $"JOIN {TagSets.Table} AS ts ON ts.tag_set_id = li.{LineItemsTable.TagSetIdColumn} WHERE li.import_id = $id",
            ("id", importId));
        using var reader = command.ExecuteReader();
        var row = new LineItemRow();

        // One object per tag set, as the FOCUS reader gives rows that share tag text: the receiving store recognises them by reference.
        var tagSources = new Dictionary<long, object>();
        var tagKeys = columns.Count;
        while (reader.Read())
        {
            row.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                switch (column.Kind)
                {
                    case StoredKind.Text:
                        row.Text[column.Slot] = reader.IsDBNull(c) ? null : reader.GetString(c);
                        break;
                    case StoredKind.Hierarchy:
                        row.Hierarchy[column.Slot] = reader.IsDBNull(c) ? null : reader.GetString(c);
                        break;
                    case StoredKind.Money:
                        row.Decimals[column.Slot] = reader.IsDBNull(c) ? null : reader.GetDecimal(c);
                        break;
                    case StoredKind.Timestamp:
                        row.Timestamps[column.Slot] = reader.IsDBNull(c) ? null : DateTime.SpecifyKind(reader.GetDateTime(c), DateTimeKind.Utc);
                        break;
                    case StoredKind.ListKeys:
                        Fill(row.KeyValues[column.Slot], reader, c, c + 1);
                        break;
                    case StoredKind.TagSetId:
                        var tags = row.KeyValues[column.Slot];
                        Fill(tags, reader, tagKeys, tagKeys + 1);
                        var id = reader.GetInt64(c);
                        if (!tagSources.TryGetValue(id, out var source))
                        {
                            tagSources[id] = source = new object();
                        }

                        tags.Source = source;
                        break;
                    case StoredKind.CustomKeys:
                        Fill(row.Custom, reader, c, c + 1);
                        break;
                }
            }

            sink.Append(row);
        }
    }

    public IReadOnlyList<UsageSample> ExportUsage(long importId)
    {
        using var command = Command($"SELECT period, metric, value, dimension_keys, dimension_values, sample_start FROM {UsageSamplesTable.Name} WHERE import_id = $id", ("id", importId));
        using var reader = command.ExecuteReader();
        var samples = new List<UsageSample>();
        while (reader.Read())
        {
            samples.Add(new UsageSample(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetDecimal(2), Map(reader, 3, 4))
            {
                Start = reader.IsDBNull(5) ? null : DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc),
            });
        }

        return samples;
    }

    public IReadOnlyList<ExchangeRate> ExportRates(long importId)
    {
        using var command = Command("SELECT rate_date, from_currency, to_currency, rate FROM exchange_rates WHERE import_id = $id", ("id", importId));
        using var reader = command.ExecuteReader();
        var rates = new List<ExchangeRate>();
        while (reader.Read())
        {
            rates.Add(new ExchangeRate(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3)));
        }

        return rates;
    }

    public ImportContents ExportContents(long importId)
    {
        var runIds = new HashSet<string>(StringComparer.Ordinal);
        using (var command = Command("SELECT run_id FROM runs WHERE import_id = $id", ("id", importId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                runIds.Add(reader.GetString(0));
            }
        }

        var runs = runIds.Count == 0 ? [] : QueryRuns(new RunQuery()).Where(r => runIds.Contains(r.Run.RunId)).Select(r => r.Run).ToList();
        var calls = new List<LlmCall>();
        using (var command = Command(
            "SELECT called_at, provider, model, tier, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, currency, tag_keys, tag_values " +
            "FROM llm_calls WHERE import_id = $id ORDER BY called_at", ("id", importId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                calls.Add(new LlmCall(
                    DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                    reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetDecimal(9), reader.GetString(10), Map(reader, 11, 12)));
            }
        }

        var values = new List<BusinessMetricValue>();
        using (var command = Command("SELECT period_start, period_end, metric, value, dimension_keys, dimension_values FROM business_metrics WHERE import_id = $id", ("id", importId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                values.Add(new BusinessMetricValue(
                    DateOnly.FromDateTime(reader.GetDateTime(0)), DateOnly.FromDateTime(reader.GetDateTime(1)), reader.GetString(2), reader.GetDecimal(3), Map(reader, 4, 5)));
            }
        }

        return new ImportContents(runs, calls, values);
    }

    public StoreState ExportState()
    {
        var batches = new List<PostedUsageBatch>();
        using (var command = Command("SELECT batch_id, idempotency_key, body_sha256, team, events, received_at FROM usage_batches ORDER BY batch_id"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                batches.Add(new PostedUsageBatch(
                    new UsageBatchReceipt(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt64(4),
                        DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc), Duplicate: false),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        return new StoreState(AlertDeliveries(), BudgetPeriods(), Estimates(), batches, ExportUsage(UsageSamplesTable.PostedImportId));
    }

    private static void Fill(KeyValueList list, DbDataReader reader, int keys, int values)
    {
        list.Clear();
        if (reader.IsDBNull(keys))
        {
            return;
        }

        var k = reader.GetFieldValue<List<string>>(keys);
        var v = reader.IsDBNull(values) ? [] : reader.GetFieldValue<List<string?>>(values);
        for (var i = 0; i < k.Count; i++)
        {
            list.Add(k[i], i < v.Count ? v[i] : null);
        }
    }
}
