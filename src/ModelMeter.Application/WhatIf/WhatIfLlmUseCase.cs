using System.Globalization;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Llm;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.WhatIf;

/// <summary>A <c>what-if llm</c>: the catalogue model to reprice on, conditions on the calls, and the period (default last month).</summary>
public sealed record WhatIfLlmRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (its calls only, applied here).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>The catalogue model (<c>--as</c>): its key or the name a usage log gives it.</summary>
    public string? As { get; init; }

    /// <summary>
    /// Conditions on the calls, in <c>--where</c> syntax, over their tags (<c>tag:feature=search-assistant</c>,
    /// <c>tag:team=nlp</c>) and <c>model</c> (<c>model=claude-sonnet-4</c>).
    /// </summary>
    public IReadOnlyList<string> Where { get; init; } = [];

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Last { get; init; }

    /// <summary>The month (<c>YYYY-MM</c>); without any period, the last complete month.</summary>
    public string? Month { get; init; }
}

/// <summary>
/// The answer of <c>modelmeter what-if llm</c> (<c>GET /api/v1/what-if/llm</c>): the period's LLM calls by feature and
/// team, what they cost and what the same tokens would have cost on <see cref="Model"/>, with the working.
/// </summary>
/// <param name="Model">The catalogue key repriced on.</param>
/// <param name="From">The first instant of the period (inclusive).</param>
/// <param name="To">The instant the period ends before (exclusive).</param>
/// <param name="Prices">The model's prices per 1M tokens used for the working (its latest entry): input, cached input, cache write, output, batch input and output when it has them.</param>
/// <param name="Groups">Per feature and team (and currency): calls, tokens, actual cost, what-if cost, difference (negative: the other model is cheaper) and the working.</param>
/// <param name="Totals">Per currency: <c>actual</c>, <c>what_if</c>, <c>difference</c> and <c>monthly_difference</c> (the difference over the period scaled to 30.4375 days; the difference itself for a calendar month).</param>
/// <param name="Working">The steps, as <c>estimate --explain</c> shows them.</param>
public sealed record WhatIfLlmReport(
    string Model,
    DateTime From,
    DateTime To,
    IReadOnlyDictionary<string, decimal?> Prices,
    string PriceCurrency,
    IReadOnlyList<LlmWhatIfGroup> Groups,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal>> Totals,
    IReadOnlyList<string> Working)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary><c>modelmeter what-if llm --as MODEL</c>: imported LLM calls of a period repriced on another catalogue model.</summary>
public sealed class WhatIfLlmUseCase(StoreProvider stores, PriceCatalogs catalogs, ModelMeterEnvironment environment)
{
    private static readonly string[] GroupKeys = ["feature", "team"];

