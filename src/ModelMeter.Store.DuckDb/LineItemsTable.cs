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

    /// <summary>The line item's descriptor in <see cref="LineItemsTable.DescriptorsTable"/>.</summary>
    DescriptorId,
}

/// <summary>One column of <c>line_items</c>: its name, SQL type, and where its value comes from.</summary>
internal sealed record StoredColumn(string Name, string SqlType, StoredKind Kind, int Slot);

/// <summary>
/// The line items, laid out from <see cref="FocusSchema"/>: one column per FOCUS column under its FOCUS name, money as
/// DECIMAL(38,18) (declared, never inferred), instants as TIMESTAMP holding UTC, tag maps as parallel key/value lists
/// (DuckDB's appenders cannot write MAPs), and the hierarchy's tag keys as their own columns so reports never read tags
/// at query time. The DDL and the bulk writer both come from <see cref="Columns"/>.
/// <para>
/// Stored in two tables and read through one view, <c>line_items</c>, with every column in <see cref="Columns"/>'
/// order. What changes from row to row (the charge period and the amounts) is in <see cref="FactsTable"/>; the thirty
/// or so descriptive texts (account, service, SKU, region, resource, charge descriptors, tags, hierarchy) are in
/// <see cref="DescriptorsTable"/>, once per distinct combination in an import, referred to by
/// <see cref="DescriptorIdColumn"/>. A month of hourly billing repeats each resource's description on every hour:
/// the demo's million rows have about 1,400 combinations, so an import writes 12 values a row instead of 75, and
/// DuckDB no longer hashes, measures and compresses 35 strings a row (BENCHMARKS.md: three quarters of the import's
/// CPU). Queries read the view; the import writes the tables, and only it, the commit's replacement and the removal
/// of an interrupted import write them.
/// </para>
/// </summary>
internal static class LineItemsTable
{
    /// <summary>The view every query reads: the facts joined to their descriptors.</summary>
    public const string Name = "line_items";

    /// <summary>Per row: import, descriptor, charge period, amounts and quantities.</summary>
    public const string FactsTable = "line_item_facts";

    /// <summary>Per distinct description in an import: every other column.</summary>
    public const string DescriptorsTable = "line_item_descriptors";

    public const string DescriptorIdColumn = "descriptor_id";

    public const string MoneyType = "DECIMAL(38,18)";

    public const string CustomKeys = "x_Keys";

    /// <summary>The line item's tag set in <see cref="TagSets.Table"/> (0: no tags).</summary>
    public const string TagSetIdColumn = "tag_set_id";

    public const string CustomValues = "x_Values";

    /// <summary>Every column of the view, in its order (import_id first).</summary>
    public static readonly IReadOnlyList<StoredColumn> Columns = Layout();

    private static readonly StoredColumn ImportIdColumn = Columns[0];

    private static readonly StoredColumn DescriptorId = new(DescriptorIdColumn, "BIGINT", StoredKind.DescriptorId, 0);

    /// <summary>The columns of <see cref="FactsTable"/>: import_id, descriptor_id, then the per-row columns in view order.</summary>
    public static readonly IReadOnlyList<StoredColumn> FactColumns = [ImportIdColumn, DescriptorId, .. Columns.Where(PerRow)];

    /// <summary>The columns of <see cref="DescriptorsTable"/>: descriptor_id, import_id, then the other columns in view order.</summary>
    public static readonly IReadOnlyList<StoredColumn> DescriptorColumns = [DescriptorId, ImportIdColumn, .. Columns.Skip(1).Where(c => !PerRow(c))];

    /// <summary>What differs from row to row of one resource: the hour and what it cost (<see cref="FocusColumn.VariesPerRow"/>).</summary>
    private static bool PerRow(StoredColumn column) =>
        column.Kind is (StoredKind.Money or StoredKind.Timestamp) && FocusSchema.Get(column.Name).VariesPerRow;

    public static string KeysColumn(string name) => name + "Keys";

    public static string ValuesColumn(string name) => name + "Values";

    /// <summary>The two tables and the view, as this version creates them (the migrations must build the same).</summary>
    public static IReadOnlyList<string> CreateSql() =>
    [
        Table(FactsTable, FactColumns),
        Table(DescriptorsTable, DescriptorColumns),
        ViewSql(),
    ];

    private static string Table(string name, IReadOnlyList<StoredColumn> columns)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(name).Append(" (\n    ");
        sql.AppendJoin(",\n    ", columns.Select(c => $"{c.Name} {c.SqlType}{(c.Kind is StoredKind.ImportId or StoredKind.DescriptorId ? " NOT NULL" : "")}"));
        sql.Append("\n)");
        return sql.ToString();
    }

    private static string ViewSql()
    {
        var sql = new StringBuilder();
        sql.Append("CREATE VIEW ").Append(Name).Append(" AS SELECT ");
        sql.AppendJoin(", ", Columns.Select(c => (c.Kind == StoredKind.ImportId || PerRow(c) ? "f." : "d.") + c.Name));
        sql.Append(" FROM ").Append(FactsTable).Append(" AS f JOIN ").Append(DescriptorsTable).Append(" AS d ON d.")
            .Append(DescriptorIdColumn).Append(" = f.").Append(DescriptorIdColumn);
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
