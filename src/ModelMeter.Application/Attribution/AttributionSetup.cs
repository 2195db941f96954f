using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Attribution;

/// <summary>
/// The tag policy, hierarchy and allocation rules of one config, ready to use: the I/O side of attribution (reading
/// <c>tags.inherit.resources_file</c>, normalising stored usage through the policy), so Core stays free of it.
/// </summary>
public sealed class AttributionSetup
{
    private AttributionSetup(TagPolicy policy, IReadOnlyList<AllocationRule> rules, IReadOnlyList<string> levels)
    {
        Policy = policy;
        Rules = rules;
        Levels = levels;
        Engine = new AllocationEngine(AttributionConfigReader.Labels(policy));
    }

    public TagPolicy Policy { get; }

    public IReadOnlyList<AllocationRule> Rules { get; }

    public IReadOnlyList<string> Levels { get; }

    public AllocationEngine Engine { get; }

    /// <param name="config">The config.</param>
    /// <param name="baseDirectory">The folder paths in the config are relative to (the config file's; see <see cref="Configuration.ConfigLocator.BaseDirectory"/>).</param>
    public static AttributionSetup From(ModelMeterConfig config, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var resources = ResourceTagMap.Empty;
        if (config.Tags?.Inherit?.ResourcesFile is { Length: > 0 } file)
        {
            var path = Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(baseDirectory, file));
            if (!File.Exists(path))
            {
                throw new UserInputException($"{config.SourcePath ?? "modelmeter.yaml"}: tags.inherit.resources_file '{file}' does not exist (looked for {path}).");
            }

            resources = ResourceTagMap.Parse(Configuration.ConfigLocator.ReadText(path, path), path);
        }

        var policy = AttributionConfigReader.BuildTagPolicy(config, resources);
        return new AttributionSetup(policy, AttributionConfigReader.BuildRules(config, policy), AttributionConfigReader.HierarchyLevels(config, policy));
    }

    /// <summary>Stored (raw) usage samples with their dimension keys and values normalised by the policy, like tags.</summary>
    public IReadOnlyList<UsageSample> Normalize(IEnumerable<UsageSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples.Select(s =>
        {
            var dimensions = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in s.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                var canonical = Policy.CanonicalKey(key);
                if (Policy.NormalizeValue(canonical, value) is { } normalized)
                {
                    dimensions.TryAdd(canonical, normalized);
                }
            }

            return s with { Dimensions = dimensions };
        }).ToList();
    }

    /// <summary>
    /// The query's billing rows through the tag policy, converted to a reporting currency when asked. Rows queried with
    /// their workload fields also carry their category, as <see cref="WorkloadReport.DimensionKey"/>.
    /// </summary>
    public IReadOnlyList<CostPoolRow> Attribute(IReadOnlyList<BilledCostRow> rows, CurrencyConversion? conversion = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var attributed = CostAttribution.Attribute(Policy, rows);
        if (rows.Count > 0 && rows[0].Workload is not null)
        {
            attributed = attributed.Select((row, i) => row with
            {
                Dimensions = new Dictionary<string, string?>(row.Dimensions, StringComparer.Ordinal)
                {
                    [WorkloadReport.DimensionKey] = WorkloadReport.Classify(Policy, rows[i], row.Dimensions),
                },
            }).ToList();
        }

        return conversion is null ? attributed : attributed.ConvertTo(conversion.Currency, conversion.Rates);
    }

    /// <summary>
    /// The query's billing rows through the tag policy: with their workload fields (and so their category) when the
    /// query groups or filters by it; its tag and category conditions left to the caller (they apply after attribution).
    /// </summary>
    public IReadOnlyList<CostPoolRow> Billed(ICostStore store, CostQuery query, CurrencyConversion? conversion = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var columns = query with { Where = query.Where.Where(f => f.Dimension is not TagDimension and not WorkloadDimension).ToList() };
        return Attribute(store.QueryBilledCostRows(columns, WorkloadReport.Involves(query)), conversion);
    }

    /// <summary>Allocates the query's cost with the usage of the same days; also returns the billed totals it started from.</summary>
    public (AllocationResult Result, IReadOnlyDictionary<string, decimal> Billed) Allocate(ICostStore store, CostQuery query, CurrencyConversion? conversion = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var rows = Billed(store, query, conversion);
        var usage = Normalize(store.QueryUsage(
            query.From is { } from ? DateOnly.FromDateTime(from) : null,
            query.To is { } to ? DateOnly.FromDateTime(to.AddTicks(-1)).AddDays(1) : null));
        var billed = rows.GroupBy(r => r.Currency, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount), StringComparer.Ordinal);
        return (Engine.Allocate(rows, Rules, usage, WorkloadReport.Involves(query) ? WorkloadReport.DimensionKey : null), billed);
    }

    /// <summary>
    /// Whether an allocated line passes the tag conditions of <c>--where</c>. Allocation decides who a shared cost
    /// belongs to, so tag conditions are applied to its result, not to the bill (which would drop the shared pools).
    /// An (idle) or (unallocated) line keeps the dimensions its whole pool shares (environment=prod), with the rule's
    /// target set to its label.
    /// </summary>
    public bool Matches(AllocatedLine line, IEnumerable<Filter> filters)
    {
        ArgumentNullException.ThrowIfNull(line);
        var conditions = filters as IReadOnlyCollection<Filter> ?? filters.ToList();
        return new TagConditions(Policy, conditions).Matches(line.Dimension)
            && (!conditions.Any(f => f.Dimension is WorkloadDimension) || WorkloadReport.Passes(conditions, line.Dimension(WorkloadReport.DimensionKey) ?? WorkloadCategories.Other));
    }

    /// <summary>The billing rows whose tags, resolved by the policy (inheritance included), pass the tag conditions of <c>--where</c>.</summary>
    public IEnumerable<BilledCostRow> WithTags(IEnumerable<BilledCostRow> rows, IEnumerable<Filter> filters)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var conditions = new TagConditions(Policy, filters);
        return rows.Where(r => conditions.Matches(Policy.Resolve(r.EffectiveTags(), r.SubAccountId, r.EffectiveResourceId).Tags));
    }

    /// <summary>
    /// A line's value for a dimension. Pool-level lines (<c>(idle)</c>, <c>(unallocated: rule)</c>) are their label,
    /// as in the showback statement, so they stay visible whatever the grouping; by category they are their pool's.
    /// </summary>
    public string ValueOf(AllocatedLine line, string key)
    {
        ArgumentNullException.ThrowIfNull(line);
        // The category is what the cost was spent on, so a pool's idle or unallocated line keeps its pool's.
        return key == WorkloadReport.DimensionKey
            ? line.Dimension(key) ?? WorkloadCategories.Other
            : line.Label ?? line.Dimension(key) ?? Policy.UntaggedLabel;
    }
}

/// <summary><c>--currency EUR --rates rates.csv</c>: convert every amount at its day's rate.</summary>
public sealed record CurrencyConversion(string Currency, ExchangeRateTable Rates);
