namespace ModelMeter.Application.Anomalies;

/// <summary><c>modelmeter anomalies --format json</c>: the anomalous days in the window, and with <c>--labels</c> how every detector scored.</summary>
/// <param name="From">First day looked at.</param>
/// <param name="To">Last day looked at (inclusive).</param>
/// <param name="MinImpact">The smallest increase reported, in each scope's currency.</param>
/// <param name="Threshold">The detector's score threshold.</param>
/// <param name="Evaluation">Precision, recall and F1 of each detector against <c>--labels</c>; null without.</param>
public sealed record AnomaliesReport(
    string Detector,
    DateOnly From,
    DateOnly To,
    decimal MinImpact,
    decimal Threshold,
    IReadOnlyList<string> Dimensions,
    IReadOnlyList<AnomalyDocument> Anomalies,
    IReadOnlyList<DetectorScoreDocument>? Evaluation)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One anomalous day of one scope.</summary>
/// <param name="Dimensions">The scope: dimension label → value (empty for the whole bill).</param>
/// <param name="Actual">The day's run-rate cost (one-off Purchase and Tax charges are not anomalies).</param>
/// <param name="Expected">What the detector expected.</param>
/// <param name="Impact">Actual − expected.</param>
/// <param name="Score">seasonal_mad: robust z-score (deviations in MAD-based standard deviations); wow: the rise over last week's same day (0.5 = +50%).</param>
/// <param name="Drivers">The children (resource, service, account, tags) whose rise explains most of it, largest first.</param>
public sealed record AnomalyDocument(
    DateOnly Date,
    IReadOnlyDictionary<string, string> Dimensions,
    string Currency,
    decimal Actual,
    decimal Expected,
    decimal Impact,
    decimal Score,
    string Detector,
    IReadOnlyList<DriverDocument> Drivers);

/// <summary>A child's part in an anomaly.</summary>
/// <param name="Share">Its impact over the anomaly's, 0 to 1.</param>
public sealed record DriverDocument(IReadOnlyDictionary<string, string> Dimensions, decimal Actual, decimal Expected, decimal Impact, decimal Share);

/// <summary>How a detector did against the labelled anomalies.</summary>
/// <param name="Labels">Labelled anomalies in the days it could judge.</param>
public sealed record DetectorScoreDocument(string Detector, int Labels, int Alerts, int TruePositives, int FalsePositives, int FalseNegatives, decimal Precision, decimal Recall, decimal F1);

/// <summary>The anomalies and the daily series they were found in (the dashboard's chart); not a CLI document.</summary>
/// <param name="Series">Each scope with an anomaly in the window: its daily run-rate cost over the window, in the report's scope order.</param>
public sealed record AnomaliesWithSeries(AnomaliesReport Report, IReadOnlyList<AnomalySeriesDocument> Series);

/// <summary>One scope's daily run-rate cost over the window (what the detector judged, one-off charges left out).</summary>
public sealed record AnomalySeriesDocument(IReadOnlyDictionary<string, string> Dimensions, string Currency, IReadOnlyList<AnomalySeriesDay> Days);

/// <summary>A day's run-rate cost.</summary>
public sealed record AnomalySeriesDay(DateOnly Date, decimal Actual);
