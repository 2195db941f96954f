using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Reporting;

/// <summary>A <c>tco</c>: the store, the grouping (default <c>tag:product</c>), the period and filters.</summary>
public sealed record TcoRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>The period, filters and grouping; <c>By</c> defaults to <c>tag:product</c> and must not name <c>category</c>.</summary>
    public CostQueryText Query { get; init; } = CostQueryText.Everything;
}

/// <summary>
/// The answer of <c>modelmeter tco</c> (<c>GET /api/v1/tco</c>): for each group, what it really cost, cloud and the rest
/// together, in the columns of a TCO, with each column's share of the group's total.
/// </summary>
/// <param name="Cost">The FOCUS cost column summed (<c>EffectiveCost</c> unless asked otherwise).</param>
/// <param name="Dimensions">The grouping, as written: <c>tag:product</c>.</param>
/// <param name="From">The first instant of the period (inclusive), or null for all time.</param>
/// <param name="To">The instant the period ends before (exclusive), or null.</param>
/// <param name="Columns">The columns, in order: <c>cloud_training</c>, <c>cloud_inference</c>, <c>storage</c>, <c>transfer</c>, <c>personnel</c>, <c>data</c>, <c>tooling</c>, <c>other</c>.</param>
/// <param name="Rows">One per group and currency, largest total first.</param>
/// <param name="Totals">Per currency, each column summed over the groups, and <c>total</c>: the report's total for the same period and filters.</param>
public sealed record TcoReport(
    string Cost,
    IReadOnlyList<string> Dimensions,
    DateTime? From,
    DateTime? To,
    IReadOnlyList<string> Columns,
    IReadOnlyList<TcoRow> Rows,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal>> Totals)
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One group of a <see cref="TcoReport"/>.</summary>
/// <param name="Values">The group's values, in the order of <see cref="TcoReport.Dimensions"/>.</param>
/// <param name="Amounts">Each column's cost.</param>
/// <param name="Total">The group's cost, the sum of the columns.</param>
/// <param name="Shares">Each column over the total, rounded to six places.</param>
public sealed record TcoRow(
    IReadOnlyList<string> Values,
    string Currency,
    IReadOnlyDictionary<string, decimal> Amounts,
    decimal Total,
    IReadOnlyDictionary<string, decimal> Shares);

/// <summary>
/// <c>modelmeter tco</c>: <c>report --by DIMENSIONS,category</c> folded into the columns of a TCO (<see cref="FullCost"/>),
/// read through the same tag policy and category rules as every report, so its totals are the report's.
/// </summary>
public sealed class TcoUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public TcoReport Run(TcoRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query with { By = string.IsNullOrWhiteSpace(request.Query.By) ? "tag:product" : request.Query.By };
        var query = request.Access.Restrict(text).ToQuery(environment.UtcNow);
        if (query.By.Any(d => d is WorkloadDimension))
        {
            throw new UserInputException("tco splits every group by category itself: leave category out of --by (tag:product, tag:team, ...).");
        }

        if (query.Grain is not null)
        {
            throw new UserInputException("tco reports one period: use --month, --from/--to or --last rather than --grain.");
        }

        using var opened = stores.Open(request.Store, StoreAccess.Read, "tco reads imported costs from it");
        var policy = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config)).Policy;
        var rows = opened.Store.QueryCosts(query with { By = [.. query.By, WorkloadDimension.Instance] }, policy);
        var lines = FullCost.Build(rows);
        var totals = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, decimal>)FullCost.Columns.Append("total").ToDictionary(
                c => c, c => c == "total" ? g.Sum(l => l.Total) : g.Sum(l => l.Amounts[c]), StringComparer.Ordinal),
            StringComparer.Ordinal);
        return new TcoReport(
            CostReport.CostColumn(query.Cost),
            query.By.Select(d => d.Label).ToList(),
            query.From,
            query.To,
            FullCost.Columns,
            lines.Select(l => new TcoRow(l.Values, l.Currency, l.Amounts, l.Total, l.Shares)).ToList(),
            totals);
    }
}
