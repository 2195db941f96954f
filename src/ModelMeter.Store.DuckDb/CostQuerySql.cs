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

        var costColumn = CostColumn(query.Cost);

        // Stage one scans the line items. Tag keys outside the hierarchy are not columns: stage one groups by tag set
        // id instead, and stage two reads those few thousand tag sets to find the key's value.
        var inner = new List<string>();
        if (query.Grain is { } grain)
        {
            inner.Add($"date_trunc('{GrainUnit(grain)}', ChargePeriodStart) AS period");
        }

        var byTagSet = query.By.Any(IsTagSetDimension);
        var outerDimensions = new List<string>();
        for (var i = 0; i < query.By.Count; i++)
        {
            if (IsTagSetDimension(query.By[i]))
            {
                outerDimensions.Add(TagSetValue("ts", ((TagDimension)query.By[i]).Key, Param));
            }
            else
            {
                inner.Add($"{Expression(query.By[i], Param)} AS d{i}");
                outerDimensions.Add($"g.d{i}");
            }
        }

        if (byTagSet)
        {
            inner.Add(LineItemsTable.TagSetIdColumn);
        }

        inner.Add("BillingCurrency AS currency");
        // A null cost (a FOCUS conformance finding, imported as written) adds nothing rather than nulling its group.
        inner.Add($"coalesce(sum({costColumn}), 0) AS cost");

        var where = Where(query, Param);
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", inner).Append(" FROM ").Append(LineItemsTable.Name);
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" GROUP BY ALL");
        var groups = string.Join(", ", Enumerable.Range(1, (query.Grain is null ? 0 : 1) + query.By.Count + 1));
        if (!byTagSet)
        {
            sql.Append(" ORDER BY ").Append(groups);
            return new Built(sql.ToString(), parameters);
        }

        var outer = new List<string>();
        if (query.Grain is not null)
        {
            outer.Add("g.period");
        }

        outer.AddRange(outerDimensions);
        outer.Add("g.currency");
        outer.Add("sum(g.cost)");
        var twoStage = new StringBuilder("SELECT ").AppendJoin(", ", outer)
            .Append(" FROM (").Append(sql).Append(") AS g LEFT JOIN ").Append(TagSets.Table)
            .Append(" AS ts ON ts.tag_set_id = g.").Append(LineItemsTable.TagSetIdColumn)
            .Append(" GROUP BY ").Append(groups).Append(" ORDER BY ").Append(groups);
        return new Built(twoStage.ToString(), parameters);
    }

    /// <summary>
    /// The query grouped by period, its (non-tag) dimensions, tag set, account and resource, with each group's raw tag
    /// set joined after aggregation. Columns: [period], d0..dn, tag_keys, tag_values, SubAccountId, ResourceId, currency, cost.
    /// </summary>
    public static Built BuildTagged(CostQuery query, bool byAccount, bool byResource)
    {
        if (query.By.Any(d => d is TagDimension) || query.Where.Any(f => f.Dimension is TagDimension))
        {
            throw new ArgumentException("Tag dimensions are resolved by the caller, not in SQL.", nameof(query));
        }

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
            inner.Add($"date_trunc('{GrainUnit(grain)}', ChargePeriodStart) AS period");
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

    private static string GrainUnit(TimeGrain grain) => grain switch
    {
        TimeGrain.Day => "day",
        TimeGrain.Week => "week",
        TimeGrain.Month => "month",
        _ => throw new ArgumentOutOfRangeException(nameof(grain)),
    };

    public static string CostColumn(CostMetric cost) => cost switch
    {
        CostMetric.Effective => "EffectiveCost",
        CostMetric.Billed => "BilledCost",
        CostMetric.List => "ListCost",
        CostMetric.Contracted => "ContractedCost",
        _ => throw new ArgumentOutOfRangeException(nameof(cost)),
    };

    /// <summary>The query's period and <c>--where</c> conditions as SQL predicates over line items, values as parameters.</summary>
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
            if (IsTagSetDimension(filter.Dimension))
            {
                var condition = Condition(TagSetValue(TagSets.Table, ((TagDimension)filter.Dimension).Key, param), filter, param);
                where.Add($"{LineItemsTable.TagSetIdColumn} IN (SELECT tag_set_id FROM {TagSets.Table} WHERE {condition})");
            }
            else
            {
                where.Add(Condition(Expression(filter.Dimension, param), filter, param));
            }
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

    /// <summary>True for a tag key that is not one of the hierarchy's columns: its values live in the tag sets.</summary>
    private static bool IsTagSetDimension(Dimension dimension) => dimension is TagDimension tag && HierarchyColumn(tag) is null;

    private static string? HierarchyColumn(TagDimension tag)
    {
        var index = CostHierarchy.IndexOf(tag.Key);
        return index >= 0 && string.Equals(CostHierarchy.Keys[index], CostHierarchy.NormalizeKey(tag.Key), StringComparison.Ordinal)
            ? CostHierarchy.ColumnFor(CostHierarchy.Keys[index])
            : null;
    }

    private static string TagSetValue(string alias, string key, Func<object?, string> param) =>
        $"coalesce({alias}.tag_values[list_position({alias}.tag_keys, {param(key)})], '{MissingValue.Untagged}')";

    /// <summary>The SQL for a dimension's value, with missing values shown as <c>(untagged)</c> or <c>(none)</c>.</summary>
    public static string Expression(Dimension dimension, Func<object?, string> param)
    {
        switch (dimension)
        {
            case TagDimension tag:
                return HierarchyColumn(tag) is { } hierarchy
                    ? $"coalesce({hierarchy}, '{MissingValue.Untagged}')"
                    : throw new InvalidOperationException($"tag:{tag.Key} is read from the tag sets, not a line item column.");
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
