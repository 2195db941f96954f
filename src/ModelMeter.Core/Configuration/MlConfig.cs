#pragma warning disable CA2227, CA1002 // YAML binding classes: YamlDotNet sets these collections; the domain types built from them are read-only.

namespace ModelMeter.Core.Configuration;

/// <summary>The <c>runs:</c> section: where runs name their resource and instance type, and how metrics are judged.</summary>
public sealed class RunsConfig
{
    /// <summary>Run params or tags that name the billed resource (its FOCUS ResourceId); default resource_id.</summary>
    public List<string>? ResourceKeys { get; set; }

    /// <summary>Run params or tags that name the instance type (a catalogue key); default instance_type.</summary>
    public List<string>? InstanceTypeKeys { get; set; }

    /// <summary>Run params or tags with the number of instances; default instance_count, num_instances.</summary>
    public List<string>? CountKeys { get; set; }

    /// <summary>Run params or tags that name the estimator; default estimator, estimator_name, estimator_class, regressor, model_type.</summary>
    public List<string>? EstimatorKeys { get; set; }

    /// <summary>Experiment name → ResourceId, for runs that do not name their resource.</summary>
    public Dictionary<string, string> Resources { get; set; } = [];

    /// <summary>Metric name → which way is better and what a point is.</summary>
    public Dictionary<string, RunMetricConfig> Metrics { get; set; } = [];
}

public sealed class RunMetricConfig
{
    /// <summary><c>higher</c> or <c>lower</c> is better.</summary>
    public string? Direction { get; set; }

    /// <summary>What one point of the metric is (0.01: a percentage point of an accuracy in 0..1); default 1.</summary>
    public decimal? Point { get; set; }
}

/// <summary>One KPI under <c>kpis:</c>: a formula, its target and direction, and the goal it serves.</summary>
public sealed class KpiConfig
{
    /// <summary>What it means, in a sentence.</summary>
    public string? Description { get; set; }

    /// <summary>An arithmetic formula over named values: <c>cost(tag:model=ranker) / usage(predictions, model=ranker) * 1000</c>.</summary>
    public string? Formula { get; set; }

    /// <summary>The value it should reach; absent for a goal that only groups other KPIs.</summary>
    public decimal? Target { get; set; }

    /// <summary><c>below</c> (at most the target) or <c>above</c> (at least the target).</summary>
    public string? Direction { get; set; }

    /// <summary>The KPI (or goal) this one serves, for the KPI tree.</summary>
    public string? Parent { get; set; }

    /// <summary>The unit shown beside the value (<c>USD</c>, <c>%</c>, <c>ratio</c>).</summary>
    public string? Unit { get; set; }
}
