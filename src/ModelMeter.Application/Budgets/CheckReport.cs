using System.Text.Json.Serialization;
using ModelMeter.Core.Budgets;

namespace ModelMeter.Application.Budgets;

/// <summary>
/// The CI cost gate's verdict (<c>modelmeter check --format json</c>): the priced items and their total against the
/// budget, or against what a budget scope has left this period, and against a baseline.
/// </summary>
/// <param name="Verdict"><c>within budget</c>, <c>over budget</c>, <c>over the allowed increase</c>, or both.</param>
/// <param name="SpentToDate">With a scope: its spend so far this period (imported actuals, EffectiveCost); else null.</param>
/// <param name="Scope">The budget scope's conditions as written, joined with <c>and</c>; null without one.</param>
/// <param name="Period">The budget period's label (<c>2026-11</c>, <c>2026-Q4</c>, <c>2026</c>).</param>
/// <param name="PeriodEnd">The day the period ends before (exclusive).</param>
/// <param name="SpentAsOf">The last day counted (today, UTC).</param>
/// <param name="ActualsThrough">Where the store's imported actuals end: later charges are not counted yet.</param>
/// <param name="Available">The budget less spend to date.</param>
/// <param name="Headroom">Available less the total: negative when over.</param>
/// <param name="IncreasePercent">The total's change over the baseline, in percent, four places; null without a baseline or when it is zero.</param>
/// <param name="Reasons">Why the check failed, one sentence each.</param>
public sealed record CheckReport(
    bool Passed,
    string Verdict,
    string Currency,
    decimal Total,
    decimal Budget,
    decimal? SpentToDate,
    string? Scope,
    string? Period,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    DateOnly? SpentAsOf,
    DateTime? ActualsThrough,
    decimal Available,
    decimal Headroom,
    decimal? BaselineTotal,
    decimal? IncreasePercent,
    decimal? MaxIncreasePercent,
    bool OverBudget,
    bool OverMaxIncrease,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<CheckReportItem> Items,
    IReadOnlyList<CheckReportItem>? BaselineItems)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The pull-request comment (<c>--format markdown</c>, <c>--markdown-out</c>).</summary>
    [JsonIgnore]
    public string Markdown { get; init; } = "";

    /// <summary>The check, for the terminal table.</summary>
    [JsonIgnore]
    public BudgetCheckResult Result { get; init; } = null!;

    public static CheckReport Of(BudgetCheckResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var basis = r.Input.SpentBasis;
        return new CheckReport(
            r.Passed,
            BudgetCheck.Verdict(r),
            r.Total.Currency,
            r.Total.Amount,
            r.Input.Budget.Amount,
            r.Input.SpentToDate?.Amount,
            basis?.Scope.Label,
            basis?.Period.Label,
            basis?.Period.Start,
            basis?.Period.End,
            basis?.AsOf,
            basis?.ActualsThrough,
            r.Available.Amount,
            r.Headroom.Amount,
            r.BaselineTotal?.Amount,
            r.IncreasePercent is { } p ? Math.Round(p, 4) : null,
            r.Input.MaxIncreasePercent,
            r.OverBudget,
            r.OverMaxIncrease,
            r.Reasons,
            r.Input.Items.Select(CheckReportItem.Of).ToList(),
            r.Input.Baseline?.Select(CheckReportItem.Of).ToList())
        {
            Markdown = BudgetCheck.ToMarkdown(r),
            Result = r,
        };
    }
}

/// <summary>One priced item: a spec's headline figure, or the total given.</summary>
/// <param name="Spec">The spec file, or <c>--total</c>.</param>
/// <param name="Figure">Which figure of the spec was taken (and which scenario).</param>
public sealed record CheckReportItem(string Name, string Spec, string Figure, decimal Amount)
{
    public static CheckReportItem Of(CheckItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new CheckReportItem(item.Name, item.Origin, item.Figure, item.Amount.Amount);
    }
}
