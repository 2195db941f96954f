#pragma warning disable CA2227, CA1002 // YAML binding classes: YamlDotNet sets these collections; the domain types built from them are read-only.

namespace ModelMeter.Core.Configuration;

/// <summary>The <c>tags:</c> section: the tag policy. See docs/allocation.md.</summary>
public sealed class TagsConfig
{
    /// <summary><c>lower</c> (default), <c>upper</c> or <c>preserve</c>: how values are cased after trimming.</summary>
    public string ValueCase { get; set; } = "lower";

    /// <summary>Extra key prefixes dropped after the namespace (<c>app.kubernetes.io/</c>); the namespace before the first <c>:</c> is always dropped.</summary>
    public List<string>? StripPrefixes { get; set; }

    /// <summary>What reports call a missing value.</summary>
    public string UntaggedLabel { get; set; } = "(untagged)";

    /// <summary>Canonical key → its aliases, allowed values, case and value aliases.</summary>
    public Dictionary<string, TagKeyConfig?> Keys { get; set; } = [];

    /// <summary>Required keys per scope (<c>all</c>, <c>environment=prod</c>).</summary>
    public List<RequiredTagsConfig> Required { get; set; } = [];

    public TagInheritanceConfig Inherit { get; set; } = new();
}

public sealed class TagKeyConfig
{
    public List<string> Aliases { get; set; } = [];

    /// <summary>Allowed values; absent allows any.</summary>
    public List<string>? Allowed { get; set; }

    /// <summary>Overrides <c>tags.value_case</c> for this key.</summary>
    public string? Case { get; set; }

    /// <summary>Spelling → canonical value (<c>production: prod</c>).</summary>
    public Dictionary<string, string> ValueAliases { get; set; } = [];
}

public sealed class RequiredTagsConfig
{
    public string Scope { get; set; } = "all";

    public List<string> Keys { get; set; } = [];
}

public sealed class TagInheritanceConfig
{
    /// <summary><c>SubAccountId</c> → tags every resource of the account inherits where it has none.</summary>
    public Dictionary<string, Dictionary<string, string>> Accounts { get; set; } = [];

    /// <summary>A CSV of resource tags (<c>resource_id,key,value</c> or <c>resource_id,team,model,...</c>), relative to the config file.</summary>
    public string? ResourcesFile { get; set; }
}

/// <summary>The <c>hierarchy:</c> section.</summary>
public sealed class HierarchyConfig
{
    /// <summary>Levels from the top; default <c>cost_center, team, product, model, environment, experiment</c>.</summary>
    public List<string>? Levels { get; set; }
}

/// <summary>The <c>allocation:</c> section: shared-cost rules, applied in the order written.</summary>
public sealed class AllocationConfig
{
    /// <summary>Default period of every rule: <c>day</c> (default), <c>week</c> or <c>month</c>.</summary>
    public string Grain { get; set; } = "day";

    public List<AllocationRuleConfig> Rules { get; set; } = [];
}

public sealed class AllocationRuleConfig
{
    public string? Name { get; set; }

    public PoolConfig? Pool { get; set; }

    /// <summary>The dimension whose values receive the shares, e.g. <c>team</c>.</summary>
    public string? Target { get; set; }

    /// <summary><c>even</c>, <c>proportional</c>, <c>fixed</c> or <c>usage</c>.</summary>
    public string? Method { get; set; }

    /// <summary>For even and proportional: who shares (default: every tagged value with direct cost in the period).</summary>
    public List<string>? Targets { get; set; }

    /// <summary>For fixed: target → percentage, summing to 100.</summary>
    public Dictionary<string, decimal>? Shares { get; set; }

    public DriverConfig? Driver { get; set; }

    public IdleConfig? Idle { get; set; }

    /// <summary>Overrides <c>allocation.grain</c>.</summary>
    public string? Grain { get; set; }
}

public sealed class PoolConfig
{
    /// <summary>FOCUS ServiceName (case-insensitive).</summary>
    public string? Service { get; set; }

    /// <summary>A glob over ResourceId: <c>*</c> any run, <c>?</c> one character.</summary>
    public string? ResourceId { get; set; }

    /// <summary>FOCUS SubAccountId.</summary>
    public string? SubAccount { get; set; }

    /// <summary>Tag key → value the row must carry (after the tag policy).</summary>
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class DriverConfig
{
    /// <summary>The usage metric, as imported with <c>modelmeter import usage</c> (e.g. <c>gpu_hours</c>).</summary>
    public string? Metric { get; set; }

    /// <summary>Dimension values a usage sample must carry to count (e.g. <c>cluster: gpu-a</c>).</summary>
    public Dictionary<string, string>? Where { get; set; }
}

public sealed class IdleConfig
{
    /// <summary>Capacity in the driver's unit per billed day (8 GPUs → 192 GPU-hours).</summary>
    public decimal? CapacityPerDay { get; set; }

    /// <summary>Or a usage metric that carries the capacity (summed like the driver).</summary>
    public string? CapacityMetric { get; set; }

    /// <summary><c>line</c> (default): an <c>(idle)</c> line; <c>spread</c>: to the targets by the same driver.</summary>
    public string Mode { get; set; } = "line";
}
