namespace ModelMeter.Core.Recommendations;

/// <summary>Runs every rule in order; a resource claimed by an earlier rule is not judged by later claiming rules.</summary>
public static class RecommendationEngine
{
    /// <summary>The rules, in the order they claim resources: idle first (stop beats resize), then resizing, then schedules.</summary>
    public static IReadOnlyList<IRecommendationRule> Rules { get; } =
    [
        new IdleRule(), new ScaleDownRule(), new SpotRule(), new OffHoursRule(), new LowGpuRule(), new BatchingRule(), new CommitmentRule(), new StorageTieringRule(), new TransferRule(), new UnattachedVolumeRule(), new UntaggedRule(),
    ];

    /// <summary>Every finding, ranked by monthly saving (then monthly cost, then id).</summary>
    public static IReadOnlyList<Finding> Run(RecommendationInput input, IReadOnlyList<IRecommendationRule>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var findings = new List<Finding>();
        foreach (var rule in rules ?? Rules)
        {
            var found = rule.Evaluate(input, claimed).ToList();
            findings.AddRange(found);
            if (rule.Claims)
            {
                claimed.UnionWith(found.SelectMany(f => f.Resources));
            }
        }

        return findings.OrderByDescending(f => f.MonthlySaving).ThenByDescending(f => f.MonthlyCost).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The rules that could judge nothing because the window holds none of a metric they need (keyed by resource_id),
    /// each with the needs it lacks, in the rules' order; empty when every rule had its metrics.
    /// </summary>
    public static IReadOnlyList<MetricGap> MissingMetrics(IReadOnlySet<string> measured, IReadOnlyList<IRecommendationRule>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(measured);
        return (rules ?? Rules)
            .Select(r => new MetricGap(r.Name, r.NeededMetrics.Where(need => !need.Any(measured.Contains)).ToList()))
            .Where(m => m.Needs.Count > 0)
            .ToList();
    }

    /// <summary>The warning <c>recommend</c> prints for <see cref="MissingMetrics"/>, or null when nothing is missing.</summary>
    public static string? MissingMetricsWarning(IReadOnlySet<string> measured, IReadOnlyList<IRecommendationRule>? rules = null)
    {
        var missing = MissingMetrics(measured, rules);
        if (missing.Count == 0)
        {
            return null;
        }

        var volume = missing.Any(m => m.Needs.Any(n => n.Contains(UsageMetrics.VolumeIoOps)))
            ? " The bill has no column that says a volume is attached (neither FOCUS nor CUR has one): only volume I/O samples (CloudWatch VolumeReadOps + VolumeWriteOps as volume_io_ops) tell an unattached volume."
            : "";
        var list = string.Join("; ", missing.Select(m => m.Rule + " (" + string.Join(", ", m.Needs.Select(n => string.Join(" or ", n))) + ")"));
        return $"No usage metrics keyed by resource_id in the window for these rules, which found nothing to judge: {list}. Import them with `import usage`, `import prometheus` or `import nvidia-smi`.{volume}";
    }
}

/// <summary>A rule that could judge nothing, and the metric needs (each met by any one of its metrics) the window lacks.</summary>
public sealed record MetricGap(string Rule, IReadOnlyList<IReadOnlyList<string>> Needs);
