using System.Text;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Turns a <see cref="CostQuery"/> into one parameterised GROUP BY. Identifiers come only from the FOCUS schema's
/// whitelist; every user value (filter values, tag keys, dates) is a parameter, never spliced into the SQL.
/// </summary>
internal static class CostQuerySql
{
    public sealed record Built(string Sql, List<(string Name, object? Value)> Parameters);

    public static Built Build(CostQuery query)
    {
        var parameters = new List<(string Name, object? Value)>();
        string Param(object? value)
        {
            var name = "p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add((name, value));
            return "$" + name;
        }

        var select = new List<string>();
        var groupCount = 0;
        if (query.Grain is { } grain)
        {
            var unit = grain switch
            {
                TimeGrain.Day => "day",
                TimeGrain.Week => "week",
                TimeGrain.Month => "month",
                _ => throw new ArgumentOutOfRangeException(nameof(query)),
            };
            select.Add($"date_trunc('{unit}', ChargePeriodStart)");
            groupCount++;
        }

        foreach (var dimension in query.By)
        {
            select.Add(Expression(dimension, Param));
            groupCount++;
        }

        select.Add("BillingCurrency");
        groupCount++;
        var costColumn = CostColumn(query.Cost);
        select.Add($"sum({costColumn})");

        var where = Where(query, Param);
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", select).Append(" FROM ").Append(LineItemsTable.Name);
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        var groups = string.Join(", ", Enumerable.Range(1, groupCount));
        sql.Append(" GROUP BY ").Append(groups).Append(" ORDER BY ").Append(groups);
        return new Built(sql.ToString(), parameters);
    }

    public static string CostColumn(CostMetric cost) => cost switch
    {
        CostMetric.Effective => "EffectiveCost",
        CostMetric.Billed => "BilledCost",
        CostMetric.List => "ListCost",
        CostMetric.Contracted => "ContractedCost",
        _ => throw new ArgumentOutOfRangeException(nameof(cost)),
    };

    /// <summary>The query's period and <c>--where</c> conditions as SQL predicates, values as parameters.</summary>
    public static List<string> Where(CostQuery query, Func<object?, string> param)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        if (query.From is { } from)
        {
            where.Add($"ChargePeriodStart >= {param(from)}");
        }

        if (query.To is { } to)
        {
            where.Add($"ChargePeriodStart < {param(to)}");
        }

        foreach (var filter in query.Where)
        {
            var expression = Expression(filter.Dimension, param);
            var values = filter.Values.Select(v => param(v)).ToList();
            where.Add(filter.Operator switch
            {
                FilterOperator.Equal => $"{expression} = {values[0]}",
                FilterOperator.NotEqual => $"{expression} <> {values[0]}",
                FilterOperator.In => $"{expression} IN ({string.Join(", ", values)})",
                FilterOperator.NotIn => $"{expression} NOT IN ({string.Join(", ", values)})",
                _ => throw new ArgumentOutOfRangeException(nameof(query)),
            });
        }

        return where;
    }

    /// <summary>The SQL for a dimension's value, with missing values shown as <c>(untagged)</c> or <c>(none)</c>.</summary>
    public static string Expression(Dimension dimension, Func<object?, string> param)
    {
        switch (dimension)
        {
            case TagDimension tag:
                var index = CostHierarchy.IndexOf(tag.Key);
                if (index >= 0 && string.Equals(CostHierarchy.Keys[index], CostHierarchy.NormalizeKey(tag.Key), StringComparison.Ordinal))
                {
                    return $"coalesce({CostHierarchy.ColumnFor(CostHierarchy.Keys[index])}, '{MissingValue.Untagged}')";
                }

                var key = param(tag.Key);
                return $"coalesce({LineItemsTable.ValuesColumn("Tags")}[list_position({LineItemsTable.KeysColumn("Tags")}, {key})], '{MissingValue.Untagged}')";
            case ColumnDimension column when column.Column.StartsWith(FocusSchema.CustomColumnPrefix, StringComparison.OrdinalIgnoreCase):
                var name = param(column.Column);
                return $"coalesce({LineItemsTable.CustomValues}[list_position({LineItemsTable.CustomKeys}, {name})], '{MissingValue.None}')";
            case ColumnDimension column:
                if (!FocusSchema.ByName.TryGetValue(column.Column, out var focus)
                    || focus.Kind is FocusColumnKind.Number or FocusColumnKind.Timestamp or FocusColumnKind.KeyValue or FocusColumnKind.Json)
                {
                    throw new UserInputException(
                        $"'{column.Column}' is not a FOCUS column to group or filter by. Use a text column such as ServiceCategory, ServiceName, " +
                        "ResourceId, RegionId, SubAccountName, ChargeCategory, PricingCategory, a custom x_ column, or a tag as tag:KEY; use --grain for time.");
                }

                return $"coalesce({focus.Name}, '{MissingValue.None}')";
            default:
                throw new ArgumentOutOfRangeException(nameof(dimension));
        }
    }
}
