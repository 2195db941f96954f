using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Recommendations;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Recommendations;

/// <summary><c>recommend</c>: which resources, which window, which findings.</summary>
public sealed record RecommendRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (its team is one more condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary><c>--where</c> conditions on the resources (FOCUS columns or tags, through the tag policy).</summary>
    public IReadOnlyList<string> Where { get; init; } = [];

    /// <summary>Findings saving less a month are left out; default <c>recommendations.min_saving</c> (50).</summary>
    public decimal? MinSaving { get; init; }

    /// <summary>The window's first and last day (<c>YYYY-MM-DD</c>); default the last <c>window_days</c> billed days.</summary>
    public string? From { get; init; }

    public string? To { get; init; }

    /// <summary>One finding's id: the report holds only it, whatever its saving.</summary>
    public string? Explain { get; init; }

    /// <summary>
    /// Keep the idle policy's new states in the store (the CLI's whole-bill run, from cron); false reads them only (the
    /// HTTP API, <c>--where</c>, <c>--explain</c>), so a partial view never moves the policy.
    /// </summary>
    public bool RecordPolicy { get; init; }

    /// <summary><c>--plan FILE</c>: the actions of the findings listed are written there (a <see cref="RecommendationPlan"/>) and recorded as planned.</summary>
    public string? PlanPath { get; init; }
}

/// <summary>A run's findings and the action plan made of the findings listed.</summary>
public sealed record RecommendationOutcome(RecommendationsReport Report, RecommendationPlan Plan);

/// <summary>
/// Runs every recommendation rule over the store's per-resource daily charges, the hourly usage metrics keyed by
/// resource_id (whichever import wrote them), the runs and the price catalogue, and ranks the findings by monthly saving.
/// </summary>
public sealed class RecommendUseCase(StoreProvider stores, PriceCatalogs catalogs, ModelMeterEnvironment environment)
{
    private static readonly string[] CheckpointWords = ["checkpoint", "ckpt"];

    public RecommendationsReport Run(RecommendRequest request) => Evaluate(request).Report;

    /// <summary>The findings and their action plan; with <see cref="RecommendRequest.PlanPath"/> the plan is written and recorded.</summary>
    public RecommendationOutcome Evaluate(RecommendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = stores.LoadConfig(request.Store);
        var settings = config.Recommendations.ToSettings();
        var minSaving = request.MinSaving ?? settings.MinSaving;
        if (minSaving < 0m)
        {
            throw new UserInputException($"--min-saving {minSaving} must not be negative.");
        }

        var catalog = catalogs.Load(request.Store.Config);
        var writes = request.RecordPolicy || request.PlanPath is not null;
        using var opened = stores.Open(request.Store, config, writes ? StoreAccess.Write : StoreAccess.Read,
            writes ? "recommend keeps the idle policy's state and the findings' history in it" : "recommendations read the bill and the usage metrics from it");
        var store = opened.Store;
        var setup = AttributionSetup.From(config, stores.Configs.BaseDirectory(config));
        var range = store.ChargeRange();
        if (range is null)
        {
            var today = environment.Today;
            var empty = new RecommendationsReport(today, today, minSaving, [], [], 0) { Warnings = ["The store holds no line items to look at."] };
            return new RecommendationOutcome(empty, WritePlan(request, new RecommendationPlan(environment.UtcNow, today, today, [])));
        }

        // By default the window ends where both the bill and the usage metrics reach: the rules need both.
        var lastBilled = DateOnly.FromDateTime(range.Value.Last.AddTicks(-1));
        var lastMeasured = store.QueryUsageStatistics(new UsageStatisticsQuery { Metrics = UsageMetrics.All, Grain = UsageGrain.Day })
            .Where(u => u.Dimensions.TryGetValue("resource_id", out var r) && !string.IsNullOrEmpty(r)).Select(u => (DateOnly?)DateOnly.FromDateTime(u.Bucket)).Max();
        var to = request.To is not null ? Day(request.To, "--to") : lastMeasured is { } m && m < lastBilled ? m : lastBilled;
        var from = request.From is null ? to.AddDays(1 - settings.WindowDays) : Day(request.From, "--from");
        if (from > to)
        {
            throw new UserInputException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}.");
        }

        var first = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var until = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var filters = request.Access.Restrict(request.Where).Select(ReportArguments.ParseFilter).ToList();

