using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;

namespace ModelMeter.Store;

/// <summary>
/// What the ML sources bring into a store beside the bill: MLflow runs, hourly usage series (Prometheus, nvidia-smi),
/// LLM calls, business metrics and recorded estimates. Each is stated by the store contract suite
/// (tests/ModelMeter.Store.Tests/Contract/CostStoreContract.Runs.cs and .MlSources.cs).
/// </summary>
public partial interface ICostStore
{
    /// <summary>
    /// Stores MLflow runs in one transaction. A run already stored (same run id) is updated in place: its status, end,
    /// params, tags and metrics become the new ones (a run that was RUNNING is now FINISHED). Earlier imports whose runs
    /// were all updated are superseded. The record's periods name each experiment with its runs and days.
    /// </summary>
    ImportRecord ImportRuns(IReadOnlyList<TrackedRun> runs, ImportedFile source);

    /// <summary>
    /// Stored runs (with params, tags and latest metrics) of the experiments named (all when none), whose window meets
    /// [<see cref="RunQuery.From"/>, <see cref="RunQuery.To"/>); a run without an end meets every later instant. Ordered
    /// by start, then run id. <see cref="StoredRun.ImportedAt"/> is when the run was last read from its source.
    /// </summary>
    IReadOnlyList<StoredRun> QueryRuns(RunQuery query);

    /// <summary>
    /// The cost of each of the resources per charge period and currency, for charge periods that meet [first, until):
    /// what run costing pro-rates over a run's window. Line items of the same resource, period and currency are summed.
    /// </summary>
    IReadOnlyList<ResourceCharge> QueryResourceCharges(IReadOnlyCollection<string> resourceIds, DateTime first, DateTime until, CostMetric cost);

    /// <summary>
    /// A usage import that records <paramref name="kind"/> (<see cref="ImportKind.Prometheus"/>, <see cref="ImportKind.NvidiaSmi"/>, ...)
    /// and otherwise behaves as <see cref="BeginUsageImport()"/>: a new measurement of a metric's days replaces the old one.
    /// </summary>
    IUsageImportSession BeginUsageImport(ImportKind kind);

    /// <summary>
    /// Usage samples of the metrics named (all when none) measured in [from, to), per hour or day, metric and dimension
    /// set: their sum, count, minimum and maximum. A gauge (GPU utilisation, batch size) is read as sum ÷ count; a
    /// counter (requests, tokens) as its sum. A sample without a measured instant counts at the start of its day.
    /// </summary>
    IReadOnlyList<UsageStatistic> QueryUsageStatistics(UsageStatisticsQuery query);

    /// <summary>
    /// Stores priced LLM calls in one transaction. Calls of earlier LLM-usage imports between the first and last call of
    /// this one (inclusive) are replaced: a re-exported period replaces the old export.
    /// </summary>
    ImportRecord ImportLlmCalls(IReadOnlyList<LlmCall> calls, ImportedFile file);

    /// <summary>
    /// LLM calls in [first, until) summed per UTC day, provider, model, tier, currency and the values of the tag keys named
    /// (a call without one of them has null there): calls, tokens and cost. With <paramref name="promptAbove"/>, also by
    /// whether each call's prompt (input + cached input + cache-write tokens) exceeds that many tokens, carried as
    /// <see cref="LlmUsageRow.LongPrompt"/>: the stores keep one row per call, so any model's long-context threshold
    /// can be applied to calls already imported.
    /// </summary>
    IReadOnlyList<LlmUsageRow> QueryLlmUsage(DateTime? first, DateTime? until, IReadOnlyList<string> tagKeys, long? promptAbove = null);

    /// <summary>
    /// Stores business metric values (active users, revenue ...) in one transaction; a value for the same metric, period
    /// and dimensions as a stored one replaces it.
    /// </summary>
    ImportRecord ImportBusinessMetrics(IReadOnlyList<BusinessMetricValue> values, ImportedFile file);

    /// <summary>Business metric values whose period meets [first, until) (all when null), ordered by period, metric and dimensions.</summary>
    IReadOnlyList<BusinessMetricValue> QueryBusinessMetrics(DateOnly? first, DateOnly? until);

