using System.Globalization;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Store.ClickHouse;

/// <summary>Taking imports as another store recorded them, for <c>modelmeter migrate</c>.</summary>
public sealed partial class ClickHouseCostStore : ICostStoreRestore
{
    private static readonly int BilledSlot = FocusSchema.Get("BilledCost").Slot;
    private static readonly int CurrencySlot = FocusSchema.Get("BillingCurrency").Slot;

    public RestoredImport Restore(ImportRecord record, Action<ILineItemSink> lineItems, IReadOnlyList<UsageSample> usage, IReadOnlyList<ExchangeRate> rates, ImportContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(lineItems);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(rates);
        var claim = Claims.ClaimExactly(record.ImportId);
        var committed = false;
        try
        {
            var id = claim.ImportId;
            var db = Sql.Identifier(Cluster.Database);

            // Line items, counted and summed as they go, then checked against what the shards hold.
            using var writer = new LineItemWriter(Cluster, id, claim.LoadId, new TagSetRegistry());
            var sink = new TotallingSink(writer);
            lineItems(sink);
            writer.Finish();
            if (writer.Rows > 0)
            {
                var stored = Cluster.Entry.Query(
                        $"SELECT BillingCurrency AS currency, count() AS n, {string.Join(", ", CostQuerySql.Sums("BilledCost"))} FROM {db}.line_items_all " +
                        $"WHERE load_id = {Sql.Literal(claim.LoadId)} GROUP BY currency")
                    .ToDictionary(r => r.String("currency"), r => (Rows: r.Int64("n"), Total: ExactSum(r)), StringComparer.Ordinal);
                if (stored.Count != sink.Totals.Count || sink.Totals.Any(t => !stored.TryGetValue(t.Key, out var s) || s.Total != t.Value.Total || s.Rows != t.Value.Rows))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Import {id}: the shards hold other rows or sums than were sent ({string.Join(", ", stored.Select(s => $"{s.Value.Rows} rows {s.Value.Total} {s.Key}"))}); nothing was written."));
                }
            }

            // Usage samples and the days each metric's range covers.
            var samples = new Dictionary<(string Metric, DateOnly Day), long>();
            using (var insert = new ShardedInsert(Cluster, "usage_samples", ClickHouseUsageImportSession.ColumnList))
            {
                foreach (var sample in usage)
                {
                    ClickHouseUsageImportSession.WriteRow(insert, id, claim.LoadId, sample);
                    samples[(sample.Metric, sample.Period)] = samples.GetValueOrDefault((sample.Metric, sample.Period)) + 1;
                }

                insert.Finish();
            }

            foreach (var batch in rates.Chunk(5_000))
            {
                Cluster.ShardFor(id).Execute(
                    $"INSERT INTO {db}.exchange_rates (import_id, load_id, rate_date, from_currency, to_currency, rate) VALUES " +
                    string.Join(", ", batch.Select(r => $"({Sql.Literal(id)}, {Sql.Literal(claim.LoadId)}, {Sql.Literal(r.Date)}, {Sql.Literal(r.From)}, {Sql.Literal(r.To)}, {Sql.Literal(r.Rate)})")));
            }

            RestoreContents(claim, contents);
            writer.TagSets.Save(Cluster);
            Ledger.Record(id, claim.LoadId, record.Kind, ToMicroseconds(record.ImportedAt), record.Rows, record.ReplacedRows, record.BillingPeriods, record.Files, record.BilledTotals, record.SupersededBy, record.Mapping);
            Ledger.RecordSlices(id, claim.LoadId, writer.Slices.Select(s => new SliceRecord(id, s.SliceKey, s.SliceId, s.Provider, s.BillingAccount, s.BillingPeriodStart, s.Rows)));
            Ledger.RecordUsageDays(id, claim.LoadId, ClickHouseUsageImportSession.Days(id, samples));
            if (!Claims.Holds(claim))
            {
                throw new InvalidOperationException($"Import {id}: its claim was taken over as stale while it was written; nothing was written.");
            }

            Ledger.Commit(id, claim.LoadId);
            committed = true;
            AfterCommit(claim);
            return new RestoredImport(id, writer.Rows, usage.Count, rates.Count, sink.Totals.ToDictionary(t => t.Key, t => t.Value.Total, StringComparer.Ordinal));
        }
        finally
        {
            if (!committed)
            {
                Abandon(claim);
            }
        }
    }

    /// <summary>Passes rows on, counting and summing BilledCost per currency (a null cost adds nothing, as in the stores' sums).</summary>
    private sealed class TotallingSink(LineItemWriter writer) : ILineItemSink
    {
        public Dictionary<string, (long Rows, decimal Total)> Totals { get; } = new(StringComparer.Ordinal);

        public void Append(LineItemRow row)
        {
            writer.Append(row);
            var currency = row.Text[CurrencySlot]!;
            var (rows, total) = Totals.GetValueOrDefault(currency);
            Totals[currency] = (rows + 1, total + (row.Decimals[BilledSlot] ?? 0m));
        }
    }
}