    public WhatIfLlmReport Run(WhatIfLlmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.As))
        {
            throw new UserInputException("Name the model to reprice on with --as, e.g. --as gpt-4.1-mini (modelmeter catalog --kind llm lists them).");
        }

        var (from, to) = WhatIfPeriod.Resolve(request.From, request.To, request.Last, request.Month, environment.UtcNow);
        var conditions = request.Access.Restrict(request.Where).Select(Condition).ToList();
        using var opened = stores.Open(request.Store, StoreAccess.Read, "what-if reads the imported LLM calls from it");
        var policy = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config)).Policy;
        var catalog = catalogs.Load(request.Store.Config);
        var target = LlmPricing.Resolve(catalog, request.As);
        var keys = GroupKeys.Concat(conditions.Where(c => c.Key != ModelKey).Select(c => c.Key)).Distinct(StringComparer.Ordinal).ToList();
        // The store keeps one row per call, so the calls are split by the target's long-context threshold (of its
        // entry in effect at the period's end) and those prompts priced at its long-context tier.
        var threshold = catalog.LlmAt(target, to).LongContextThreshold;
        var rows = opened.Store.QueryLlmUsage(from, to, keys, threshold);
        var usage = new List<ObservedLlmUsage>();
        foreach (var row in rows)
        {
            string Value(string key) => key == ModelKey ? row.Model
                : policy.NormalizeValue(policy.CanonicalKey(key), row.Tags.GetValueOrDefault(key)) ?? policy.UntaggedLabel;
            if (!conditions.All(c => c.Matches(Value(c.Key))))
            {
                continue;
            }

            usage.Add(new ObservedLlmUsage(row.Day, Value("feature"), Value("team"), row.Model, row.Tier, row.Currency, row.Calls,
                new LlmTokens(row.InputTokens, row.CachedInputTokens, row.CacheWriteTokens, row.OutputTokens, row.ReasoningTokens), row.Cost)
            {
                LongContext = row.LongPrompt == true,
            });
        }

        var notes = new List<string>();
        var groups = LlmWhatIf.Reprice(catalog, target, usage, notes);
        var price = catalog.LlmAt(target, to);
        var days = WhatIfPeriod.Days(from, to);
        var totals = groups.GroupBy(g => g.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g =>
            {
                var difference = g.Sum(x => x.Difference);
                return (IReadOnlyDictionary<string, decimal>)new Dictionary<string, decimal>(StringComparer.Ordinal)
                {
                    ["actual"] = g.Sum(x => x.ActualCost),
                    ["what_if"] = g.Sum(x => x.WhatIfCost),
                    ["difference"] = difference,
                    ["monthly_difference"] = WhatIfPeriod.Monthly(difference, from, to),
                };
            },
            StringComparer.Ordinal);
        var working = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"period: {from:yyyy-MM-dd} to {to:yyyy-MM-dd} (exclusive), {days:0.##} days; {usage.Sum(u => u.Calls):N0} calls in {groups.Count} feature and team groups"),
            $"{target} per 1M tokens ({price.Currency}): input {D(price.InputPerMillion)}, cached input " +
                (price.CachedInputPerMillion is { } c ? D(c) : D(price.InputPerMillion) + " (no cached price: billed as input)") +
                ", cache writes " + (price.CacheWritePerMillion is { } w ? D(w) : D(price.InputPerMillion) + " (as input)") + $", output {D(price.OutputPerMillion)}",
            "each day's tokens are priced at the prices in effect that day; the same tokens, cached input at the target's cached price",
        };
        if (threshold is { } above && price.LongContextInputPerMillion is { } longInput)
        {
            working.Add(string.Create(CultureInfo.InvariantCulture,
                $"calls whose prompt (input + cached input + cache writes) exceeds {above:N0} tokens, measured call by call, are priced at {target}'s long-context tier: input {D(longInput)}, cached input {D(price.LongContextCachedInputPerMillion ?? price.CachedInputPerMillion ?? price.InputPerMillion)}, output {D(price.LongContextOutputPerMillion ?? price.OutputPerMillion)}; {usage.Where(u => u.LongContext).Sum(u => u.Calls):N0} calls are"));
        }

        working.AddRange(groups.Select(g => $"{g.Feature} / {g.Team}: {g.Working}"));
        foreach (var (currency, total) in totals)
        {
            var scaling = WhatIfPeriod.Scaling(from, to);
            working.Add(string.Create(CultureInfo.InvariantCulture,
                $"total {currency}: what-if {total["what_if"]:0.####} − actual {total["actual"]:0.####} = {total["difference"]:0.####}; per month {total["monthly_difference"]:0.####}{scaling}"));
        }

        var warnings = new List<string>(notes);
        warnings.AddRange(catalogs.StaleWarnings(catalog, [price]));
        if (usage.Count == 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"No LLM calls between {from:yyyy-MM-dd} and {to:yyyy-MM-dd} match; import them with `modelmeter import llm-usage`."));
        }

        var prices = new Dictionary<string, decimal?>(StringComparer.Ordinal)
        {
            ["input"] = price.InputPerMillion, ["cached_input"] = price.CachedInputPerMillion, ["cache_write"] = price.CacheWritePerMillion,
            ["output"] = price.OutputPerMillion, ["batch_input"] = price.BatchInputPerMillion, ["batch_output"] = price.BatchOutputPerMillion,
        };
        return new WhatIfLlmReport(target, from, to, prices, price.Currency, groups, totals, working) { Warnings = warnings };
    }

    private const string ModelKey = "\u0001model";

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A condition on one tag of the calls, or on their model.</summary>
    private static CallCondition Condition(string text)
    {
        var trimmed = text.Trim();
        var isModel = trimmed.StartsWith("model", StringComparison.OrdinalIgnoreCase) && trimmed.Length > 5 && !char.IsAsciiLetterOrDigit(trimmed[5]) && trimmed[5] != '_';
        var filter = ReportArguments.ParseFilter(isModel ? "tag:" + trimmed : trimmed);
        if (filter.Dimension is not TagDimension tag)
        {
            throw new UserInputException($"--where '{text}': what-if llm filters calls by their tags (tag:feature=search, tag:team=nlp) or model (model=claude-sonnet-4).");
        }

        return new CallCondition(isModel ? ModelKey : tag.Key, filter.Operator, filter.Values);
    }

    private sealed record CallCondition(string Key, FilterOperator Operator, IReadOnlyList<string> Values)
    {
        public bool Matches(string value)
        {
            var listed = Values.Any(v => string.Equals(v.Trim(), value, StringComparison.OrdinalIgnoreCase));
            return Operator is FilterOperator.Equal or FilterOperator.In ? listed : !listed;
        }
    }
}
