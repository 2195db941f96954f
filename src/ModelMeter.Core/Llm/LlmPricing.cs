using System.Text.RegularExpressions;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Llm;

/// <summary>
/// A call's tokens, each counted once: <see cref="Input"/> excludes cached and cache-write tokens, <see cref="Output"/>
/// includes reasoning tokens (which bill as output). Readers turn each provider's own usage object into this.
/// </summary>
public sealed record LlmTokens(long Input, long CachedInput, long CacheWrite, long Output, long Reasoning)
{
    /// <summary>The prompt as the provider measured it: what a long-context threshold is compared with.</summary>
    public long Prompt => Input + CachedInput + CacheWrite;
}

/// <summary>What a call cost and which prices applied.</summary>
/// <param name="Tier"><c>standard</c>, <c>batch</c> or <c>long_context</c>.</param>
public sealed record LlmCharge(decimal Cost, string Currency, string Tier, LlmPrice Price, IReadOnlyList<string> Notes);

/// <summary>Prices LLM calls from the catalogue's per-token prices in effect at each call (pure).</summary>
public static partial class LlmPricing
{
    private const decimal Million = 1_000_000m;

    /// <summary>
    /// The catalogue key a usage log's model names: the key itself, the source list's name (with or without its provider
    /// prefix, <c>gemini/gemini-2.5-pro</c>), or either with a release date suffix (<c>gpt-4.1-2025-04-14</c>,
    /// <c>claude-sonnet-4-20250514</c>). An unknown model is an error listing the models: never a zero cost.
    /// </summary>
    public static string Resolve(PriceCatalog catalog, string model)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Trim();
        foreach (var candidate in new[] { name, DateSuffix().Replace(name, "") }.Distinct())
        {
            foreach (var price in catalog.LlmPrices)
            {
                if (string.Equals(price.Key, candidate, StringComparison.OrdinalIgnoreCase)
                    || (price.SourceModel is { } source && (string.Equals(source, candidate, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(source.Split('/')[^1], candidate, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(DateSuffix().Replace(source.Split('/')[^1], ""), candidate, StringComparison.OrdinalIgnoreCase))))
                {
                    return price.Key;
                }
            }
        }

        throw new UserInputException(
            $"model '{model}' is not in the LLM price catalogue, so its calls cannot be priced; known models: {string.Join(", ", catalog.LlmPrices.Select(p => p.Key).Order(StringComparer.Ordinal))}. " +
            "Add its prices under prices.llm in modelmeter.yaml (with source and as_of).");
    }

    /// <summary>
    /// The cost of one call at the prices in effect at <paramref name="atUtc"/>: input, cached input (at the cached price,
    /// or the input price when the catalogue has none), cache writes (at the cache-write price, or input) and output,
    /// each at the batch or long-context tier when the call is in one and the catalogue has that tier.
    /// </summary>
    /// <param name="catalog">The price catalogue.</param>
    /// <param name="key">The catalogue model.</param>
    /// <param name="atUtc">When the call was made.</param>
    /// <param name="tokens">The call's tokens (or several calls' sums, with <paramref name="longContext"/> given).</param>
    /// <param name="batch">Whether the call went through the batch API.</param>
    /// <param name="longContext">
    /// Whether the prompts exceed the model's long-context threshold, when the caller measured it call by call (summed
    /// tokens say nothing about one call's prompt); null to compare <paramref name="tokens"/>' prompt with it.
    /// </param>
    public static LlmCharge Price(PriceCatalog catalog, string key, DateTime atUtc, LlmTokens tokens, bool batch, bool? longContext = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(tokens);
        var price = catalog.LlmAt(key, atUtc);
        var notes = new List<string>();
        var input = price.InputPerMillion;
        var cached = price.CachedInputPerMillion ?? price.InputPerMillion;
        var output = price.OutputPerMillion;
        var tier = "standard";
        if (price.LongContextThreshold is { } threshold && (longContext ?? tokens.Prompt > threshold) && price.LongContextInputPerMillion is { } longInput)
        {
            tier = "long_context";
            input = longInput;
            cached = price.LongContextCachedInputPerMillion ?? cached;
            output = price.LongContextOutputPerMillion ?? output;
        }

        if (batch)
        {
            if (price.BatchInputPerMillion is { } batchInput && price.BatchOutputPerMillion is { } batchOutput)
            {
                tier = "batch";
                input = batchInput;
                output = batchOutput;
            }
            else
            {
                notes.Add($"{key} has no batch price in the catalogue: priced at the standard rate");
            }
        }

        var write = price.CacheWritePerMillion ?? input;
        var cost = ((tokens.Input * input) + (tokens.CachedInput * cached) + (tokens.CacheWrite * write) + (tokens.Output * output)) / Million;
        return new LlmCharge(cost, price.Currency, tier, price, notes);
    }

    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{2}-\d{4})$")]
    private static partial Regex DateSuffix();
}
