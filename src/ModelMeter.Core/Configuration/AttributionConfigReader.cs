using System.Globalization;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Configuration;

/// <summary>
/// Turns the <c>tags:</c>, <c>hierarchy:</c> and <c>allocation:</c> sections into the domain types, checking them
/// with messages that name the file, the setting and what would be valid. <see cref="ConfigParser"/> calls
/// <see cref="Validate"/> so a bad rule fails when the config is read, not halfway through a report.
/// </summary>
public static class AttributionConfigReader
{
    public static void Validate(ModelMeterConfig config, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var policy = BuildTagPolicy(config, ResourceTagMap.Empty, sourceName);
        BuildRules(config, policy, sourceName);
        HierarchyLevels(config, policy, sourceName);
    }

    /// <summary>The tag policy. The CLI reads <c>tags.inherit.resources_file</c> and passes it parsed with <see cref="ResourceTagMap.Parse"/>.</summary>
    public static TagPolicy BuildTagPolicy(ModelMeterConfig config, ResourceTagMap? resources = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var source = sourceName ?? config.SourcePath ?? "modelmeter.yaml";
        var tags = config.Tags ?? new TagsConfig();
        var valueCase = ParseCase(tags.ValueCase, source, "tags.value_case");
        if (string.IsNullOrWhiteSpace(tags.UntaggedLabel))
        {
            throw new UserInputException($"{source}: tags.untagged_label is empty; untagged cost must have a visible name such as (untagged).");
        }

        var keys = new List<TagKeyPolicy>();
        foreach (var (name, key) in tags.Keys ?? [])
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new UserInputException($"{source}: tags.keys has an empty key name.");
            }

