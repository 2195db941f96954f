using ModelMeter.Core.Forecasting;

namespace ModelMeter.Core.Anomalies;

/// <summary>One child of an anomalous scope (a resource with its service, account and tags) and its part in the change.</summary>
/// <param name="Dimensions">What identifies the child: dimension label → value.</param>
/// <param name="Share">Its impact over the anomaly's impact, 0 to 1 (four places).</param>
public sealed record AnomalyDriver(IReadOnlyDictionary<string, string> Dimensions, decimal Actual, decimal Expected, decimal Impact, decimal Share);

/// <summary>
/// Root cause, as AWS Cost Anomaly Detection names it: the children of a scope whose cost rose most on the day,
/// each against its own expected cost (the median of the same weekday in the four weeks before), largest first.
/// </summary>
public static class Drivers
{
    private const int Weeks = 4;

    /// <param name="children">Each child's identity and its daily costs (days without cost may be missing).</param>
    /// <param name="date">The anomalous day.</param>
    /// <param name="impact">The anomaly's impact, for the shares.</param>
    /// <param name="top">How many drivers to keep.</param>
    public static IReadOnlyList<AnomalyDriver> Explain(
        IEnumerable<(IReadOnlyDictionary<string, string> Dimensions, IReadOnlyDictionary<DateOnly, decimal> Days)> children,
        DateOnly date,
        decimal impact,
        int top = 5)
    {
        ArgumentNullException.ThrowIfNull(children);
        return children
            .Select(c =>
            {
                var actual = c.Days.GetValueOrDefault(date);
                var expected = Robust.Median(Enumerable.Range(1, Weeks).Select(w => c.Days.GetValueOrDefault(date.AddDays(-7 * w))));
                return (c.Dimensions, Actual: actual, Expected: expected, Impact: actual - expected);
            })
            .Where(c => c.Impact > 0m)
            .OrderByDescending(c => c.Impact)
            .ThenBy(c => string.Join("|", c.Dimensions.Values), StringComparer.Ordinal)
            .Take(top)
            .Select(c => new AnomalyDriver(c.Dimensions, c.Actual, c.Expected, c.Impact, impact == 0m ? 0m : Math.Round(Math.Min(c.Impact / impact, 1m), 4)))
            .ToList();
    }
}
