namespace ModelMeter.Core.Reporting;

/// <summary>Which cost column a report sums. Reports use EffectiveCost unless asked otherwise.</summary>
public enum CostMetric
{
    Effective,
    Billed,
    List,
    Contracted,
}

public enum TimeGrain
{
    /// <summary>
    /// The UTC hour: for hourly bills (reports only; allocation works on days and longer). Budgets in a time zone read
    /// hours to fold them into their local days.
    /// </summary>
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>Something to group or filter by: a FOCUS column or a tag key.</summary>
public abstract record Dimension
{
    /// <summary>How the dimension is written on the command line and in output headers.</summary>
    public abstract string Label { get; }
}

/// <summary>A FOCUS column such as <c>ServiceCategory</c>.</summary>
public sealed record ColumnDimension(string Column) : Dimension
{
    public override string Label => Column;
}

/// <summary>A tag key such as <c>team</c>; the hierarchy's keys are stored as columns, any other key is read from the tag map.</summary>
public sealed record TagDimension(string Key) : Dimension
{
    public override string Label => "tag:" + Key;
}

public enum FilterOperator
{
    Equal,
    NotEqual,
    In,
    NotIn,
}

/// <summary>A <c>--where</c> condition. Missing values compare as <c>(untagged)</c> for tags and <c>(none)</c> for columns.</summary>
public sealed record Filter(Dimension Dimension, FilterOperator Operator, IReadOnlyList<string> Values);

/// <summary>A cost explorer question: costs grouped by dimensions (and a time grain), filtered, over a half-open period.</summary>
public sealed record CostQuery
{
    public IReadOnlyList<Dimension> By { get; init; } = [];

    public IReadOnlyList<Filter> Where { get; init; } = [];

    /// <summary>Inclusive start (UTC) on ChargePeriodStart, or null for all time.</summary>
    public DateTime? From { get; init; }

    /// <summary>Exclusive end (UTC) on ChargePeriodStart, or null for all time.</summary>
    public DateTime? To { get; init; }

    public TimeGrain? Grain { get; init; }

    public CostMetric Cost { get; init; } = CostMetric.Effective;
}

/// <summary>One aggregated cell from the store: the group's values, its period (when a grain was asked) and its cost.</summary>
public sealed record CostRow(DateTime? Period, IReadOnlyList<string> Values, string Currency, decimal Cost);

public static class MissingValue
{
    public const string Untagged = "(untagged)";
    public const string None = "(none)";
    public const string Other = "(other)";

    public static string For(Dimension dimension) => dimension is TagDimension ? Untagged : None;
}

/// <summary>
/// A cost cell grouped by the query's column dimensions and by raw tag set, account and resource, so a tag policy
/// (aliases, inheritance) can resolve the tags in C# before the cells are summed by tag value.
/// </summary>
public sealed record TaggedCostRow(
    DateTime? Period,
    IReadOnlyList<string> Values,
    IReadOnlyDictionary<string, string?> Tags,
    string? SubAccountId,
    string? ResourceId,
    string Currency,
    decimal Cost);
