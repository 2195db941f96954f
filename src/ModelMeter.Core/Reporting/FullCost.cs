namespace ModelMeter.Core.Reporting;

/// <summary>One group's full cost: the amount of each <see cref="FullCost.Columns"/> column, the total and each column's share.</summary>
public sealed record FullCostLine(
    IReadOnlyList<string> Values,
    string Currency,
    IReadOnlyDictionary<string, decimal> Amounts,
    decimal Total,
    IReadOnlyDictionary<string, decimal> Shares);

/// <summary>
/// The whole cost of ML per group (<c>modelmeter tco --by tag:product</c>): the workload categories folded into the
/// columns of a TCO (cloud training, cloud inference, storage, transfer, personnel, data, tooling, other), what
/// <c>estimate</c>'s TCO model predicts, as actually paid. Every category lands in exactly one column, so the columns
/// add up to the report's total.
/// </summary>
public static class FullCost
{
    public static readonly IReadOnlyList<string> Columns =
        ["cloud_training", "cloud_inference", "storage", "transfer", "personnel", "data", "tooling", "other"];

    /// <summary>
    /// The column of a category: training and inference are cloud compute; data labelling and acquisition are data;
    /// licences and monitoring are tooling; on-premises hardware, unclassified cloud cost and any other word are other.
    /// </summary>
    public static string ColumnOf(string category) => category switch
    {
        WorkloadCategories.Training => "cloud_training",
        WorkloadCategories.Inference => "cloud_inference",
        WorkloadCategories.Storage => "storage",
        WorkloadCategories.DataTransfer => "transfer",
        "personnel" => "personnel",
        "data_labelling" or "data_acquisition" or "data" => "data",
        "licences" or "licenses" or "monitoring" or "tooling" => "tooling",
        _ => "other",
    };

    /// <summary>
    /// Folds rows grouped by the query's dimensions and, last, the category, into one line per group and currency,
    /// largest total first (ties by values).
    /// </summary>
    public static IReadOnlyList<FullCostLine> Build(IReadOnlyList<CostRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var groups = new Dictionary<string, (string[] Values, string Currency, Dictionary<string, decimal> Amounts)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var values = row.Values.Take(row.Values.Count - 1).ToArray();
            var key = row.Currency + "\u0001" + string.Join('\u0001', values);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (values, row.Currency, Columns.ToDictionary(c => c, _ => 0m, StringComparer.Ordinal));
            }

            var column = ColumnOf(row.Values[^1]);
            group.Amounts[column] += row.Cost;
        }

        return groups.Values
            .Select(g =>
            {
                var total = g.Amounts.Values.Sum();
                var shares = Columns.ToDictionary(c => c, c => total == 0m ? 0m : Math.Round(g.Amounts[c] / total, 6), StringComparer.Ordinal);
                return new FullCostLine(g.Values, g.Currency, g.Amounts, total, shares);
            })
            .OrderByDescending(l => l.Total)
            .ThenBy(l => string.Join('\u0001', l.Values), StringComparer.Ordinal)
            .ToList();
    }
}