        // Tags per resource, resolved by the policy; --where (columns in the store, tags after the policy) picks the resources.
        var billed = store.QueryBilledCostRows(new CostQuery { From = first, To = until, Where = filters.Where(f => f.Dimension is not TagDimension).ToList() });
        var tags = billed.Where(r => r.ResourceId is { Length: > 0 }).GroupBy(r => r.ResourceId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => setup.Policy.Resolve(g.OrderByDescending(r => r.Amount).First().EffectiveTags(), g.First().SubAccountId, g.Key).Tags, StringComparer.Ordinal);
        var selected = filters.Count == 0 ? null
            : setup.WithTags(billed, filters.Where(f => f.Dimension is TagDimension)).Select(r => r.ResourceId).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var pools = store.QueryResourceDays(first, until)
            .Where(d => selected is null || selected.Contains(d.ResourceId))
            .GroupBy(d => (d.ResourceId, d.Currency))
            .Select(g => Pool(g.Key.ResourceId, g.Key.Currency, g.ToList(), tags.GetValueOrDefault(g.Key.ResourceId)))
            .ToList();
        var usage = store.QueryUsageStatistics(new UsageStatisticsQuery { From = first, To = until, Metrics = UsageMetrics.All, Grain = UsageGrain.Hour })
            .Where(u => u.Dimensions.TryGetValue("resource_id", out var id) && !string.IsNullOrEmpty(id))
            .GroupBy(u => u.Dimensions["resource_id"]!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, IReadOnlyList<MetricHour>>)g.GroupBy(u => u.Metric, StringComparer.Ordinal).ToDictionary(
                    m => m.Key,
                    m => (IReadOnlyList<MetricHour>)m.GroupBy(u => u.Bucket).OrderBy(h => h.Key)
                        .Select(h => new MetricHour(h.Key, h.Sum(u => u.Sum) / Math.Max(1, h.Sum(u => u.Count)), h.Max(u => u.Max), h.Sum(u => u.Sum))).ToList(),
                    StringComparer.Ordinal),
                StringComparer.Ordinal);
        var resourceKeys = config.Runs.ResourceKeys ?? ["resource_id"];
        var runs = store.QueryRuns(new RunQuery { From = first, To = until }).Select(r => r.Run).ToList();
        string? ResourceOf(Core.Runs.TrackedRun run) => resourceKeys.Select(run.ParamOrTag).FirstOrDefault(v => v is not null);
        var withRuns = runs.Select(ResourceOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var checkpointing = runs.Where(r => r.Params.Concat(r.Tags).Any(p => CheckpointWords.Any(w => p.Key.Contains(w, StringComparison.OrdinalIgnoreCase)) && p.Value is { Length: > 0 } v && !v.Equals("false", StringComparison.OrdinalIgnoreCase)))
            .Select(ResourceOf).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var input = new RecommendationInput
        {
            From = from, To = to, Today = environment.Today < to ? to : environment.Today, Pools = pools, Usage = usage, ResourcesWithRuns = withRuns,
            ResourcesThatCheckpoint = checkpointing, Catalog = catalog, Settings = settings,
            IdleStates = store.IdleStates().ToDictionary(s => s.ResourceId, StringComparer.Ordinal),
        };
        var all = RecommendationEngine.Run(input);
        if (request.RecordPolicy && request.Where.Count == 0 && request.Explain is null)
        {
            KeepIdlePolicy(store, input, all);

            // Every finding of a whole-bill run is kept for --history: the first estimate and baseline stay.
            RecordFindings(store, all.Select(f => Record(f, to, FindingActionKind.Found, to.AddDays(1))));
        }

        List<Finding> shown;
        if (request.Explain is { } id)
        {
            shown = all.Where(f => string.Equals(f.Id, id.Trim(), StringComparison.Ordinal)).ToList();
            if (shown.Count == 0)
            {
                throw new UserInputException($"--explain '{id}' is not a finding of this window ({from:yyyy-MM-dd}..{to:yyyy-MM-dd}); ids: {string.Join(", ", all.Select(f => f.Id))}.");
            }
        }
        else
        {
            // Allocation findings save nothing by themselves: they are kept when the cost they make allocatable is that large.
            shown = all.Where(f => (f.MonthlySaving == 0m ? f.MonthlyCost : f.MonthlySaving) >= minSaving).ToList();
        }

        var totals = shown.GroupBy(f => f.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RecommendationTotal(g.Key, g.Sum(f => f.MonthlySaving), g.Count())).ToList();
        var warnings = new List<string>();
        // Each rule declares the metrics it needs; the warning names every rule the window's metrics leave blind.
        var measured = usage.Values.SelectMany(m => m.Keys).ToHashSet(StringComparer.Ordinal);
        if (RecommendationEngine.MissingMetricsWarning(measured) is { } missing)
        {
            warnings.Add(missing);
        }

        var report = new RecommendationsReport(from, to, minSaving, shown, totals, all.Count - shown.Count) { Warnings = warnings };
        var plan = WritePlan(request, new RecommendationPlan(environment.UtcNow, from, to, ActionPlan.From(shown, input.Today, settings)));
        if (request.PlanPath is not null)
        {
            var byId = shown.ToDictionary(f => f.Id, StringComparer.Ordinal);
            RecordFindings(store, plan.Actions.Select(a => Record(byId[a.FindingId], to, FindingActionKind.Planned, a.DueDate)));
        }

        return new RecommendationOutcome(report, plan);
    }

    internal static FindingRecord Record(Finding finding, DateOnly recordedOn, FindingActionKind kind, DateOnly actionOn) =>
        new(finding.Id, finding.Rule, finding.Resources[0], finding.Currency, finding.MonthlySaving, finding.MonthlyCost, recordedOn, kind, actionOn);

    /// <summary>Merges findings into the store's history (estimate and baseline kept from the first record).</summary>
    internal static void RecordFindings(ICostStore store, IEnumerable<FindingRecord> records)
    {
        var stored = store.FindingRecords().ToDictionary(r => r.FindingId, StringComparer.Ordinal);
        var merged = records.Select(r => FindingRecord.Merge(stored.GetValueOrDefault(r.FindingId), r)).Where(r => !Equals(stored.GetValueOrDefault(r.FindingId), r)).ToList();
        if (merged.Count > 0)
        {
            store.SaveFindingRecords(merged);
        }
    }

    private RecommendationPlan WritePlan(RecommendRequest request, RecommendationPlan plan)
    {
        if (request.PlanPath is { } path)
        {
            var file = environment.ResolvePath(path);
            try
            {
                File.WriteAllText(file, Contracts.ModelMeterJson.Serialize(plan));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"--plan {path}: cannot write {file}: {e.Message}", e);
            }
        }

        return plan;
    }

    /// <summary>Idle findings move their resource forward; a resource in the policy that is billed and not idle now was used again.</summary>
    private static void KeepIdlePolicy(ICostStore store, RecommendationInput input, IReadOnlyList<Finding> findings)
    {
        var next = findings.Select(f => f.NextIdleState).OfType<IdleState>().ToList();
        var idle = next.Select(s => s.ResourceId).ToHashSet(StringComparer.Ordinal);
        var billed = input.Pools.Select(p => p.ResourceId).ToHashSet(StringComparer.Ordinal);
        var left = new List<string>();
        foreach (var state in input.IdleStates.Values.Where(s => !idle.Contains(s.ResourceId)))
        {
            var moved = IdlePolicy.Advance(state, state.ResourceId, idleNow: false, billed: billed.Contains(state.ResourceId), state.FirstSeenIdle, input.Today, input.Settings);
            if (moved is null)
            {
                left.Add(state.ResourceId);
            }
            else if (moved != state)
            {
                next.Add(moved);
            }
        }

        store.SaveIdleStates(next, left);
    }

    /// <summary>A resource's days as the rules read them (also what <c>what-if instance</c> reprices).</summary>
    internal static ResourcePool Pool(string id, string currency, List<ResourceDay> days, IReadOnlyDictionary<string, string>? tags)
    {
        var last = days[^1];
        return new ResourcePool
        {
            ResourceId = id, Currency = currency, Provider = last.ProviderName, Name = last.ResourceName, ResourceType = last.ResourceType, ServiceName = last.ServiceName,
            ServiceCategory = last.ServiceCategory, SkuId = last.SkuId, PricingCategory = last.PricingCategory, Region = last.RegionId, Zone = last.AvailabilityZone,
            Account = last.SubAccountId, AccountName = last.SubAccountName, PricingUnit = last.PricingUnit,
            Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
            Days = days.OrderBy(d => d.Day).Select(d => new PoolDay(d.Day, d.Quantity, d.MinQuantity, d.MaxQuantity, d.ChargePeriods, d.EffectiveCost)).ToList(),
        };
    }

    private static DateOnly Day(string text, string option) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? day
            : throw new UserInputException($"{option} '{text}' is not a date; use YYYY-MM-DD.");
}
