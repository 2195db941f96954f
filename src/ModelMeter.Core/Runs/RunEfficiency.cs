using System.Globalization;

namespace ModelMeter.Core.Runs;

public enum MetricDirection
{
    Higher,
    Lower,
}

/// <summary>A metric runs are judged on: which way is better, and what one "point" of it is (0.01 for an accuracy of 0..1).</summary>
/// <param name="DirectionSource"><c>config</c>, or <c>inferred from the name</c>.</param>
public sealed record MetricGoal(string Metric, MetricDirection Direction, decimal Point, string DirectionSource)
{
    /// <summary>
    /// The direction a metric's name says when the config does not: losses and errors are better lower; a name with
    /// sklearn's <c>neg_</c> prefix (a sign-flipped error, higher is better) or anything else is better higher.
    /// </summary>
    public static MetricDirection InferDirection(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var name = metric.ToLowerInvariant();
        if (name.StartsWith("neg_", StringComparison.Ordinal) || name.Contains("_score", StringComparison.Ordinal) || name.EndsWith("score", StringComparison.Ordinal))
        {
            return MetricDirection.Higher;
        }

        string[] lower = ["loss", "error", "mse", "rmse", "mae", "mape", "perplexity", "wer", "cer", "latency", "time"];
        return lower.Any(w => name.Contains(w, StringComparison.Ordinal)) ? MetricDirection.Lower : MetricDirection.Higher;
    }
}

/// <summary>A run's value of the chosen metric, against the best earlier finished run of its experiment.</summary>
/// <param name="Value">The usable value; null when the run did not log it or logged NaN, infinity or an overflow.</param>
/// <param name="Invalid">The raw value, when it was logged but is not usable (NaN, ±infinity, overflow).</param>
/// <param name="PreviousBest">The best usable value of finished runs of the experiment that ended before this one started.</param>
/// <param name="Gain">Points gained over it (positive is better, whatever the direction); null without both values.</param>
/// <param name="CostPerPoint">The run's cost ÷ its gain, when it gained; null otherwise (never a division by zero).</param>
public sealed record RunMetricResult(string RunId, decimal? Value, double? Invalid, decimal? PreviousBest, decimal? Gain, decimal? CostPerPoint);

/// <summary>Training cost efficiency: what each point of a metric gained over the previous best run cost.</summary>
public static class RunEfficiency
{
    public static IReadOnlyList<RunMetricResult> Evaluate(IReadOnlyList<CostedRun> runs, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(goal);
        if (goal.Point <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A metric point must be positive (got {goal.Point})."), nameof(goal));
        }

        var results = new Dictionary<string, RunMetricResult>(StringComparer.Ordinal);
        foreach (var experiment in runs.GroupBy(r => r.Run.ExperimentName, StringComparer.Ordinal))
        {
            var finished = experiment
                .Where(r => r.Run.Status == RunStatus.Finished && r.Window is not null && Value(r, goal.Metric).Usable is not null)
                .Select(r => (End: r.Window!.Value.End, Value: Value(r, goal.Metric).Usable!.Value))
                .ToList();
            foreach (var run in experiment)
            {
                var (usable, invalid) = Value(run, goal.Metric);
                decimal? best = null;
                if (run.Window is { } window)
                {
                    foreach (var earlier in finished.Where(f => f.End <= window.Start))
                    {
                        best = best is null ? earlier.Value : Better(earlier.Value, best.Value, goal.Direction);
                    }
                }

                decimal? gain = usable is { } v && best is { } b
                    ? (goal.Direction == MetricDirection.Higher ? v - b : b - v) / goal.Point
                    : null;
                decimal? perPoint = gain is > 0 && run.Cost is { } cost ? cost / gain.Value : null;
                results[run.Run.RunId] = new RunMetricResult(run.Run.RunId, usable, invalid, best, gain, perPoint);
            }
        }

        return runs.Select(r => results[r.Run.RunId]).ToList();
    }

    private static decimal Better(decimal a, decimal b, MetricDirection direction) =>
        direction == MetricDirection.Higher ? Math.Max(a, b) : Math.Min(a, b);

    private static (decimal? Usable, double? Invalid) Value(CostedRun run, string metric)
    {
        if (run.Run.Metric(metric) is not { } logged)
        {
            return (null, null);
        }

        var usable = RunMetricValues.Usable(logged.Value);
        return usable is null ? (null, logged.Value) : (usable, null);
    }
}
