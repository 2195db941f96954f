namespace ModelMeter.Core.Allocation;

/// <summary>
/// A cost pool row as the store's SQL aggregation returns it: one period (a UTC day), one currency, and the
/// identity the rules select on. <see cref="Dimensions"/> holds the normalised tag keys (after the tag policy,
/// inheritance included) and any FOCUS columns a report groups by; a missing or null value means untagged.
/// </summary>
/// <param name="Period">The UTC day of the charge period (the store aggregates to days).</param>
/// <param name="Currency">ISO 4217 billing currency.</param>
/// <param name="Amount">Summed cost (EffectiveCost unless asked otherwise); negative for credits.</param>
/// <param name="ServiceName">FOCUS <c>ServiceName</c>.</param>
/// <param name="ResourceId">FOCUS <c>ResourceId</c>.</param>
/// <param name="SubAccountId">FOCUS <c>SubAccountId</c>.</param>
/// <param name="AllocatedMethodId">FOCUS 1.3 <c>AllocatedMethodId</c>: when present the provider already split the row;
/// its <see cref="Dimensions"/> must then carry the allocated tags, and no rule splits it again.</param>
/// <param name="Dimensions">Normalised dimension values (tag keys such as <c>team</c>, <c>model</c>).</param>
public sealed record CostPoolRow(
    DateOnly Period,
    string Currency,
    decimal Amount,
    string? ServiceName,
    string? ResourceId,
    string? SubAccountId,
    string? AllocatedMethodId,
    IReadOnlyDictionary<string, string?> Dimensions)
{
    /// <summary>True when the provider already split this row (FOCUS 1.3 allocation columns).</summary>
    public bool IsProviderAllocated => !string.IsNullOrWhiteSpace(AllocatedMethodId);

    /// <summary>The row's value for a dimension, or null when it is untagged.</summary>
    public string? Dimension(string key) =>
        Dimensions.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}

/// <summary>
/// A measured usage value from <c>modelmeter import usage</c>: a metric (GPU-hours, GPU-seconds, requests, GB
/// stored) per period (UTC day) and per dimension values (team, model, workload, resource_id ...).
/// </summary>
public sealed record UsageSample(
    DateOnly Period,
    string Metric,
    decimal Value,
    IReadOnlyDictionary<string, string?> Dimensions)
{
    /// <summary>
    /// The UTC instant the sample was measured at (hourly series from Prometheus, nvidia-smi, an hourly usage CSV);
    /// null when only its day is known. Stores keep it so gauges can be read per hour (see ICostStore.QueryUsageStatistics).
    /// </summary>
    public DateTime? Start { get; init; }

    /// <summary>The sample's value for a dimension, or null when it has none.</summary>
    public string? Dimension(string key) =>
        Dimensions.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}

/// <summary>Helpers between the allocation rows and the rest of the core.</summary>
public static class CostPoolRowExtensions
{
    /// <summary>
    /// Converts every row to <paramref name="currency"/> at the rate of its own day (see <see cref="Monetary.ExchangeRateTable"/>),
    /// so rows in several billing currencies can be allocated and reported together. Without a table, keep currencies apart.
    /// </summary>
    /// <exception cref="Monetary.MissingExchangeRateException">A row's day has no usable rate.</exception>
    public static IReadOnlyList<CostPoolRow> ConvertTo(this IEnumerable<CostPoolRow> rows, string currency, Monetary.ExchangeRateTable rates)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rates);
        return rows.Select(r => r with { Amount = rates.Convert(r.Amount, r.Currency, currency, r.Period).Amount, Currency = currency }).ToList();
    }

    /// <summary>The line as a hierarchy row (for <c>report --by hierarchy --allocated</c>).</summary>
    public static Attribution.DimensionedAmount ToDimensionedAmount(this AllocatedLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new Attribution.DimensionedAmount(line.Dimensions, line.Amount, line.Currency);
    }

    /// <summary>The row as a hierarchy row (for <c>report --by hierarchy</c> on unallocated cost).</summary>
    public static Attribution.DimensionedAmount ToDimensionedAmount(this CostPoolRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new Attribution.DimensionedAmount(row.Dimensions, row.Amount, row.Currency);
    }
}