            var keyConfig = key ?? new TagKeyConfig();
            keys.Add(new TagKeyPolicy(name)
            {
                Aliases = keyConfig.Aliases ?? [],
                AllowedValues = keyConfig.Allowed,
                Case = keyConfig.Case is null ? null : ParseCase(keyConfig.Case, source, $"tags.keys.{name}.case"),
                ValueAliases = keyConfig.ValueAliases ?? [],
            });
        }

        var required = new List<RequiredTags>();
        var requiredConfig = tags.Required ?? [];
        for (var i = 0; i < requiredConfig.Count; i++)
        {
            var entry = requiredConfig[i] ?? new RequiredTagsConfig();
            if (entry.Keys is null || entry.Keys.Count == 0)
            {
                throw new UserInputException($"{source}: tags.required[{i}] (scope {entry.Scope}) lists no keys.");
            }

            required.Add(new RequiredTags(entry.Scope ?? "all", entry.Keys));
        }

        var accounts = (tags.Inherit?.Accounts ?? []).ToDictionary(
            a => a.Key,
            a => (IReadOnlyDictionary<string, string>)(a.Value ?? []),
            StringComparer.Ordinal);
        try
        {
            return new TagPolicy(keys, required, accounts, resources, valueCase, tags.StripPrefixes, tags.UntaggedLabel.Trim())
            {
                Categories = (config.Categories ?? new CategoriesConfig()).Build(source),
            };
        }
        catch (FormatException e)
        {
            throw new UserInputException($"{source}: tags.required: {e.Message}.", e);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"{source}: tags.keys: {e.Message}", e);
        }
    }

    /// <summary>The hierarchy levels, canonicalised by the tag policy (so <c>CostCenter</c> is <c>cost_center</c>).</summary>
    public static IReadOnlyList<string> HierarchyLevels(ModelMeterConfig config, TagPolicy policy, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        var source = sourceName ?? config.SourcePath ?? "modelmeter.yaml";
        var written = config.Hierarchy?.Levels ?? [.. HierarchyRollup.DefaultLevels];
        if (written.Count == 0)
        {
            throw new UserInputException($"{source}: hierarchy.levels is empty; list the levels from the top, e.g. [cost_center, team, model].");
        }

        var levels = written.Select(l => policy.CanonicalKey(l ?? string.Empty)).ToList();
        var duplicate = levels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 || g.Key.Length == 0);
        if (duplicate is not null)
        {
            throw new UserInputException(duplicate.Key.Length == 0
                ? $"{source}: hierarchy.levels has an empty level."
                : $"{source}: hierarchy.levels lists '{duplicate.Key}' twice (after alias normalisation).");
        }

        return levels;
    }

    /// <summary>The labels the engine writes, from the tag policy's untagged label.</summary>
    public static AllocationLabels Labels(TagPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new AllocationLabels { Untagged = policy.UntaggedLabel };
    }

    /// <summary>The allocation rules in the order written, with keys and values normalised by the tag policy.</summary>
    public static IReadOnlyList<AllocationRule> BuildRules(ModelMeterConfig config, TagPolicy policy, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        var source = sourceName ?? config.SourcePath ?? "modelmeter.yaml";
        var allocation = config.Allocation ?? new AllocationConfig();
        var defaultGrain = ParseGrain(allocation.Grain, $"{source}: allocation.grain");
        var writtenRules = allocation.Rules ?? [];
        var rules = new List<AllocationRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < writtenRules.Count; i++)
        {
            var written = writtenRules[i] ?? new AllocationRuleConfig();
            var name = written.Name?.Trim();
            var where = string.IsNullOrEmpty(name) ? $"{source}: allocation.rules[{i}]" : $"{source}: allocation.rules[{i}] ({name})";
            if (string.IsNullOrEmpty(name))
            {
                throw new UserInputException($"{where}: the rule has no name; give it one (it labels shares and (unallocated: <name>) lines).");
            }

            if (!names.Add(name))
            {
                throw new UserInputException($"{where}: another rule is already named '{name}'.");
            }

            if (written.Pool is null)
            {
                throw new UserInputException($"{where}: pool is missing; select the shared cost by service, resource_id, sub_account or tags.");
            }

            if (string.IsNullOrWhiteSpace(written.Target))
            {
                throw new UserInputException($"{where}: target is missing; name the dimension that receives the shares, e.g. target: team.");
            }

            var target = policy.CanonicalKey(written.Target);
            var method = written.Method?.Trim().ToUpperInvariant() switch
            {
                "EVEN" => AllocationMethod.Even,
                "PROPORTIONAL" => AllocationMethod.Proportional,
                "FIXED" => AllocationMethod.Fixed,
                "USAGE" => AllocationMethod.Usage,
                _ => throw new UserInputException($"{where}: method '{written.Method}' is not one of even, proportional, fixed, usage."),
            };

            var rule = new AllocationRule(name, Pool(written.Pool, policy), target, method)
            {
                Targets = written.Targets?.Select(t => policy.NormalizeValue(target, t) ?? string.Empty).ToList(),
                FixedPercentages = written.Shares?.ToDictionary(
                    s => policy.NormalizeValue(target, s.Key) ?? string.Empty,
                    s => s.Value,
                    StringComparer.Ordinal),
                Driver = written.Driver is null ? null : new UsageDriver(written.Driver.Metric?.Trim() ?? string.Empty)
                {
                    Where = Normalize(written.Driver.Where, policy),
                },
                Idle = written.Idle is null ? null : new IdleCapacity(ParseIdleMode(written.Idle.Mode, where))
                {
                    CapacityPerDay = written.Idle.CapacityPerDay,
                    CapacityMetric = string.IsNullOrWhiteSpace(written.Idle.CapacityMetric) ? null : written.Idle.CapacityMetric.Trim(),
                },
                Grain = written.Grain is null ? defaultGrain : ParseGrain(written.Grain, $"{where}: grain"),
            };

            if (rule.Targets?.Any(t => t.Length == 0) == true || rule.FixedPercentages?.ContainsKey(string.Empty) == true)
            {
                throw new UserInputException($"{where}: a target is empty.");
            }

            if (written.Shares is not null && rule.FixedPercentages!.Count != written.Shares.Count)
            {
                throw new UserInputException($"{where}: two shares name the same target after normalisation ({string.Join(", ", written.Shares.Keys)}).");
            }

            var problems = rule.Problems();
            if (problems.Count > 0)
            {
                throw new UserInputException($"{where}: {string.Join("; ", problems)}.");
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static PoolSelector Pool(PoolConfig pool, TagPolicy policy) => new()
    {
        ServiceName = Blank(pool.Service),
        ResourceIdPattern = Blank(pool.ResourceId),
        SubAccountId = Blank(pool.SubAccount),
        Tags = Normalize(pool.Tags, policy),
    };

    private static Dictionary<string, string> Normalize(Dictionary<string, string>? tags, TagPolicy policy) =>
        (tags ?? []).ToDictionary(
            t => policy.CanonicalKey(t.Key),
            t => policy.NormalizeValue(policy.CanonicalKey(t.Key), t.Value) ?? string.Empty,
            StringComparer.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ValueCase ParseCase(string? text, string source, string setting) => text?.Trim().ToUpperInvariant() switch
    {
        "LOWER" => ValueCase.Lower,
        "UPPER" => ValueCase.Upper,
        "PRESERVE" => ValueCase.Preserve,
        _ => throw new UserInputException($"{source}: {setting} '{text}' is not one of lower, upper, preserve."),
    };

    private static TimeGrain ParseGrain(string? text, string where) => text?.Trim().ToUpperInvariant() switch
    {
        "DAY" => TimeGrain.Day,
        "WEEK" => TimeGrain.Week,
        "MONTH" => TimeGrain.Month,
        _ => throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{where} '{text}' is not one of day, week, month.")),
    };

    private static IdleMode ParseIdleMode(string? text, string where) => text?.Trim().ToUpperInvariant() switch
    {
        "LINE" => IdleMode.Line,
        "SPREAD" => IdleMode.Spread,
        _ => throw new UserInputException($"{where}: idle.mode '{text}' is not one of line (an (idle) line) or spread (to the targets by the driver)."),
    };
}
