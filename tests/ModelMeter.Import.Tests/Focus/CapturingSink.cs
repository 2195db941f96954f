using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>Keeps a copy of every row the importer hands over (the importer reuses one row object).</summary>
internal sealed class CapturingSink : ILineItemSink
{
    public List<CapturedRow> Rows { get; } = [];

    public void Append(LineItemRow row) => Rows.Add(CapturedRow.From(row));
}

internal sealed class CapturedRow
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public IReadOnlyList<(string Key, string? Value)> Custom { get; private init; } = [];

    public IReadOnlyList<string?> Hierarchy { get; private init; } = [];

    /// <summary>The row's <see cref="LineItemRow.DescriptionKey"/>.</summary>
    public long DescriptionKey { get; private init; }

    /// <summary>Every value of the row as one text, to compare rows read from two files.</summary>
    public string AllValues() =>
        string.Join("; ", _values.Select(v => $"{v.Key}={v.Value switch
        {
            IEnumerable<(string, string?)> pairs => string.Join(",", pairs),
            // 1.50 and 1.5 are one amount: the row path keeps the places a text has, a DECIMAL(38,18) column all 18.
            decimal d => (d / 1.000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture),
            var value => value,
        }}"))
        + $"; custom={string.Join(",", Custom)}; hierarchy={string.Join(",", Hierarchy)}";

    public string? Text(string column) => (string?)_values[FocusSchema.Get(column).Name];

    public decimal? Number(string column) => (decimal?)_values[FocusSchema.Get(column).Name];

    public DateTime? Timestamp(string column) => (DateTime?)_values[FocusSchema.Get(column).Name];

    public IReadOnlyList<(string Key, string? Value)> Pairs(string column) => (IReadOnlyList<(string, string?)>)_values[FocusSchema.Get(column).Name]!;

    public string? Tag(string hierarchyKey) => Hierarchy[CostHierarchy.Keys.ToList().IndexOf(hierarchyKey)];

    public static CapturedRow From(LineItemRow row)
    {
        var captured = new CapturedRow
        {
            Custom = row.Custom.Keys.Zip(row.Custom.Values).ToList(),
            Hierarchy = row.Hierarchy.ToArray(),
            DescriptionKey = row.DescriptionKey,
        };
        foreach (var column in FocusSchema.Columns)
        {
            captured._values[column.Name] = column.Kind switch
            {
                FocusColumnKind.Number => row.Decimals[column.Slot],
                FocusColumnKind.Timestamp => row.Timestamps[column.Slot],
                FocusColumnKind.KeyValue => row.KeyValues[column.Slot].Keys.Zip(row.KeyValues[column.Slot].Values).ToList(),
                _ => row.Text[column.Slot],
            };
        }

        return captured;
    }
}
