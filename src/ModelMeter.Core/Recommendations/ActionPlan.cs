namespace ModelMeter.Core.Recommendations;

/// <summary>One action of the plan: what to do to which resource by when, who owns it and what it is worth a month.</summary>
/// <param name="DueDate">The idle policy's stop date for an idle finding, else the run's day + the stop notice days.</param>
public sealed record PlannedAction(
    string FindingId,
    string Rule,
    string Resource,
    string Action,
    DateOnly DueDate,
    string? Owner,
    string? Team,
    decimal MonthlySaving,
    string Currency);

/// <summary>How findings become actions, and what the store keeps of them.</summary>
public static class ActionPlan
{
    /// <summary>One action per finding, in the findings' order; an action without a stop date is due after the usual notice.</summary>
    public static IReadOnlyList<PlannedAction> From(IEnumerable<Finding> findings, DateOnly today, RecommendationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(settings);
        return findings.Select(f => new PlannedAction(
                f.Id, f.Rule, f.Resources[0], f.Action, f.DueDate ?? today.AddDays(settings.StopNoticeDays), f.Owner, f.Team, f.MonthlySaving, f.Currency))
            .ToList();
    }
}

/// <summary>How far a recorded finding went: found by a run, written into a plan, or executed by <c>recommend --exec</c>.</summary>
public enum FindingActionKind
{
    Found,
    Planned,
    Executed,
}

/// <summary>
/// A finding as the store keeps it for <c>recommend --history</c>: its estimate and the resource's monthly cost when it was
/// first recorded (the baseline), and the day from which the bill should show the change.
/// </summary>
/// <param name="RecordedOn">The last day of the window of the run that first recorded it.</param>
/// <param name="ActionOn">The day the change counts from: the day after <paramref name="RecordedOn"/> when only found, the
/// plan's due date when planned, the day it ran when executed.</param>
public sealed record FindingRecord(
    string FindingId,
    string Rule,
    string ResourceId,
    string Currency,
    decimal EstimatedMonthlySaving,
    decimal BaselineMonthlyCost,
    DateOnly RecordedOn,
    FindingActionKind Kind,
    DateOnly ActionOn)
{
    /// <summary>
    /// A finding recorded again: the first estimate and baseline stay (the cost before any change); the action moves only
    /// forward (found → planned → executed), and a kind already reached keeps its first date.
    /// </summary>
    public static FindingRecord Merge(FindingRecord? stored, FindingRecord incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (stored is null)
        {
            return incoming;
        }

        return incoming.Kind > stored.Kind ? stored with { Kind = incoming.Kind, ActionOn = incoming.ActionOn } : stored;
    }
}

/// <summary>One command <c>recommend --exec</c> ran for one action, as the store keeps it.</summary>
/// <param name="ExitCode">The command's exit code; null when it was stopped at the timeout.</param>
public sealed record ActionRun(
    string FindingId,
    string ResourceId,
    string Action,
    string Command,
    DateTime StartedAt,
    DateTime FinishedAt,
    int? ExitCode,
    bool TimedOut);

/// <summary>The saving a recorded finding realised: its baseline against what the bill shows after the action date.</summary>
public static class RealisedSaving
{
    /// <summary>
    /// What the resource cost a month over [<paramref name="from"/>, <paramref name="to"/>] (every day counts, billed or not:
    /// a stopped resource costs 0): cost ÷ (days × 24 h) × hours a month; for storage billed by the GB-month, what is stored
    /// on the last billed day × days in its month × the price per GB-month, as the rules count the baseline.
    /// </summary>
    public static decimal ObservedMonthlyCost(IReadOnlyList<PoolDay> days, string? pricingUnit, DateOnly from, DateOnly to, decimal monthlyHours)
    {
        ArgumentNullException.ThrowIfNull(days);
        var inside = days.Where(d => d.Day >= from && d.Day <= to).OrderBy(d => d.Day).ToList();
        if (pricingUnit?.Contains("GB-Mo", StringComparison.OrdinalIgnoreCase) == true)
        {
            var quantity = inside.Sum(d => d.Quantity);
            if (inside.Count == 0 || quantity == 0m || inside[^1].Day < to)
            {
                return 0m;
            }

            var last = inside[^1];
            return last.Quantity * DateTime.DaysInMonth(last.Day.Year, last.Day.Month) * (inside.Sum(d => d.Cost) / quantity);
        }

        var hours = (to.DayNumber - from.DayNumber + 1) * 24m;
        return hours <= 0m ? 0m : inside.Sum(d => d.Cost) / hours * monthlyHours;
    }
}
