using System.Text;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// A <see cref="CostQuery"/> as one distributed GROUP BY over <c>line_items_all</c>, in the SQL that ClickHouse 18.16
/// and current releases both accept: the DuckDB store's <c>CostQuerySql</c>, spelled for ClickHouse. Identifiers come
/// only from the FOCUS schema's whitelist; every value is written by <see cref="Sql"/>. Every shard aggregates its
/// rows and the entry node merges the partial sums, so what travels is groups, never line items.
/// </summary>
/// <remarks>
/// ClickHouse substitutes a SELECT alias wherever its name appears (WHERE included), so no alias here is a column's
/// name (<c>d0</c>, <c>period</c>, <c>currency</c>, <c>cost</c>); 18.16 has neither <c>GROUP BY ALL</c> nor positional
/// <c>ORDER BY 1</c>, so both list the aliases.
/// </remarks>
internal static class CostQuerySql
{
    public const string Cost = "cost";

    /// <summary>A float sum beside every exact sum: 18.16 wraps a Decimal128 sum that overflows instead of failing.</summary>
    public const string CostCheck = Cost + "_check";

    public static string Build(string database, CostQuery query)
    {
        RefuseTags(query);
        var columns = new List<string>();
        var groups = new List<string>();
        if (query.Grain is { } grain)
        {
            columns.Add($"{Period(grain)} AS period");
            groups.Add("period");
        }

        for (var i = 0; i < query.By.Count; i++)
        {
            columns.Add($"{Expression(query.By[i])} AS d{i}");
            groups.Add($"d{i}");
        }

        columns.Add("BillingCurrency AS currency");
        groups.Add("currency");
        columns.AddRange(Sums(CostColumn(query.Cost)));
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", columns).Append(" FROM ").Append(LineItems(database));
        sql.Append(" WHERE ").AppendJoin(" AND ", Where(database, query));
        sql.Append(" GROUP BY ").AppendJoin(", ", groups).Append(" ORDER BY ").AppendJoin(", ", groups);
        return sql.ToString();
    }

    /// <summary>
    /// The query grouped by period, its (non-tag) dimensions, tag set id, and account and resource when asked; the
    /// caller reads the few tag sets after. Columns: [period], d0..dn, tag_set, account, resource, currency, cost.
    /// </summary>
    public static string BuildTagged(string database, CostQuery query, bool byAccount, bool byResource)
    {
        RefuseTags(query);
        var columns = new List<string>();
        var groups = new List<string>();
        if (query.Grain is { } grain)
        {
            columns.Add($"{Period(grain)} AS period");
            groups.Add("period");
        }

        for (var i = 0; i < query.By.Count; i++)
        {
            columns.Add($"{Expression(query.By[i])} AS d{i}");
            groups.Add($"d{i}");
        }

        // Accounts and resources matter only when the policy inherits tags from them; leaving them out keeps the groups few.
        columns.AddRange(["tag_set_id AS tag_set", byAccount ? "SubAccountId AS account" : "CAST(NULL AS Nullable(String)) AS account",
            byResource ? "ResourceId AS resource" : "CAST(NULL AS Nullable(String)) AS resource", "BillingCurrency AS currency"]);
        groups.AddRange(["tag_set", "account", "resource", "currency"]);
        columns.AddRange(Sums(CostColumn(query.Cost)));
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", columns).Append(" FROM ").Append(LineItems(database));
        sql.Append(" WHERE ").AppendJoin(" AND ", Where(database, query));
        sql.Append(" GROUP BY ").AppendJoin(", ", groups);
        return sql.ToString();
    }

    /// <summary>
    /// The billing aggregates attribution works on: day × currency × service × resource × account × provider allocation
    /// columns × tag set id. Columns: day, currency, service, resource, account, method, allocated_resource, tag_set,
    /// allocated_keys, allocated_values, cost; with <paramref name="workloadFields"/> also provider, service_category,
    /// resource_type, sku, usage_type, description (the columns the workload category rules read).
    /// </summary>
    public static string BuildBilled(string database, CostQuery query, bool workloadFields = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = new List<string> { "day", "currency", "service", "resource", "account", "method", "allocated_resource", "tag_set", "allocated_keys", "allocated_values" };
        var columns = new List<string>
        {
            $"{Period(TimeGrain.Day)} AS day", "BillingCurrency AS currency", "ServiceName AS service", "ResourceId AS resource",
            "SubAccountId AS account", "AllocatedMethodId AS method", "AllocatedResourceId AS allocated_resource", "tag_set_id AS tag_set",
            "AllocatedTagsKeys AS allocated_keys", "AllocatedTagsValues AS allocated_values",
        };
        if (workloadFields)
        {
            // x_UsageType is a custom column: absent from a line item's x_Keys, indexOf is 0 and the element NULL.
            groups.AddRange(["provider", "service_category", "resource_type", "sku", "usage_type", "description"]);
            columns.AddRange([
                "ProviderName AS provider", "ServiceCategory AS service_category", "ResourceType AS resource_type", "SkuId AS sku",
                "x_Values[indexOf(x_Keys, 'x_UsageType')] AS usage_type", "ChargeDescription AS description",
            ]);
        }

        columns.AddRange(Sums(CostColumn(query.Cost)));
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", columns).Append(" FROM ").Append(LineItems(database));
        sql.Append(" WHERE ").AppendJoin(" AND ", Where(database, query));
        sql.Append(" GROUP BY ").AppendJoin(", ", groups);
        return sql.ToString();
    }

