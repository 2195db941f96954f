namespace ModelMeter.Core.Anomalies;

/// <summary>A known anomaly (planted in the demo, or labelled by a person): its days and the scope it is in.</summary>
/// <param name="Scope">The scope key it was planted in (<c>tag:team=search</c>), or empty for the whole bill.</param>
public sealed record LabelledAnomaly(DateOnly Start, DateOnly End, string Scope, string Cause);

/// <summary>How well a detector found the labelled anomalies.</summary>
public sealed record DetectorScore(string Detector, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public decimal Precision => TruePositives + FalsePositives == 0 ? 0m : Math.Round((decimal)TruePositives / (TruePositives + FalsePositives), 4);

    public decimal Recall => TruePositives + FalseNegatives == 0 ? 0m : Math.Round((decimal)TruePositives / (TruePositives + FalseNegatives), 4);

    public decimal F1 => Precision + Recall == 0m ? 0m : Math.Round(2m * Precision * Recall / (Precision + Recall), 4);

    public static DetectorScore operator +(DetectorScore a, DetectorScore b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new DetectorScore(a.Detector, a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives);
    }

    public static DetectorScore Add(DetectorScore a, DetectorScore b) => a + b;
}

/// <summary>
/// Precision, recall and F1 of a detector's alerts against labelled anomalies. An alert on a day of a labelled
/// anomaly in its scope finds it (the first such alert counts; more alerts for the same anomaly are false positives,
/// since each pages someone again); an alert on no labelled day is a false positive; a labelled anomaly no alert
/// found is a false negative. A step change is labelled by its first day, so a rule that keeps firing after it pays.
/// </summary>
public static class DetectorEvaluation
{
    /// <param name="detector">Its name.</param>
    /// <param name="alerts">Each alert's day and scope key (empty for the whole bill).</param>
    /// <param name="labels">The known anomalies.</param>
    /// <param name="from">Only labels from this day on count (the days the detector could judge).</param>
    public static DetectorScore Score(string detector, IEnumerable<(DateOnly Date, string Scope)> alerts, IReadOnlyList<LabelledAnomaly> labels, DateOnly? from = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(labels);
        var counted = labels.Where(l => from is null || l.End >= from).ToList();
        var found = new bool[counted.Count];
        int tp = 0, fp = 0;
        foreach (var (date, scope) in alerts.OrderBy(a => a.Date))
        {
            var match = counted.FindIndex(l => string.Equals(l.Scope, scope, StringComparison.Ordinal) && date >= l.Start && date <= l.End);
            if (match >= 0 && !found[match])
            {
                found[match] = true;
                tp++;
            }
            else
            {
                fp++;
            }
        }

        return new DetectorScore(detector, tp, fp, found.Count(f => !f));
    }
}
