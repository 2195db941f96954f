#pragma warning disable CA2227, CA1002 // YAML binding: YamlDotNet sets the lists.

using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Configuration;

/// <summary>
/// <c>categories:</c> in <c>modelmeter.yaml</c>: how line items get their workload category. Read at query time, so a
/// change applies to costs already imported.
/// </summary>
public sealed class CategoriesConfig
{
    /// <summary>Tag keys whose value is the category, the first present winning (default <c>[workload, category]</c>).</summary>
    public List<string>? Tags { get; set; }

    /// <summary>Tag keys that mark compute as part of a run (default <c>[experiment, run, run_id, mlflow_run_id]</c>).</summary>
    public List<string>? RunTags { get; set; }

    /// <summary>Rules checked, in order, before the default rules.</summary>
    public List<CategoryRuleConfig> Rules { get; set; } = [];

    /// <summary>The classifier the section describes; a rule without a category or a field is refused with its place.</summary>
    public WorkloadCategories Build(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var rules = new List<CategoryRule>();
        for (var i = 0; i < (Rules ?? []).Count; i++)
        {
            var rule = Rules![i] ?? new CategoryRuleConfig();
            var where = $"{source}: categories.rules[{i}]";
            if (string.IsNullOrWhiteSpace(rule.Category))
            {
                throw new UserInputException($"{where} has no category; write category: inference (or training, storage, data_transfer, other, or your own).");
            }

            var match = new Dictionary<CategoryField, string>();
            void Add(CategoryField field, string? pattern)
            {
                if (!string.IsNullOrWhiteSpace(pattern))
                {
                    match[field] = pattern.Trim();
                }
            }

            Add(CategoryField.Provider, rule.Provider);
            Add(CategoryField.Service, rule.Service);
            Add(CategoryField.ServiceCategory, rule.ServiceCategory);
            Add(CategoryField.ResourceType, rule.ResourceType);
            Add(CategoryField.Sku, rule.Sku);
            Add(CategoryField.UsageType, rule.UsageType);
            Add(CategoryField.Description, rule.Description);
            Add(CategoryField.Run, rule.Run);
            if (match.Count == 0)
            {
                throw new UserInputException(
                    $"{where} (category {rule.Category}) matches nothing; give at least one of provider, service, service_category, resource_type, sku, usage_type, description, run (patterns with * and |).");
            }

            rules.Add(new CategoryRule(WorkloadCategories.Normalize(rule.Category), match));
        }

        var tags = Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
        var runTags = RunTags?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
        return new WorkloadCategories(tags, runTags, rules);
    }
}

/// <summary>One configured category rule: the category and the patterns its fields must match (all of them).</summary>
public sealed class CategoryRuleConfig
{
    public string? Category { get; set; }

    public string? Provider { get; set; }

    public string? Service { get; set; }

    public string? ServiceCategory { get; set; }

    public string? ResourceType { get; set; }

    public string? Sku { get; set; }

    public string? UsageType { get; set; }

    public string? Description { get; set; }

    public string? Run { get; set; }
}
