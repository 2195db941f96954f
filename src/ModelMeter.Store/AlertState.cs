namespace ModelMeter.Store;

/// <summary>Where a delivery of a finding to a sink is.</summary>
public enum AlertDeliveryStatus
{
    /// <summary>Recorded, not yet attempted.</summary>
    Pending,

    /// <summary>Claimed by a run that is sending it now.</summary>
    Sending,

    /// <summary>Delivered: never sent again.</summary>
    Sent,

    /// <summary>Every attempt of a run failed: the next run tries again.</summary>
    Failed,
}

/// <summary>
/// One finding (a budget threshold crossed in a period, an anomaly, an enforcement action) for one sink, as the store
/// keeps it so that every finding is sent once: <see cref="FindingKey"/> and <see cref="Sink"/> identify it.
/// </summary>
/// <param name="Kind"><c>budget</c>, <c>anomaly</c> or <c>action</c>.</param>
/// <param name="Payload">The finding as JSON: what is sent, and resent by a later run after a failure.</param>
/// <param name="ClaimedBy">The run that claimed it last.</param>
public sealed record AlertDelivery(
    string FindingKey,
    string Sink,
    string Kind,
    string Payload,
    AlertDeliveryStatus Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? LastAttemptAt,
    DateTime? SentAt,
    string? LastError,
    string? ClaimedBy);

/// <summary>A budget's closed period as it ended, kept so history survives the period reset.</summary>
/// <param name="Period">Its label (<c>2026-10</c>, <c>2026-Q3</c>, <c>2026</c>).</param>
/// <param name="Status"><c>ok</c>, <c>warning</c> or <c>over</c>.</param>
public sealed record BudgetPeriodRecord(
    string Budget,
    string Period,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string TimeZone,
    string Currency,
    decimal Amount,
    decimal Spent,
    string Status,
    DateTime RecordedAt);
