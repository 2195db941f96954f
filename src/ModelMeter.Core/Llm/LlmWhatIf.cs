using System.Globalization;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Llm;

/// <summary>Observed LLM calls of one day, model and tier, for one feature and team, as the store sums them.</summary>
public sealed record ObservedLlmUsage(DateOnly Day, string Feature, string Team, string Model, string Tier, string Currency, long Calls, LlmTokens Tokens, decimal Cost);

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
/// has none), batch calls at its batch price when it has one. Pure.
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
            var charge = LlmPricing.Price(catalog, targetKey, at, day.Tokens, batch: day.Tier == "batch");
            if (!string.Equals(charge.Currency, day.Currency, StringComparison.Ordinal))
            {
                throw new UserInputException(
                    $"{targetKey} is priced in {charge.Currency} but the calls of {day.Model} were billed in {day.Currency}; what-if compares one currency (add prices for {targetKey} in {day.Currency} under prices.llm in modelmeter.yaml).");
            }

            foreach (var note in charge.Notes.Where(n => !notes.Contains(n)))
            {
                notes.Add(note);
            }

            if (day.Tier == "long_context" && !notes.Contains(LongContextNote))
            {
                notes.Add(LongContextNote);
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

    private const string LongContextNote =
        "some calls were billed at a long-context tier; the store keeps daily sums, so they are repriced at the target's standard tier";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private sealed class Accumulator
    {
        private readonly SortedSet<string> _models = new(StringComparer.Ordinal);
        private long _calls;
        private long _input;
        private long _cached;
        private long _write;
        private long _output;
        private decimal _actual;
        private decimal _whatIf;

        public void Add(ObservedLlmUsage day, LlmCharge charge)
        {
            _models.Add(day.Model);
            _calls += day.Calls;
            _input += day.Tokens.Input;
            _cached += day.Tokens.CachedInput;
            _write += day.Tokens.CacheWrite;
            _output += day.Tokens.Output;
            _actual += day.Cost;
            _whatIf += charge.Cost;
        }

        public LlmWhatIfGroup Result(string feature, string team, string currency, string target, LlmPrice price)
        {
            var cached = price.CachedInputPerMillion ?? price.InputPerMillion;
            var write = price.CacheWritePerMillion ?? price.InputPerMillion;
            var working = string.Create(CultureInfo.InvariantCulture,
                $"{target}: (input {N(_input)} × {P(price.InputPerMillion)} + cached input {N(_cached)} × {P(cached)} + cache writes {N(_write)} × {P(write)} + output {N(_output)} × {P(price.OutputPerMillion)}) ÷ 1M = {P(Math.Round(_whatIf, 4))} {currency}; " +
                $"actual on {string.Join(", ", _models)}: {P(Math.Round(_actual, 4))} {currency}; difference {P(Math.Round(_whatIf - _actual, 4))} {currency}");
            return new LlmWhatIfGroup(feature, team, [.. _models], currency, _calls, _input, _cached, _write, _output, _actual, _whatIf, _whatIf - _actual, working);
        }
    }
}
