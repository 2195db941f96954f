using ModelMeter.Core.Recommendations;

namespace ModelMeter.Application.Recommendations;

/// <summary>The <c>recommend</c> document: the window, the findings ranked by monthly saving, and the totals per currency.</summary>
/// <param name="From">First day of the window.</param>
/// <param name="To">Last day of the window (inclusive).</param>
/// <param name="MinSaving">The threshold applied (findings under it are counted in <paramref name="Hidden"/>).</param>
/// <param name="Hidden">Findings left out by the threshold.</param>
public sealed record RecommendationsReport(
    DateOnly From,
    DateOnly To,
    decimal MinSaving,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<RecommendationTotal> Totals,
    int Hidden)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The monthly saving of the findings listed, in one currency.</summary>
public sealed record RecommendationTotal(string Currency, decimal MonthlySaving, int Findings);

/// <summary>
/// The action plan <c>recommend --plan FILE</c> writes for other tools to execute: one action per finding listed, in the
/// findings' order (by monthly saving).
/// </summary>
/// <param name="GeneratedAt">When the plan was made (UTC).</param>
/// <param name="From">First day of the window the findings come from.</param>
/// <param name="To">Last day of that window.</param>
public sealed record RecommendationPlan(DateTime GeneratedAt, DateOnly From, DateOnly To, IReadOnlyList<PlannedAction> Actions);
