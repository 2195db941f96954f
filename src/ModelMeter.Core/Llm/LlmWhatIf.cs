using System.Globalization;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Llm;

/// <summary>Observed LLM calls of one day, model and tier, for one feature and team, as the store sums them.</summary>
public sealed record ObservedLlmUsage(DateOnly Day, string Feature, string Team, string Model, string Tier, string Currency, long Calls, LlmTokens Tokens, decimal Cost)
{
    /// <summary>
    /// Whether each of these calls' prompts exceeds the target model's long-context threshold (the store splits the
    /// calls by it); false when the target has no long-context tier.
    /// </summary>
    public bool LongContext { get; init; }
}

/// <summary>One feature and team's calls: what they cost, and what they would have cost on the other model.</summary>
public sealed record LlmWhatIfGroup(
    string Feature,
    string Team,
    IReadOnlyList<string> Models,
    string Currency,
    long Calls,
    long InputTokens,
    long CachedInputTokens,
    long CacheWriteTokens,
    long OutputTokens,
    decimal ActualCost,
    decimal WhatIfCost,
    decimal Difference,
    string Working);

/// <summary>
/// What-if on real LLM traffic: the same tokens (input, cached input, cache writes, output) priced at another
/// catalogue model's prices in effect on each day, cached input at that model's cached price (its input price when it
/// has none), batch calls at its batch price when it has one, and calls whose prompt exceeds its long-context threshold
/// at its long-context prices. Pure.
/// </summary>
public static class LlmWhatIf
{
    public static IReadOnlyList<LlmWhatIfGroup> Reprice(PriceCatalog catalog, string targetKey, IEnumerable<ObservedLlmUsage> usage, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(notes);
        var groups = new Dictionary<(string Feature, string Team, string Currency), Accumulator>();
        foreach (var day in usage)
        {
            var at = day.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            // Summed tokens say nothing about one call's prompt: the store measured each call against the threshold.
            var charge = LlmPricing.Price(catalog, targetKey, at, day.Tokens, batch: day.Tier == "batch", longContext: day.LongContext);
            if (!string.Equals(charge.Currency, day.Currency, StringComparison.Ordinal))
            {
                throw new UserInputException(
                    $"{targetKey} is priced in {charge.Currency} but the calls of {day.Model} were billed in {day.Currency}; what-if compares one currency (add prices for {targetKey} in {day.Currency} under prices.llm in modelmeter.yaml).");
            }

            foreach (var note in charge.Notes.Where(n => !notes.Contains(n)))
            {
                notes.Add(note);
            }

            var untiered = LongContextNote(targetKey);
            if (day.Tier == "long_context" && charge.Price.LongContextInputPerMillion is null && !notes.Contains(untiered))
            {
                notes.Add(untiered);
            }

            var key = (day.Feature, day.Team, day.Currency);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new Accumulator();
            }

            group.Add(day, charge);
        }

        var price = catalog.LlmAt(targetKey, DateTime.MaxValue);
        return groups
            .Select(g => g.Value.Result(g.Key.Feature, g.Key.Team, g.Key.Currency, targetKey, price))
            .OrderBy(g => g.Difference)
            .ThenBy(g => g.Feature, StringComparer.Ordinal)
            .ThenBy(g => g.Team, StringComparer.Ordinal)
            .ToList();
    }

    private static string LongContextNote(string target) =>
        $"some calls were billed at a long-context tier; {target} has no long-context tier in the catalogue, so they are priced at its standard prices";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private sealed class Accumulator
    {
        private readonly SortedSet<string> _models = new(StringComparer.Ordinal);
        private readonly Tokens _standard = new();
        private readonly Tokens _long = new();
        private long _calls;
        private decimal _actual;
        private decimal _whatIf;

        public void Add(ObservedLlmUsage day, LlmCharge charge)
        {
            _models.Add(day.Model);
            _calls += day.Calls;
            (charge.Tier == "long_context" ? _long : _standard).Add(day.Tokens);
            _actual += day.Cost;
            _whatIf += charge.Cost;
        }

        public LlmWhatIfGroup Result(string feature, string team, string currency, string target, LlmPrice price)
        {
            var cached = price.CachedInputPerMillion ?? price.InputPerMillion;
            var write = price.CacheWritePerMillion ?? price.InputPerMillion;
            var terms = _standard.Describe(price.InputPerMillion, cached, write, price.OutputPerMillion);
            if (_long.Any && price.LongContextInputPerMillion is { } longInput)
            {
                // Both tiers, as the catalogue prices them: prompts above the threshold at the long-context prices.
                var longCached = price.LongContextCachedInputPerMillion ?? cached;
                var longOutput = price.LongContextOutputPerMillion ?? price.OutputPerMillion;
                terms = string.Create(CultureInfo.InvariantCulture,
                    $"standard {terms} + long context, prompts over {N(price.LongContextThreshold ?? 0)} tokens, {_long.Describe(longInput, longCached, price.CacheWritePerMillion ?? longInput, longOutput)}");
            }

            var working = string.Create(CultureInfo.InvariantCulture,
                $"{target}: {terms} ÷ 1M = {P(Math.Round(_whatIf, 4))} {currency}; " +
                $"actual on {string.Join(", ", _models)}: {P(Math.Round(_actual, 4))} {currency}; difference {P(Math.Round(_whatIf - _actual, 4))} {currency}");
            return new LlmWhatIfGroup(feature, team, [.. _models], currency, _calls, _standard.Input + _long.Input, _standard.Cached + _long.Cached,
                _standard.Write + _long.Write, _standard.Output + _long.Output, _actual, _whatIf, _whatIf - _actual, working);
        }
    }

    /// <summary>A tier's tokens.</summary>
    private sealed class Tokens
    {
        public long Input { get; private set; }

        public long Cached { get; private set; }

        public long Write { get; private set; }

        public long Output { get; private set; }

        public bool Any => Input + Cached + Write + Output > 0;

        public void Add(LlmTokens tokens)
        {
            Input += tokens.Input;
            Cached += tokens.CachedInput;
            Write += tokens.CacheWrite;
            Output += tokens.Output;
        }

        public string Describe(decimal input, decimal cached, decimal write, decimal output) => string.Create(CultureInfo.InvariantCulture,
            $"(input {N(Input)} × {P(input)} + cached input {N(Cached)} × {P(cached)} + cache writes {N(Write)} × {P(write)} + output {N(Output)} × {P(output)})");
    }
}
