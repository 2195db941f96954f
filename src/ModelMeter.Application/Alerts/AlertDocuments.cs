using ModelMeter.Application.Anomalies;

namespace ModelMeter.Application.Alerts;

/// <summary>
/// A finding as every sink receives it (the webhook's JSON body, the command's stdin): a budget threshold crossed in
/// a period, a budget's enforcement action, or an anomaly.
/// </summary>
/// <param name="Key">What makes it one finding: sent once per sink, ever (<c>budget:search:2026-11:actual:80</c>).</param>
/// <param name="Kind"><c>budget_threshold</c>, <c>budget_action</c> or <c>anomaly</c>.</param>
/// <param name="Severity"><c>critical</c> (a budget exceeded), <c>warning</c> (forecast over, an anomaly) or <c>info</c> (a lower threshold).</param>
/// <param name="Title">One line for people.</param>
/// <param name="Summary">What happened, why and who owns it, in a sentence or two.</param>
public sealed record AlertFinding(
    string Key,
    string Kind,
    string Severity,
    string Title,
    string Summary,
    DateTime DetectedAt,
    BudgetFinding? Budget,
    AnomalyDocument? Anomaly);

/// <summary>The budget side of a finding.</summary>
/// <param name="Threshold">Percent of the amount; with <see cref="ThresholdKind"/> <c>actual</c> or <c>forecast</c>.</param>
/// <param name="Percent">Where the spend (or forecast) is, percent of the amount.</param>
public sealed record BudgetFinding(
    string Name,
    string Scope,
    string Period,
    string ThresholdKind,
    decimal Threshold,
    decimal Percent,
    string Currency,
    decimal Amount,
    decimal Spent,
    decimal Forecast,
    decimal Lower,
    decimal Upper,
    DateOnly? ReachesAmountOn,
    string? Owner,
    string? Team);

/// <summary><c>modelmeter alert --format json</c>: what this run found and what it did with each delivery.</summary>
/// <param name="RunId">This run's id (the claim it holds on the deliveries it sends).</param>
/// <param name="DryRun">Nothing was sent, run or changed.</param>
/// <param name="Skipped">Another process held the store for the whole wait: this run did nothing.</param>
public sealed record AlertReport(string RunId, bool DryRun, bool Skipped, IReadOnlyList<AlertFinding> Findings, IReadOnlyList<DeliveryDocument> Deliveries)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Deliveries that failed this run (retried by the next).</summary>
    public int Failed => Deliveries.Count(d => d.Status == "failed");
}

/// <summary>One finding's delivery to one sink in this run.</summary>
/// <param name="Status"><c>sent</c>, <c>failed</c> (retried next run), <c>already_sent</c>, <c>would_send</c> (dry run),
/// <c>busy</c> (another run is sending it), <c>unknown_sink</c>.</param>
/// <param name="Message">For the stdout sink: the line printed.</param>
public sealed record DeliveryDocument(string FindingKey, string Sink, string Kind, string Status, int Attempts, string? Error, string? Message);
