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
        using var command = Command($"SELECT period, metric, value, dimension_keys, dimension_values FROM {UsageSamplesTable.Name} WHERE import_id = $id", ("id", importId));
        using var reader = command.ExecuteReader();
        var samples = new List<UsageSample>();
        while (reader.Read())
        {
            samples.Add(new UsageSample(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetDecimal(2), Map(reader, 3, 4)));
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
