namespace ModelMeter.Core.Recommendations;

/// <summary>Where an idle resource is in the 30/60-day policy. The order is the order in time: a state never moves back.</summary>
public enum IdleStage
{
    /// <summary>Seen idle; nothing is done yet.</summary>
    FirstSeen,

    /// <summary>Idle for <see cref="RecommendationSettings.IdleNotifyDays"/>: the owner is notified.</summary>
    Warned,

    /// <summary><see cref="RecommendationSettings.StopNoticeDays"/> before the stop is due: the stop is announced.</summary>
    StopAnnounced,

    /// <summary>Idle for <see cref="RecommendationSettings.IdleStopDays"/>: the stop is due.</summary>
    StopDue,

    /// <summary>The bill no longer charges it after the stop was due.</summary>
    Stopped,
}

/// <summary>A resource's idle-policy state as the store keeps it between runs.</summary>
/// <param name="FirstSeenIdle">The first day it was seen idle (day 0 of the policy).</param>
/// <param name="StopDue">The day the stop is due: first seen + the stop days.</param>
/// <param name="UpdatedOn">The day of the run that last moved it.</param>
public sealed record IdleState(string ResourceId, DateOnly FirstSeenIdle, IdleStage Stage, DateOnly StopDue, DateOnly UpdatedOn);

/// <summary>
/// The 30/60-day idle policy (the seed's 30-day rule): idle 30 days → notify the owner; a stop due at 60 days, announced
/// 7 days before. State moves only forward in time: a run on an earlier day than the last one changes nothing, and a
/// stage once reached is kept. A resource used again leaves the policy (null).
/// </summary>
public static class IdlePolicy
{
    /// <param name="previous">The stored state, or null when the resource is not in the policy.</param>
    /// <param name="idleSince">The first idle day this run's data shows (used when there is no stored state).</param>
    /// <param name="idleNow">Whether this run's data shows the resource idle.</param>
    /// <param name="billed">Whether the bill still charges it (false after it was stopped).</param>
    public static IdleState? Advance(IdleState? previous, string resourceId, bool idleNow, bool billed, DateOnly idleSince, DateOnly today, RecommendationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (previous is not null && today < previous.UpdatedOn)
        {
            return previous;
        }

        if (!billed)
        {
            return previous is { Stage: >= IdleStage.StopDue } ? previous with { Stage = IdleStage.Stopped, UpdatedOn = today } : null;
        }

        if (!idleNow)
        {
            return null;
        }

        var first = previous?.FirstSeenIdle ?? (idleSince > today ? today : idleSince);
        var days = today.DayNumber - first.DayNumber;
        var stage = days >= settings.IdleStopDays ? IdleStage.StopDue
            : days >= settings.IdleStopDays - settings.StopNoticeDays ? IdleStage.StopAnnounced
            : days >= settings.IdleNotifyDays ? IdleStage.Warned
            : IdleStage.FirstSeen;
        if (previous is not null && previous.Stage > stage)
        {
            stage = previous.Stage;
        }

        return new IdleState(resourceId, first, stage, first.AddDays(settings.IdleStopDays), today);
    }
}
