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
}
