using System.Text;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Turns a <see cref="CostQuery"/> into one parameterised GROUP BY. Identifiers come only from the FOCUS schema's
/// whitelist; every user value (filter values, column names, dates) is a parameter, never spliced into the SQL. Tags
/// are grouped by tag set id here and resolved by the tag policy in C# (<see cref="BuildTagged"/>).
/// </summary>
internal static class CostQuerySql
{
    public sealed record Built(string Sql, List<(string Name, object? Value)> Parameters);

    public static Built Build(CostQuery query)
    {
        RefuseTags(query);
        var parameters = new List<(string Name, object? Value)>();
        string Param(object? value)
        {
            var name = "p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add((name, value));
            return "$" + name;
        }

        var columns = new List<string>();
        if (query.Grain is { } grain)
        {
            columns.Add($"{Period(grain)} AS period");
        }

        for (var i = 0; i < query.By.Count; i++)
        {
            columns.Add($"{Expression(query.By[i], Param)} AS d{i}");
        }

        columns.Add("BillingCurrency AS currency");
        // A null cost (a FOCUS conformance finding, imported as written) adds nothing rather than nulling its group.
        columns.Add($"coalesce(sum({CostColumn(query.Cost)}), 0) AS cost");

        var where = Where(query, Param);
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", columns).Append(" FROM ").Append(LineItemsTable.Name);
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" GROUP BY ALL ORDER BY ").AppendJoin(", ", Enumerable.Range(1, columns.Count - 1));
        return new Built(sql.ToString(), parameters);
    }

    /// <summary>
    /// The query grouped by period, its (non-tag) dimensions, tag set, account and resource, with each group's raw tag
    /// set joined after aggregation. Columns: [period], d0..dn, tag_keys, tag_values, SubAccountId, ResourceId, currency, cost.
    /// </summary>
    public static Built BuildTagged(CostQuery query, bool byAccount, bool byResource)
    {
        RefuseTags(query);
        var parameters = new List<(string Name, object? Value)>();
        string Param(object? value)
        {
            var name = "p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add((name, value));
            return "$" + name;
        }

        var inner = new List<string>();
        var outer = new List<string>();
        if (query.Grain is { } grain)
        {
            inner.Add($"{Period(grain)} AS period");
            outer.Add("g.period");
        }

        for (var i = 0; i < query.By.Count; i++)
        {
            inner.Add($"{Expression(query.By[i], Param)} AS d{i}");
            outer.Add($"g.d{i}");
        }

        // Accounts and resources matter only when the policy inherits tags from them; leaving them out keeps the groups few.
        inner.AddRange([LineItemsTable.TagSetIdColumn, byAccount ? "SubAccountId" : "NULL::VARCHAR AS SubAccountId",
            byResource ? "ResourceId" : "NULL::VARCHAR AS ResourceId", "BillingCurrency AS currency", $"coalesce(sum({CostColumn(query.Cost)}), 0) AS cost"]);
        outer.AddRange(["ts.tag_keys", "ts.tag_values", "g.SubAccountId", "g.ResourceId", "g.currency", "g.cost"]);
        var where = Where(query, Param);
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", outer).Append(" FROM (SELECT ").AppendJoin(", ", inner)
            .Append(" FROM ").Append(LineItemsTable.Name);
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" GROUP BY ALL) AS g JOIN ").Append(TagSets.Table).Append(" AS ts ON ts.tag_set_id = g.").Append(LineItemsTable.TagSetIdColumn);
        return new Built(sql.ToString(), parameters);
    }

    /// <summary>
    /// The start of the <see cref="TimeBuckets"/> period a line item's ChargePeriodStart falls in, in SQL: DuckDB's ISO
    /// week (Monday) cut at the first of the month, as <see cref="TimeBuckets.Start(DateOnly, TimeGrain)"/> cuts it.
    /// </summary>
    public static string Period(TimeGrain grain) => grain switch
    {
        TimeGrain.Hour => "date_trunc('hour', ChargePeriodStart)",
        TimeGrain.Day => "date_trunc('day', ChargePeriodStart)",
        TimeGrain.Week => "greatest(date_trunc('week', ChargePeriodStart), date_trunc('month', ChargePeriodStart))",
        TimeGrain.Month => "date_trunc('month', ChargePeriodStart)",
        _ => throw new ArgumentOutOfRangeException(nameof(grain)),
    };

    /// <summary>Tags mean what the tag policy says: their keys and values are resolved in C# over the tag sets, never in SQL.</summary>
    private static void RefuseTags(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.By.Any(d => d is TagDimension) || query.Where.Any(f => f.Dimension is TagDimension))
        {
            throw new ArgumentException("Tag dimensions and conditions are read through the tag policy (CostStoreQueries.QueryCosts), not in SQL.", nameof(query));
        }
    }

    public static string CostColumn(CostMetric cost) => cost switch
    {
        CostMetric.Effective => "EffectiveCost",
        CostMetric.Billed => "BilledCost",
        CostMetric.List => "ListCost",
        CostMetric.Contracted => "ContractedCost",
        _ => throw new ArgumentOutOfRangeException(nameof(cost)),
    };

    /// <summary>The query's period and <c>--where</c> column conditions as SQL predicates over line items, values as parameters.</summary>
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
            if (filter.Dimension is TagDimension)
            {
                throw new ArgumentException("Tag conditions are read through the tag policy (TagConditions), not in SQL.", nameof(query));
            }

            where.Add(Condition(Expression(filter.Dimension, param), filter, param));
        }

        return where;
    }

    private static string Condition(string expression, Filter filter, Func<object?, string> param)
    {
        var values = filter.Values.Select(v => param(v)).ToList();
        return filter.Operator switch
        {
            FilterOperator.Equal => $"{expression} = {values[0]}",
            FilterOperator.NotEqual => $"{expression} <> {values[0]}",
            FilterOperator.In => $"{expression} IN ({string.Join(", ", values)})",
            FilterOperator.NotIn => $"{expression} NOT IN ({string.Join(", ", values)})",
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    /// <summary>The SQL for a dimension's value, with missing values shown as <c>(untagged)</c> or <c>(none)</c>.</summary>
    public static string Expression(Dimension dimension, Func<object?, string> param)
    {
        switch (dimension)
        {
            case TagDimension tag:
                throw new ArgumentException($"tag:{tag.Key} is read through the tag policy, not in SQL.", nameof(dimension));
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
