using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Reporting;

/// <summary>
/// Costs by workload category without a stored category: the store groups costs by the few fields the rules read (the
/// columns of <see cref="WorkloadCategories.Columns"/> and the category and run tags, resolved by the tag policy), and
/// here each group is classified and the groups are summed by category. So a rule changed in <c>modelmeter.yaml</c>
/// applies without re-import, and the store returns groups (thousands), not line items (millions).
/// </summary>
public static class WorkloadReport
{
    public static bool Involves(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.By.Any(d => d is WorkloadDimension) || query.Where.Any(f => f.Dimension is WorkloadDimension);
    }

    /// <summary>The query the store answers: the category replaced by the fields the rules read, its conditions left out.</summary>
    public static CostQuery Expand(CostQuery query, WorkloadCategories categories)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(categories);
        return query with
        {
            By = [.. query.By.Where(d => d is not WorkloadDimension), .. Fields(categories)],
            Where = query.Where.Where(f => f.Dimension is not WorkloadDimension).ToList(),
        };
    }

    /// <summary>Classifies each group of the expanded query's rows and sums them into the query's dimensions, category conditions applied.</summary>
    public static IReadOnlyList<CostRow> Collapse(CostQuery query, IReadOnlyList<CostRow> expanded, TagPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(expanded);
        ArgumentNullException.ThrowIfNull(policy);
        var categories = policy.Categories;
        var kept = query.By.Count(d => d is not WorkloadDimension);
        var columns = WorkloadCategories.Columns.Count;
        var conditions = query.Where.Where(f => f.Dimension is WorkloadDimension).ToList();
        var classified = new Dictionary<string, string>(StringComparer.Ordinal);
        var sums = new Dictionary<string, (DateTime? Period, string[] Values, string Currency, decimal Cost)>(StringComparer.Ordinal);
        foreach (var row in expanded)
        {
            var fields = row.Values.Skip(kept).ToArray();
            var id = string.Join('\u0001', fields);
            if (!classified.TryGetValue(id, out var category))
            {
                classified[id] = category = Classify(categories, fields, columns, policy.UntaggedLabel);
            }

            if (!conditions.All(c => Matches(c, category)))
            {
                continue;
            }

            var values = new string[query.By.Count];
            var next = 0;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = query.By[i] is WorkloadDimension ? category : row.Values[next++];
            }

            var group = $"{row.Period:O}\u0001{row.Currency}\u0001{string.Join('\u0001', values)}";
            sums[group] = sums.TryGetValue(group, out var sum)
                ? sum with { Cost = sum.Cost + row.Cost }
                : (row.Period, values, row.Currency, row.Cost);
        }

        return sums.Values.Select(s => new CostRow(s.Period, s.Values, s.Currency, s.Cost)).ToList();
    }

    /// <summary>
    /// The dimension key the allocated view and the hierarchy keep a row's category under: not a tag key (a tag can be
    /// called <c>category</c> and is read as one of the category's inputs), so the two never collide.
    /// </summary>
    public const string DimensionKey = "(category)";

    /// <summary>
    /// A billed group's category (it must carry <see cref="BilledCostRow.Workload"/>): its columns and its tags, as
    /// the tag policy resolved them into <paramref name="dimensions"/>, through the same classifier as <see cref="Collapse"/>.
    /// </summary>
    public static string Classify(TagPolicy policy, BilledCostRow row, IReadOnlyDictionary<string, string?> dimensions)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(dimensions);
        var workload = row.Workload ?? throw new ArgumentException("The billed row was queried without its workload fields.", nameof(row));
        string? Present(string? value) => string.IsNullOrEmpty(value) || value == policy.UntaggedLabel ? null : value;
        var columns = new Dictionary<CategoryField, string?>
        {
            [CategoryField.Provider] = Present(workload.ProviderName),
            [CategoryField.Service] = Present(row.ServiceName),
            [CategoryField.ServiceCategory] = Present(workload.ServiceCategory),
            [CategoryField.ResourceType] = Present(workload.ResourceType),
            [CategoryField.Sku] = Present(workload.SkuId),
            [CategoryField.UsageType] = Present(workload.UsageType),
            [CategoryField.Description] = Present(workload.ChargeDescription),
        };
        return policy.Categories.Classify(columns, key => Present(dimensions.GetValueOrDefault(policy.CanonicalKey(key))));
    }

    /// <summary>Whether a category passes the category conditions among <paramref name="filters"/> (others are not its to judge).</summary>
    public static bool Passes(IEnumerable<Filter> filters, string category)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return filters.Where(f => f.Dimension is WorkloadDimension).All(f => Matches(f, category));
    }

    private static IEnumerable<Dimension> Fields(WorkloadCategories categories) =>
        WorkloadCategories.Columns.Select(c => (Dimension)new ColumnDimension(c.Column))
            .Concat(categories.TagKeys.Select(k => new TagDimension(k)))
            .Concat(categories.RunTagKeys.Select(k => new TagDimension(k)));

    private static string Classify(WorkloadCategories categories, string[] fields, int columns, string untagged)
    {
        string? Value(int i) => fields[i] == MissingValue.None || fields[i] == untagged || fields[i].Length == 0 ? null : fields[i];
        var values = new Dictionary<CategoryField, string?>();
        for (var i = 0; i < columns; i++)
        {
            values[WorkloadCategories.Columns[i].Field] = Value(i);
        }

        // The tag fields follow the columns: the category tag keys, then the run tag keys (see Fields).
        var tagKeys = categories.TagKeys.Concat(categories.RunTagKeys).ToList();
        return categories.Classify(values, key =>
        {
            var at = tagKeys.IndexOf(key);
            return at < 0 ? null : Value(columns + at);
        });
    }

    private static bool Matches(Filter filter, string category)
    {
        var listed = filter.Values.Any(v => string.Equals(WorkloadCategories.Normalize(v), category, StringComparison.Ordinal));
        return filter.Operator is FilterOperator.Equal or FilterOperator.In ? listed : !listed;
    }
}
