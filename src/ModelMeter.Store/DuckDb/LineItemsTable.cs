using System.Text;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// The <c>line_items</c> table, laid out from <see cref="FocusSchema"/>: one column per FOCUS column under its FOCUS
/// name, money as DECIMAL(38,18) (declared, never inferred), instants as TIMESTAMP holding UTC, tag maps as parallel
/// key/value lists (DuckDB's appender cannot write MAPs), and the hierarchy's tag keys as their own columns so
/// reports never read tags at query time.
/// </summary>
internal static class LineItemsTable
{
    public const string Name = "line_items";

    public const string MoneyType = "DECIMAL(38,18)";

    public static string KeysColumn(string name) => name + "Keys";

    public static string ValuesColumn(string name) => name + "Values";

    public const string CustomKeys = "x_Keys";

    public const string CustomValues = "x_Values";

    public static string CreateSql()
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(Name).Append(" (\n    import_id BIGINT NOT NULL");
        foreach (var column in FocusSchema.Columns)
        {
            switch (column.Kind)
            {
                case FocusColumnKind.Number:
                    sql.Append(",\n    ").Append(column.Name).Append(' ').Append(MoneyType);
                    break;
                case FocusColumnKind.Timestamp:
                    sql.Append(",\n    ").Append(column.Name).Append(" TIMESTAMP");
                    break;
                case FocusColumnKind.KeyValue:
                    sql.Append(",\n    ").Append(KeysColumn(column.Name)).Append(" VARCHAR[]");
                    sql.Append(",\n    ").Append(ValuesColumn(column.Name)).Append(" VARCHAR[]");
                    break;
                default:
                    sql.Append(",\n    ").Append(column.Name).Append(" VARCHAR");
                    break;
            }
        }

        sql.Append(",\n    ").Append(CustomKeys).Append(" VARCHAR[]");
        sql.Append(",\n    ").Append(CustomValues).Append(" VARCHAR[]");
        foreach (var key in CostHierarchy.Keys)
        {
            sql.Append(",\n    ").Append(CostHierarchy.ColumnFor(key)).Append(" VARCHAR");
        }

        sql.Append("\n)");
        return sql.ToString();
    }
}
