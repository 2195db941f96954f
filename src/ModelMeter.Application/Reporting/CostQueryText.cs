using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Reporting;

/// <summary>
/// The cost explorer's question as the user writes it, in the CLI's option spelling (<c>--by</c>, <c>--where</c>,
/// <c>--from/--to</c>, <c>--last</c>, <c>--month</c>, <c>--grain</c>, <c>--cost</c>) and the API's query parameters.
/// Every host passes the text; it is parsed here, in one place.
/// </summary>
public sealed record CostQueryText
{
    public static readonly CostQueryText Everything = new();

    public string? By { get; init; }

    public IReadOnlyList<string> Where { get; init; } = [];

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Last { get; init; }

    public string? Month { get; init; }

    public string? Grain { get; init; }

    public string? Cost { get; init; }

    /// <summary>The parsed query; periods relative to "now" (<c>--last 30d</c>) use <paramref name="nowUtc"/>.</summary>
    public CostQuery ToQuery(DateTime nowUtc)
    {
        var (from, to) = ReportArguments.ParsePeriod(From, To, Last, Month, nowUtc);
        return new CostQuery
        {
            By = ReportArguments.ParseBy(By),
            Where = Where.Select(ReportArguments.ParseFilter).ToList(),
            From = from,
            To = to,
            Grain = ReportArguments.ParseGrain(Grain),
            Cost = ReportArguments.ParseCost(Cost),
        };
    }
}
