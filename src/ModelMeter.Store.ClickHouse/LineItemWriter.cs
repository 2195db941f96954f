using System.Globalization;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>A slice of line items as an import writes it (see <see cref="Visibility"/>): its ids and its row count.</summary>
internal sealed class SliceTally(string? provider, string? billingAccount, DateTime billingPeriodStart, ulong sliceKey, ulong sliceId)
{
    public string? Provider { get; } = provider;

    public string? BillingAccount { get; } = billingAccount;

    public DateTime BillingPeriodStart { get; } = billingPeriodStart;

    public ulong SliceKey { get; } = sliceKey;

    public ulong SliceId { get; } = sliceId;

    public long Rows { get; set; }
}

/// <summary>
/// Streams an import's line items into the shards' <c>line_items</c> as TabSeparated rows (<see cref="ShardedInsert"/>:
/// evenly spread, every shard parsing while the reader reads). Every row carries
/// the import, its load and its slice (<see cref="Visibility"/>); the writer tallies slices, billing periods and rows
/// for the commit. Values are checked against what the columns hold: instants to the second within DateTime's range
/// (1970 to 2105), money within Decimal(38, 18).
/// </summary>
internal sealed class LineItemWriter : IDisposable
{
    private static readonly IReadOnlyList<LineItemColumn> Columns = LineItemColumns.All;
    private static readonly ColumnSource[] Sources = Columns.Select(c => c.Source).ToArray();
    private static readonly int[] Slots = Columns.Select(c => c.Slot).ToArray();
    private static readonly int ProviderSlot = FocusSchema.Get("ProviderName").Slot;
    private static readonly int AccountSlot = FocusSchema.Get("BillingAccountId").Slot;
    private static readonly int PeriodStartSlot = FocusSchema.Get("BillingPeriodStart").Slot;
    private static readonly int PeriodEndSlot = FocusSchema.Get("BillingPeriodEnd").Slot;
    private static readonly decimal MoneyLimit = 100_000_000_000_000_000_000m;
    private static readonly DateTime FirstInstant = DateTime.UnixEpoch;
    private static readonly DateTime EndInstant = new(2106, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly ShardedInsert _insert;
    private readonly Dictionary<(string? Provider, string? Account, DateTime Start), SliceTally> _slices = [];
    private readonly ulong _loadId;
    private readonly long _importId;
    private SliceTally? _lastSlice;

    public LineItemWriter(ClickHouseCluster cluster, long importId, ulong loadId, TagSetRegistry tagSets)
    {
        _importId = importId;
        _loadId = loadId;
        TagSets = tagSets;
        _insert = new ShardedInsert(cluster, LineItemColumns.Table, LineItemColumns.ColumnList);
    }

    public TagSetRegistry TagSets { get; }

    public long Rows { get; private set; }

    public IEnumerable<SliceTally> Slices => _slices.Values;

    /// <summary>The distinct (BillingPeriodStart, BillingPeriodEnd) pairs written.</summary>
    public HashSet<(DateTime Start, DateTime End)> Periods { get; } = [];

    /// <summary>The months (yyyyMM) of billing periods written: the partitions this import staged.</summary>
    public IEnumerable<int> Months => _slices.Values.Select(s => (s.BillingPeriodStart.Year * 100) + s.BillingPeriodStart.Month).Distinct();

    public void Append(LineItemRow row)
    {
        var slice = SliceOf(row);
        var chunk = _insert.Row;
        for (var c = 0; c < Sources.Length; c++)
        {
            if (c > 0)
            {
                chunk.Append('\t');
            }

            var slot = Slots[c];
            switch (Sources[c])
            {
                case ColumnSource.ImportId:
                    chunk.Append(_importId);
                    break;
                case ColumnSource.LoadId:
                    chunk.Append(_loadId);
                    break;
                case ColumnSource.SliceId:
                    chunk.Append(slice.SliceId);
                    break;
                case ColumnSource.Text:
                    Sql.TsvField(chunk, row.Text[slot]);
                    break;
                case ColumnSource.RequiredText:
                    Sql.TsvField(chunk, row.Text[slot] ?? throw Missing(c));
                    break;
                case ColumnSource.Money:
                    if (row.Decimals[slot] is { } amount)
                    {
                        chunk.Append(CheckedMoney(c, amount));
                    }
                    else
                    {
                        Sql.TsvField(chunk, null);
                    }

                    break;
                case ColumnSource.Timestamp:
                    chunk.AppendInstant(CheckedInstant(c, row.Timestamps[slot] ?? throw Missing(c)));
                    break;
                case ColumnSource.ListKeys:
                    Sql.TsvArray(chunk, row.KeyValues[slot].Keys!);
                    break;
                case ColumnSource.ListValues:
                    Sql.TsvArray(chunk, row.KeyValues[slot].Values);
                    break;
                case ColumnSource.TagSetId:
                    chunk.Append(TagSets.IdOf(row.KeyValues[slot]));
                    break;
                case ColumnSource.CustomKeys:
                    Sql.TsvArray(chunk, row.Custom.Keys!);
                    break;
                case ColumnSource.CustomValues:
                    Sql.TsvArray(chunk, row.Custom.Values);
                    break;
                case ColumnSource.Hierarchy:
                    Sql.TsvField(chunk, row.Hierarchy[slot]);
                    break;
            }
        }

        _insert.EndRow();
        slice.Rows++;
        Rows++;
    }

    /// <summary>Sends what is buffered and waits until every shard has stored every row it was sent.</summary>
    public void Finish() => _insert.Finish();

    public void Dispose() => _insert.Dispose();

    private SliceTally SliceOf(LineItemRow row)
    {
        var provider = row.Text[ProviderSlot];
        var account = row.Text[AccountSlot];
        var start = row.Timestamps[PeriodStartSlot] ?? throw Missing(Columns.ToList().FindIndex(c => c.Name == "BillingPeriodStart"));
        var last = _lastSlice;
        if (last is null || last.BillingPeriodStart != start || !string.Equals(last.Provider, provider, StringComparison.Ordinal)
            || !string.Equals(last.BillingAccount, account, StringComparison.Ordinal))
        {
            if (!_slices.TryGetValue((provider, account, start), out last))
            {
                var key = ContentIds.Slice(provider, account, start);
                last = new SliceTally(provider, account, start, key, ContentIds.SliceOfLoad(_loadId, key));
                _slices[(provider, account, start)] = last;
            }

            _lastSlice = last;
        }

        if (row.Timestamps[PeriodEndSlot] is { } end)
        {
            Periods.Add((start, end));
        }

        return last;
    }

    private static decimal CheckedMoney(int column, decimal amount)
    {
        if (amount.Scale > 18 || Math.Abs(amount) >= MoneyLimit)
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"A line item's {Columns[column].Name} is {amount}: the ClickHouse store keeps money as Decimal(38, 18) (at most 18 decimal places and 20 digits before the point)."));
        }

        return amount;
    }

    private static DateTime CheckedInstant(int column, DateTime instant)
    {
        if (instant < FirstInstant || instant >= EndInstant || instant.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"A line item's {Columns[column].Name} is {instant:yyyy-MM-ddTHH:mm:ss.fffffffZ}: the ClickHouse store keeps instants as DateTime, to the second, from 1970 to 2105."));
        }

        return instant;
    }

    private static InvalidOperationException Missing(int column) =>
        new($"A line item has no {Columns[column].Name}; the FOCUS reader refuses such rows, and a store cannot report a cost without its period and currency.");
}
