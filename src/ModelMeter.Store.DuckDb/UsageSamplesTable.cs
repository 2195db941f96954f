using System.Globalization;
using System.Text;
using ModelMeter.Core.Allocation;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// <c>usage_samples</c>: the drivers of usage allocation rules, one row per UTC day, metric and dimension set, with
/// the dimensions as parallel key/value lists (raw, as imported: the tag policy normalises them when they are read,
/// so a changed policy applies to usage already imported).
/// </summary>
internal static class UsageSamplesTable
{
    public const string Name = "usage_samples";

    /// <summary>
    /// The <c>import_id</c> of samples posted to the server (recorded in <c>usage_batches</c>, not <c>imports</c>):
    /// imports of usage files never replace them.
    /// </summary>
    public const long PostedImportId = 0;

    /// <summary>The import kinds that write usage samples.</summary>
    public static readonly IReadOnlyList<ImportKind> Kinds = [ImportKind.Usage, ImportKind.Prometheus, ImportKind.NvidiaSmi];

    /// <summary>Exact, like money: usage drivers decide who pays, so they are never floating point.</summary>
    public const string ValueType = "DECIMAL(38,18)";

    /// <summary>The samples summed per day, metric and dimension set, in one GROUP BY; the period is half-open.</summary>
    public static (string Sql, List<(string Name, object? Value)> Parameters) Query(DateOnly? from, DateOnly? to)
    {
        var parameters = new List<(string Name, object? Value)>();
        var sql = new StringBuilder($"SELECT period, metric, dimension_keys, dimension_values, sum(value) FROM {Name}");
        var where = new List<string>();
        if (from is { } f)
        {
            parameters.Add(("from", f.ToDateTime(TimeOnly.MinValue)));
            where.Add("period >= CAST($from AS DATE)");
        }

        if (to is { } t)
        {
            parameters.Add(("to", t.ToDateTime(TimeOnly.MinValue)));
            where.Add("period < CAST($to AS DATE)");
        }

        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" GROUP BY ALL ORDER BY 1, 2, 3, 4");
        return (sql.ToString(), parameters);
    }

    /// <summary>Rounds a value to the column's scale, so what is stored is exactly what is summed.</summary>
    public static decimal ToScale(decimal value) => Math.Round(value, 18, MidpointRounding.ToEven);

    public static string Describe(UsageSample sample) =>
        string.Create(CultureInfo.InvariantCulture, $"{sample.Period:yyyy-MM-dd} {sample.Metric}");
}
