namespace ModelMeter.Core.Reporting;

/// <summary>One line of a cost report: group values (and period), cost, and share of its currency's total.</summary>
public sealed record CostLine(DateTime? Period, IReadOnlyList<string> Values, string Currency, decimal Cost, decimal Share);

/// <summary>
/// A cost explorer result ready to show: lines ordered by cost (or by period for a time series), the smallest
/// beyond <c>top</c> folded into <c>(other)</c>, shares and totals computed per currency. Currencies are never added.
/// </summary>
public sealed record CostTable(IReadOnlyList<string> Dimensions, TimeGrain? Grain, CostMetric Cost, IReadOnlyList<CostLine> Lines, IReadOnlyDictionary<string, decimal> Totals)
{
    public static CostTable Build(CostQuery query, IReadOnlyList<CostRow> rows, int? top)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rows);
        var totals = rows.GroupBy(r => r.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Cost), StringComparer.Ordinal);
        var keep = KeptGroups(rows, top);
        var lines = new List<CostLine>();
        foreach (var periodGroup in rows.GroupBy(r => (r.Period, r.Currency)))
        {
            decimal other = 0m;
            var hasOther = false;
            foreach (var row in periodGroup)
            {
                if (keep is null || keep.Contains(Key(row)))
                {
                    lines.Add(Line(row.Period, row.Values, row.Currency, row.Cost, totals));
                }
                else
                {
                    other += row.Cost;
                    hasOther = true;
                }
            }

            if (hasOther)
            {
                var values = Enumerable.Repeat(MissingValue.Other, query.By.Count).ToArray();
                lines.Add(Line(periodGroup.Key.Period, values, periodGroup.Key.Currency, other, totals));
            }
        }

        var ordered = query.Grain is null
            ? lines.OrderBy(l => l.Currency, StringComparer.Ordinal).ThenBy(l => l.Values.All(v => v == MissingValue.Other) ? 1 : 0).ThenByDescending(l => l.Cost).ThenBy(l => string.Join('\u0001', l.Values), StringComparer.Ordinal)
            : lines.OrderBy(l => l.Period).ThenBy(l => l.Currency, StringComparer.Ordinal).ThenBy(l => l.Values.All(v => v == MissingValue.Other) ? 1 : 0).ThenByDescending(l => l.Cost).ThenBy(l => string.Join('\u0001', l.Values), StringComparer.Ordinal);
        return new CostTable(query.By.Select(d => d.Label).ToList(), query.Grain, query.Cost, ordered.ToList(), totals);
    }

    private static CostLine Line(DateTime? period, IReadOnlyList<string> values, string currency, decimal cost, Dictionary<string, decimal> totals)
    {
        var total = totals[currency];
        var share = total == 0m ? 0m : cost / total;
        return new CostLine(period, values, currency, cost, share);
    }

    /// <summary>The groups kept by <c>--top N</c>: the N largest by cost over the whole period, per currency.</summary>
    private static HashSet<string>? KeptGroups(IReadOnlyList<CostRow> rows, int? top)
    {
        if (top is not { } n || rows.Count == 0 || rows[0].Values.Count == 0)
        {
            return null;
        }

        return rows.GroupBy(Key, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Currency: g.First().Currency, Cost: g.Sum(r => r.Cost)))
            .GroupBy(g => g.Currency, StringComparer.Ordinal)
            .SelectMany(c => c.OrderByDescending(g => g.Cost).ThenBy(g => g.Key, StringComparer.Ordinal).Take(n))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string Key(CostRow row) => row.Currency + '\u0001' + string.Join('\u0001', row.Values);
}
