using System.Globalization;
using System.Text.Json.Serialization;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Reporting;

/// <summary>
/// The cost explorer's answer (<c>modelmeter report</c>, <c>GET /api/v1/report</c>): one row per group (and period),
/// with its cost and share of its currency's total; totals per currency, never added across currencies.
/// </summary>
/// <param name="Cost">The FOCUS cost column summed: <c>EffectiveCost</c>, <c>BilledCost</c>, <c>ListCost</c> or <c>ContractedCost</c>.</param>
/// <param name="Grain">The time grain of <see cref="CostReportRow.Period"/>, or null for one row per group over the whole period.</param>
/// <param name="Dimensions">The grouping, as written: <c>tag:team</c>, <c>ServiceCategory</c>.</param>
/// <param name="From">The first instant of the period asked (inclusive), or null for all time.</param>
/// <param name="To">The instant the period ends before (exclusive), or null.</param>
public sealed record CostReport(
    string Cost,
    TimeGrain? Grain,
    IReadOnlyList<string> Dimensions,
    DateTime? From,
    DateTime? To,
    IReadOnlyList<CostReportRow> Rows,
    IReadOnlyDictionary<string, decimal> Totals)
{
    /// <summary>Notes for the person asking (how tags were read, what was left out), shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static CostReport Of(CostTable table, CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(query);
        var rows = table.Lines.Select(l => new CostReportRow(
            l.Period is { } p ? FormatPeriod(p, table.Grain) : null,
            l.Values,
            l.Currency,
            l.Cost,
            Math.Round(l.Share, 6))
        {
            DimensionNames = table.Dimensions,
        }).ToList();
        return new CostReport(CostColumn(table.Cost), table.Grain, table.Dimensions, query.From, query.To, rows, table.Totals);
    }

    /// <summary>A period label: <c>2026-10</c> for months, the first day (<c>2026-10-05</c>) for days and weeks.</summary>
    public static string FormatPeriod(DateTime period, TimeGrain? grain) => grain switch
    {
        TimeGrain.Month => period.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        TimeGrain.Hour => period.ToString("yyyy-MM-dd'T'HH:00'Z'", CultureInfo.InvariantCulture),
        _ => period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public static string CostColumn(CostMetric cost) => cost switch
    {
        CostMetric.Billed => "BilledCost",
        CostMetric.List => "ListCost",
        CostMetric.Contracted => "ContractedCost",
        _ => "EffectiveCost",
    };
}

/// <summary>
/// One group of a <see cref="CostReport"/>. In JSON each dimension is a key of its own, named as written in
/// <c>--by</c> (<c>"tag:team": "nlp"</c>), beside <c>period</c>, <c>currency</c>, <c>cost</c> and <c>share</c>.
/// </summary>
/// <param name="Period">The period's label (see <see cref="CostReport.FormatPeriod"/>), or null without a grain.</param>
/// <param name="Values">The group's values, in the order of <see cref="CostReport.Dimensions"/>; missing values are <c>(untagged)</c> or <c>(none)</c>.</param>
/// <param name="Share">Cost over the currency's total, rounded to six places.</param>
public sealed record CostReportRow(
    string? Period,
    [property: JsonIgnore] IReadOnlyList<string> Values,
    string Currency,
    decimal Cost,
    decimal Share)
{
    [JsonIgnore]
    public IReadOnlyList<string> DimensionNames { get; init; } = [];

    /// <summary>The values keyed by dimension, written as keys of the row in JSON.</summary>
    [JsonExtensionData]
    public IDictionary<string, object?> ByDimension
    {
        get
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < DimensionNames.Count && i < Values.Count; i++)
            {
                map[DimensionNames[i]] = Values[i];
            }

            return map;
        }
    }
}
