using ModelMeter.Core.Billing;

namespace ModelMeter.Store.ClickHouse;

/// <summary>How a <c>line_items</c> column gets its value from a <see cref="LineItemRow"/>.</summary>
internal enum ColumnSource
{
    ImportId,
    LoadId,
    SliceId,
    Text,
    RequiredText,
    Money,
    Timestamp,
    ListKeys,
    ListValues,
    TagSetId,
    CustomKeys,
    CustomValues,
    Hierarchy,
}

/// <summary>One column of <c>line_items</c> as the writer fills it.</summary>
internal sealed record LineItemColumn(string Name, ColumnSource Source, int Slot);

/// <summary>
/// The live layout of <c>line_items</c>, from <see cref="FocusSchema"/>, as the DuckDB store lays it out (one column per
/// FOCUS column under its FOCUS name, money as <c>Decimal(38, 18)</c>, tag maps as parallel key/value arrays, tags by
/// tag set id, the hierarchy's keys as columns), plus what visibility needs: the import, its load and its slice.
/// The four periods and the currency are not Nullable: the partition and sorting keys use them, and the FOCUS reader
/// refuses a row without them. ClickHouseMigrationTests checks that a migrated shard has exactly these columns.
/// </summary>
internal static class LineItemColumns
{
    public const string Table = "line_items";

    /// <summary>The columns FOCUS readers always fill (a line item without them has no period or currency).</summary>
    public static readonly IReadOnlySet<string> Required = new HashSet<string>(StringComparer.Ordinal)
    {
        "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency",
    };

    // After Required, which the layout reads.
    public static readonly IReadOnlyList<LineItemColumn> All = Layout();

    public static string ColumnList => string.Join(", ", All.Select(c => c.Name));

    private static List<LineItemColumn> Layout()
    {
        var columns = new List<LineItemColumn>
        {
            new("import_id", ColumnSource.ImportId, 0),
            new("load_id", ColumnSource.LoadId, 0),
            new("slice_id", ColumnSource.SliceId, 0),
        };
        foreach (var column in FocusSchema.Columns)
        {
            switch (column.Kind)
            {
                case FocusColumnKind.Number:
                    columns.Add(new(column.Name, ColumnSource.Money, column.Slot));
                    break;
                case FocusColumnKind.Timestamp:
                    columns.Add(new(column.Name, ColumnSource.Timestamp, column.Slot));
                    break;
                case FocusColumnKind.KeyValue when column.Name == "Tags":
                    columns.Add(new("tag_set_id", ColumnSource.TagSetId, column.Slot));
                    break;
                case FocusColumnKind.KeyValue:
                    columns.Add(new(column.Name + "Keys", ColumnSource.ListKeys, column.Slot));
                    columns.Add(new(column.Name + "Values", ColumnSource.ListValues, column.Slot));
                    break;
                default:
                    columns.Add(new(column.Name, Required.Contains(column.Name) ? ColumnSource.RequiredText : ColumnSource.Text, column.Slot));
                    break;
            }
        }

        columns.Add(new("x_Keys", ColumnSource.CustomKeys, 0));
        columns.Add(new("x_Values", ColumnSource.CustomValues, 0));
        for (var i = 0; i < CostHierarchy.Keys.Count; i++)
        {
            columns.Add(new(CostHierarchy.ColumnFor(CostHierarchy.Keys[i]), ColumnSource.Hierarchy, i));
        }

        return columns;
    }
}