    /// <summary>Records an estimate under its id (<c>modelmeter estimate</c>); an estimate with the same id is replaced.</summary>
    void RecordEstimate(RecordedEstimate estimate);

    /// <summary>Every recorded estimate, by id.</summary>
    IReadOnlyList<RecordedEstimate> Estimates();
}

/// <summary>Which runs <see cref="ICostStore.QueryRuns"/> returns.</summary>
public sealed record RunQuery
{
    /// <summary>Experiment names; empty for all.</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    public DateTime? From { get; init; }

    public DateTime? To { get; init; }
}

/// <summary>A stored run and when it was last read from its source (the import that wrote it).</summary>
public sealed record StoredRun(TrackedRun Run, DateTime ImportedAt);

/// <summary>A resource's cost in one charge period and currency.</summary>
public sealed record ResourceCharge(string ResourceId, DateTime Start, DateTime End, string Currency, decimal Cost);

/// <summary>How finely <see cref="ICostStore.QueryUsageStatistics"/> buckets samples.</summary>
public enum UsageGrain
{
    Hour,
    Day,
}

public sealed record UsageStatisticsQuery
{
    public DateTime? From { get; init; }

    public DateTime? To { get; init; }

    /// <summary>Metric names; empty for all.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    public UsageGrain Grain { get; init; } = UsageGrain.Hour;
}

/// <summary>Samples of one metric and dimension set in one bucket (an hour or a UTC day, by its start).</summary>
public sealed record UsageStatistic(
    DateTime Bucket,
    string Metric,
    IReadOnlyDictionary<string, string?> Dimensions,
    decimal Sum,
    long Count,
    decimal Min,
    decimal Max)
{
    /// <summary>The mean of the samples: what a gauge was on average in the bucket.</summary>
    public decimal Mean => Count == 0 ? 0m : Sum / Count;
}

/// <summary>
/// One LLM API call, priced. Token counts are disjoint: <paramref name="InputTokens"/> excludes cached and cache-write
/// tokens, <paramref name="OutputTokens"/> includes reasoning tokens (which bill as output), so every token is billed once.
/// </summary>
/// <param name="Tier"><c>standard</c>, <c>batch</c> or <c>long_context</c>: the price tier applied.</param>
/// <param name="Tags">team, feature, user, ... as the log gave them.</param>
public sealed record LlmCall(
    DateTime At,
    string Provider,
    string Model,
    string Tier,
    long InputTokens,
    long CachedInputTokens,
    long CacheWriteTokens,
    long OutputTokens,
    long ReasoningTokens,
    decimal Cost,
    string Currency,
    IReadOnlyDictionary<string, string?> Tags);

/// <summary>LLM calls summed per day, provider, model, tier, currency and chosen tag values.</summary>
public sealed record LlmUsageRow(
    DateOnly Day,
    string Provider,
    string Model,
    string Tier,
    string Currency,
    IReadOnlyDictionary<string, string?> Tags,
    long Calls,
    long InputTokens,
    long CachedInputTokens,
    long CacheWriteTokens,
    long OutputTokens,
    long ReasoningTokens,
    decimal Cost)
{
    /// <summary>Every token billed: input, cached input, cache writes and output (reasoning is part of output).</summary>
    public long TotalTokens => InputTokens + CachedInputTokens + CacheWriteTokens + OutputTokens;

    /// <summary>
    /// Whether these calls' prompts each exceed the <c>promptAbove</c> the query named (true), or not (false); null when
    /// the query did not split by prompt size.
    /// </summary>
    public bool? LongPrompt { get; init; }
}

/// <summary>A business metric's value over a period [first, until) for a set of dimension values.</summary>
public sealed record BusinessMetricValue(
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Metric,
    decimal Value,
    IReadOnlyDictionary<string, string?> Dimensions);

/// <summary>An estimate as <c>modelmeter estimate</c> recorded it, for <c>runs --reconcile</c>.</summary>
/// <param name="Hours">The estimated wall-clock hours, when the cost model gives them (training).</param>
public sealed record RecordedEstimate(
    string EstimateId,
    DateTime RecordedAt,
    string Spec,
    string Kind,
    string Title,
    decimal Cost,
    string Currency,
    decimal? Hours);
