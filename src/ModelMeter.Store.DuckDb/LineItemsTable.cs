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

    /// <summary>The descriptor's context in <see cref="LineItemsTable.ContextsTable"/>.</summary>
    ContextId,
}

/// <summary>One column of <c>line_items</c>: its name, SQL type, and where its value comes from.</summary>
internal sealed record StoredColumn(string Name, string SqlType, StoredKind Kind, int Slot);

/// <summary>
/// The line items, laid out from <see cref="FocusSchema"/>: one column per FOCUS column under its FOCUS name, money as
/// DECIMAL(38,18) (declared, never inferred), instants as TIMESTAMP holding UTC, tag maps as parallel key/value lists
/// (DuckDB's appenders cannot write MAPs), and the hierarchy's tag keys as their own columns so reports never read tags
/// at query time. The DDL and the bulk writer both come from <see cref="Columns"/>.
/// <para>
/// Stored in three tables and read through one view, <c>line_items</c>, with every column in <see cref="Columns"/>'
/// order. What changes from row to row (the charge period and the amounts) is in <see cref="FactsTable"/>. What names
/// the resource and the charge (resource id and name, allocated resource id and name, the charge description and the
/// tag set: <see cref="DescribesResource"/>) is in <see cref="DescriptorsTable"/>, once per distinct combination in an
/// import, referred to by <see cref="DescriptorIdColumn"/>; the twenty-five or so texts around it (account, service,
/// SKU, region, pricing and charge categories, the hierarchy) are in <see cref="ContextsTable"/>, once per distinct
/// combination, referred to from each descriptor by <see cref="ContextIdColumn"/>. A month of hourly billing repeats
/// each resource's description on every hour: the demo's million rows have about 1,400 descriptors and fewer contexts,
/// so an import writes 12 values a row instead of 75, and DuckDB no longer hashes, measures and compresses 35 strings
/// a row (BENCHMARKS.md: three quarters of the import's CPU). A bill with a resource id, description or tag set of its
/// own on every row (bench/wide_focus.py) still shares its contexts: a new descriptor is five values and an id, not
/// thirty-five strings. Queries read the view; the import writes the tables, and only it, the commit's replacement
/// and the removal of an interrupted import write them.
/// </para>
/// </summary>
internal static class LineItemsTable
{
    /// <summary>The view every query reads: the facts joined to their descriptors.</summary>
    public const string Name = "line_items";

    /// <summary>Per row: import, descriptor, charge period, amounts and quantities.</summary>
    public const string FactsTable = "line_item_facts";

    /// <summary>Per distinct description of a resource and charge in an import: <see cref="DescribesResource"/>, and its context.</summary>
    public const string DescriptorsTable = "line_item_descriptors";

    /// <summary>Per distinct context in an import: every other column.</summary>
    public const string ContextsTable = "line_item_contexts";

    public const string DescriptorIdColumn = "descriptor_id";

    public const string ContextIdColumn = "context_id";

    public const string MoneyType = "DECIMAL(38,18)";

    public const string CustomKeys = "x_Keys";

    /// <summary>The line item's tag set in <see cref="TagSets.Table"/> (0: no tags).</summary>
    public const string TagSetIdColumn = "tag_set_id";

    public const string CustomValues = "x_Values";

    /// <summary>Every column of the view, in its order (import_id first).</summary>
    public static readonly IReadOnlyList<StoredColumn> Columns = Layout();

    private static readonly StoredColumn ImportIdColumn = Columns[0];

    private static readonly StoredColumn DescriptorId = new(DescriptorIdColumn, "BIGINT", StoredKind.DescriptorId, 0);

    private static readonly StoredColumn ContextId = new(ContextIdColumn, "BIGINT", StoredKind.ContextId, 0);

    // What is often distinct on every row of a large bill (a resource per row, a description per request, a tag set
    // per job), kept apart from the context so that such a row adds a few values, not every text of the row.
    private static readonly HashSet<string> ResourceColumns =
        ["ResourceId", "ResourceName", "ChargeDescription", "AllocatedResourceId", "AllocatedResourceName", TagSetIdColumn];

    /// <summary>The columns of <see cref="FactsTable"/>: import_id, descriptor_id, then the per-row columns in view order.</summary>
    public static readonly IReadOnlyList<StoredColumn> FactColumns = [ImportIdColumn, DescriptorId, .. Columns.Where(PerRow)];

    /// <summary>The columns of <see cref="DescriptorsTable"/>: descriptor_id, import_id, context_id, then <see cref="DescribesResource"/>'s in view order.</summary>
    public static readonly IReadOnlyList<StoredColumn> DescriptorColumns = [DescriptorId, ImportIdColumn, ContextId, .. Columns.Skip(1).Where(DescribesResource)];

    /// <summary>The columns of <see cref="ContextsTable"/>: context_id, import_id, then the other columns in view order.</summary>
    public static readonly IReadOnlyList<StoredColumn> ContextColumns = [ContextId, ImportIdColumn, .. Columns.Skip(1).Where(c => !PerRow(c) && !DescribesResource(c))];

    /// <summary>A column of <see cref="DescriptorsTable"/>: what names the resource and the charge.</summary>
    public static bool DescribesResource(StoredColumn column) => ResourceColumns.Contains(column.Name);

    /// <summary>What differs from row to row of one resource: the hour and what it cost (<see cref="FocusColumn.VariesPerRow"/>).</summary>
    private static bool PerRow(StoredColumn column) =>
        column.Kind is (StoredKind.Money or StoredKind.Timestamp) && FocusSchema.Get(column.Name).VariesPerRow;

    public static string KeysColumn(string name) => name + "Keys";

    public static string ValuesColumn(string name) => name + "Values";

    /// <summary>The three tables and the view, as this version creates them (the migrations must build the same).</summary>
    public static IReadOnlyList<string> CreateSql() =>
    [
        Table(FactsTable, FactColumns),
        Table(DescriptorsTable, DescriptorColumns),
        Table(ContextsTable, ContextColumns),
        ViewSql(),
    ];

    private static string Table(string name, IReadOnlyList<StoredColumn> columns)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(name).Append(" (\n    ");
        sql.AppendJoin(",\n    ", columns.Select(c => $"{c.Name} {c.SqlType}{(c.Kind is StoredKind.ImportId or StoredKind.DescriptorId or StoredKind.ContextId ? " NOT NULL" : "")}"));
        sql.Append("\n)");
        return sql.ToString();
    }

    private static string ViewSql()
    {
        var sql = new StringBuilder();
        sql.Append("CREATE VIEW ").Append(Name).Append(" AS SELECT ");
        sql.AppendJoin(", ", Columns.Select(c => (c.Kind == StoredKind.ImportId || PerRow(c) ? "f." : DescribesResource(c) ? "d." : "c.") + c.Name));
        sql.Append(" FROM ").Append(FactsTable).Append(" AS f JOIN ").Append(DescriptorsTable).Append(" AS d ON d.")
            .Append(DescriptorIdColumn).Append(" = f.").Append(DescriptorIdColumn)
            .Append(" JOIN ").Append(ContextsTable).Append(" AS c ON c.").Append(ContextIdColumn).Append(" = d.").Append(ContextIdColumn);
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
