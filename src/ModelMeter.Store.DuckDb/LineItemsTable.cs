using System.Text;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>How a store column gets its value from a <see cref="LineItemRow"/>.</summary>
internal enum StoredKind
{
    ImportId,
    Text,
    Money,
    Timestamp,
    ListKeys,
    ListValues,
    CustomKeys,
    CustomValues,
    Hierarchy,
    TagSetId,
}

/// <summary>One column of <c>line_items</c>: its name, SQL type, and where its value comes from.</summary>
internal sealed record StoredColumn(string Name, string SqlType, StoredKind Kind, int Slot);

/// <summary>
/// The <c>line_items</c> table, laid out from <see cref="FocusSchema"/>: one column per FOCUS column under its FOCUS
/// name, money as DECIMAL(38,18) (declared, never inferred), instants as TIMESTAMP holding UTC, tag maps as parallel
/// key/value lists (DuckDB's appenders cannot write MAPs), and the hierarchy's tag keys as their own columns so
/// reports never read tags at query time. The DDL and the bulk writer both come from <see cref="Columns"/>.
/// </summary>
internal static class LineItemsTable
{
    public const string Name = "line_items";

    public const string MoneyType = "DECIMAL(38,18)";

    public const string CustomKeys = "x_Keys";

    /// <summary>The line item's tag set in <see cref="TagSets.Table"/> (0: no tags).</summary>
    public const string TagSetIdColumn = "tag_set_id";

    public const string CustomValues = "x_Values";

    public static readonly IReadOnlyList<StoredColumn> Columns = Layout();

    public static string KeysColumn(string name) => name + "Keys";

    public static string ValuesColumn(string name) => name + "Values";

    public static string CreateSql()
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(Name).Append(" (\n    ");
        sql.AppendJoin(",\n    ", Columns.Select(c => $"{c.Name} {c.SqlType}{(c.Kind == StoredKind.ImportId ? " NOT NULL" : "")}"));
        sql.Append("\n)");
        return sql.ToString();
    }

    private static List<StoredColumn> Layout()
    {
        var columns = new List<StoredColumn> { new("import_id", "BIGINT", StoredKind.ImportId, 0) };
        foreach (var column in FocusSchema.Columns)
        {
            switch (column.Kind)
            {
                case FocusColumnKind.Number:
                    columns.Add(new(column.Name, MoneyType, StoredKind.Money, column.Slot));
                    break;
                case FocusColumnKind.Timestamp:
                    columns.Add(new(column.Name, "TIMESTAMP", StoredKind.Timestamp, column.Slot));
                    break;
                case FocusColumnKind.KeyValue when column.Name == "Tags":
                    // Tags repeat on every hour of a resource: stored once per distinct set, referred to by id.
                    columns.Add(new(TagSetIdColumn, "BIGINT", StoredKind.TagSetId, column.Slot));
                    break;
                case FocusColumnKind.KeyValue:
                    columns.Add(new(KeysColumn(column.Name), "VARCHAR[]", StoredKind.ListKeys, column.Slot));
                    columns.Add(new(ValuesColumn(column.Name), "VARCHAR[]", StoredKind.ListValues, column.Slot));
                    break;
                default:
                    columns.Add(new(column.Name, "VARCHAR", StoredKind.Text, column.Slot));
                    break;
            }
        }

        columns.Add(new(CustomKeys, "VARCHAR[]", StoredKind.CustomKeys, 0));
        columns.Add(new(CustomValues, "VARCHAR[]", StoredKind.CustomValues, 0));
        for (var i = 0; i < CostHierarchy.Keys.Count; i++)
        {
            columns.Add(new(CostHierarchy.ColumnFor(CostHierarchy.Keys[i]), "VARCHAR", StoredKind.Hierarchy, i));
        }

        return columns;
    }
}