    /// <summary>The first charge start and the last charge end of the live line items.</summary>
    public static string ChargeRange(string database) =>
        $"SELECT count() AS n, min(ChargePeriodStart) AS first_start, max(ChargePeriodEnd) AS last_end FROM {LineItems(database)} WHERE {Visibility.LineItems(database)}";

    /// <summary>
    /// The start of the <see cref="TimeBuckets"/> period a line item's ChargePeriodStart falls in (a UTC Date: the
    /// columns are <c>DateTime('UTC')</c>, so every date function works in UTC): the ISO week's Monday cut at the first
    /// of the month, as <see cref="TimeBuckets.Start(DateOnly, TimeGrain)"/> cuts it.
    /// </summary>
    public static string Period(TimeGrain grain) => grain switch
    {
        TimeGrain.Hour => "toStartOfHour(ChargePeriodStart)",
        TimeGrain.Day => "toDate(ChargePeriodStart)",
        TimeGrain.Week => "greatest(toMonday(ChargePeriodStart), toStartOfMonth(ChargePeriodStart))",
        TimeGrain.Month => "toStartOfMonth(ChargePeriodStart)",
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

    /// <summary>
    /// The exact sum (a null cost, a FOCUS finding imported as written, adds nothing rather than nulling its group) and
    /// its float check, which <see cref="ClickHouseCostStore"/> compares against the Decimal(38, 18) range.
    /// </summary>
    public static string[] Sums(string column) =>
        [$"ifNull(sum({column}), toDecimal128(0, 18)) AS {Cost}", $"ifNull(sum(toFloat64({column})), 0) AS {CostCheck}"];

    /// <summary>Tags mean what the tag policy says: their keys and values are resolved in C# over the tag sets, never in SQL.</summary>
    private static void RefuseTags(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.By.Any(d => d is TagDimension) || query.Where.Any(f => f.Dimension is TagDimension))
        {
            throw new ArgumentException("Tag dimensions and conditions are read through the tag policy (CostStoreQueries.QueryCosts), not in SQL.", nameof(query));
        }
    }

    private static string LineItems(string database) => $"{Sql.Identifier(database)}.line_items_all";

    /// <summary>Only committed, unreplaced rows, then the query's period and <c>--where</c> column conditions.</summary>
    public static List<string> Where(string database, CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string> { Visibility.LineItems(database) };
        if (query.From is { } from)
        {
            where.Add($"ChargePeriodStart >= {Sql.Literal(CeilingToSecond(from))}");
        }

        if (query.To is { } to)
        {
            where.Add($"ChargePeriodStart < {Sql.Literal(CeilingToSecond(to))}");
        }

        foreach (var filter in query.Where)
        {
            if (filter.Dimension is TagDimension)
            {
                throw new ArgumentException("Tag conditions are read through the tag policy (TagConditions), not in SQL.", nameof(query));
            }

            where.Add(Condition(Expression(filter.Dimension), filter));
        }

        return where;
    }

    /// <summary>
    /// Instants are stored to the second, so a bound with a fraction compares as the next second does
    /// (<c>start &gt;= 10:00:00.5</c> holds exactly for starts from 10:00:01, as does <c>start &lt; 10:00:00.5</c> for starts up to 10:00:00).
    /// </summary>
    private static DateTime CeilingToSecond(DateTime instant)
    {
        var utc = instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : instant;
        var remainder = utc.Ticks % TimeSpan.TicksPerSecond;
        return remainder == 0 ? utc : utc.AddTicks(TimeSpan.TicksPerSecond - remainder);
    }

    private static string Condition(string expression, Filter filter)
    {
        var values = filter.Values.Select(v => Sql.Literal(v)).ToList();
        return filter.Operator switch
        {
            FilterOperator.Equal => $"{expression} = {values[0]}",
            FilterOperator.NotEqual => $"{expression} != {values[0]}",
            FilterOperator.In => $"{expression} IN ({string.Join(", ", values)})",
            FilterOperator.NotIn => $"{expression} NOT IN ({string.Join(", ", values)})",
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    /// <summary>The SQL for a dimension's value, with missing values shown as <c>(none)</c>.</summary>
    public static string Expression(Dimension dimension)
    {
        switch (dimension)
        {
            case TagDimension tag:
                throw new ArgumentException($"tag:{tag.Key} is read through the tag policy, not in SQL.", nameof(dimension));
            case ColumnDimension column when column.Column.StartsWith(FocusSchema.CustomColumnPrefix, StringComparison.OrdinalIgnoreCase):
                // indexOf is 0 when the key is absent, and element 0 of an array of Nullable is NULL.
                return $"ifNull(x_Values[indexOf(x_Keys, {Sql.Literal(column.Column)})], {Sql.Literal(MissingValue.None)})";
            case ColumnDimension column:
                if (!FocusSchema.ByName.TryGetValue(column.Column, out var focus)
                    || focus.Kind is FocusColumnKind.Number or FocusColumnKind.Timestamp or FocusColumnKind.KeyValue or FocusColumnKind.Json)
                {
                    throw new UserInputException(
                        $"'{column.Column}' is not a FOCUS column to group or filter by. Use a text column such as ServiceCategory, ServiceName, " +
                        "ResourceId, RegionId, SubAccountName, ChargeCategory, PricingCategory, a custom x_ column, or a tag as tag:KEY; use --grain for time.");
                }

                return $"ifNull({Sql.Identifier(focus.Name)}, {Sql.Literal(MissingValue.None)})";
            default:
                throw new ArgumentOutOfRangeException(nameof(dimension));
        }
    }
}
