namespace ModelMeter.Core.Forecasting;

/// <summary>
/// One day's cost of a scope, split into its daily run rate and its one-off charges (FOCUS ChargeCategory
/// <c>Purchase</c> or <c>Tax</c>: a savings-plan purchase or a month's tax is paid once, not every day).
/// </summary>
public readonly record struct DailyCost(DateOnly Day, decimal RunRate, decimal OneOff)
{
    public decimal Total => RunRate + OneOff;
}

/// <summary>Which charges are one-off: the one rule forecasts and anomaly detection share.</summary>
public static class OneOffCharges
{
    /// <summary>FOCUS charge categories that are not a daily run rate.</summary>
    public static readonly IReadOnlyList<string> Categories = ["Purchase", "Tax"];

    public static bool IsOneOff(string? chargeCategory) =>
        chargeCategory is not null && Categories.Contains(chargeCategory, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Days of a scope, contiguous (a day without charges is a zero), in order.</summary>
public static class DailySeries
{
    /// <summary>Fills the days from <paramref name="first"/> to <paramref name="last"/> (inclusive) that have no cost with zeros.</summary>
    public static IReadOnlyList<DailyCost> Contiguous(IEnumerable<DailyCost> days, DateOnly first, DateOnly last)
    {
        ArgumentNullException.ThrowIfNull(days);
        var byDay = new Dictionary<DateOnly, DailyCost>();
        foreach (var d in days)
        {
            byDay[d.Day] = byDay.TryGetValue(d.Day, out var seen) ? new DailyCost(d.Day, seen.RunRate + d.RunRate, seen.OneOff + d.OneOff) : d;
        }

        var list = new List<DailyCost>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            list.Add(byDay.TryGetValue(day, out var cost) ? cost : new DailyCost(day, 0m, 0m));
        }

        return list;
    }
}
