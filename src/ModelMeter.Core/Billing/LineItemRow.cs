namespace ModelMeter.Core.Billing;

/// <summary>
/// One validated FOCUS line item in typed slots, reused from row to row by readers so a million-row import
/// allocates little. Slots follow <see cref="FocusSchema.Columns"/>: each column has a <see cref="FocusColumn.Slot"/>
/// among the columns stored like it (text, decimal, timestamp, key-value).
/// </summary>
public sealed class LineItemRow
{
    public LineItemRow()
    {
        Text = new string?[Columns.Count(c => c.Kind is FocusColumnKind.Text or FocusColumnKind.Currency or FocusColumnKind.Enumeration or FocusColumnKind.Json)];
        Decimals = new decimal?[FocusSchema.CountOf(FocusColumnKind.Number)];
        Timestamps = new DateTime?[FocusSchema.CountOf(FocusColumnKind.Timestamp)];
        KeyValues = new KeyValueList[FocusSchema.CountOf(FocusColumnKind.KeyValue)];
        for (var i = 0; i < KeyValues.Length; i++)
        {
            KeyValues[i] = new KeyValueList();
        }
    }

    private static IReadOnlyList<FocusColumn> Columns => FocusSchema.Columns;

    public string?[] Text { get; }

    public decimal?[] Decimals { get; }

    /// <summary>UTC instants (<see cref="DateTimeKind.Utc"/>).</summary>
    public DateTime?[] Timestamps { get; }

    public KeyValueList[] KeyValues { get; }

    /// <summary>Custom <c>x_</c> columns of the export: name and value.</summary>
    public KeyValueList Custom { get; } = new();

    /// <summary>The hierarchy's tag values, in <see cref="CostHierarchy.Keys"/> order, taken from <c>Tags</c>.</summary>
    public string?[] Hierarchy { get; } = new string?[CostHierarchy.Keys.Count];

    /// <summary>
    /// A number shared by the rows of one import whose descriptions (every column but those that
    /// <see cref="FocusColumn.VariesPerRow"/>) are the same values, set by a reader that knows it; 0 when unknown. The
    /// store then finds a row's description by this number instead of comparing its thirty values.
    /// </summary>
    public long DescriptionKey { get; set; }

    public void Clear()
    {
        DescriptionKey = 0;
        Array.Clear(Text);
        Array.Clear(Decimals);
        Array.Clear(Timestamps);
        Array.Clear(Hierarchy);
        foreach (var kv in KeyValues)
        {
            kv.Clear();
        }

        Custom.Clear();
    }
}

/// <summary>Parallel key and value lists (the store keeps maps this way so its appender can write them).</summary>
public sealed class KeyValueList
{
    public List<string> Keys { get; } = [];

    public List<string?> Values { get; } = [];

    public int Count => Keys.Count;

    /// <summary>
    /// What these pairs were parsed from (the same object for every row carrying the same tag text), or null.
    /// The store uses it to recognise a repeated tag set without comparing its contents row by row.
    /// </summary>
    public object? Source { get; set; }

    public void Add(string key, string? value)
    {
        Keys.Add(key);
        Values.Add(value);
    }

    public void Clear()
    {
        Keys.Clear();
        Values.Clear();
        Source = null;
    }

    public void CopyFrom(KeyValueList other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Source = other.Source ?? other;
        Keys.Clear();
        Keys.AddRange(other.Keys);
        Values.Clear();
        Values.AddRange(other.Values);
    }
}

/// <summary>Where validated line items go: the store's import session, or nowhere for a dry run's count.</summary>
public interface ILineItemSink
{
    void Append(LineItemRow row);
}
