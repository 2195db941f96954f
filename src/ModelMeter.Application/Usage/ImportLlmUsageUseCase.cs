using System.Globalization;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Llm;
using ModelMeter.Import.LlmUsage;
using ModelMeter.Store;

namespace ModelMeter.Application.Usage;

/// <summary><c>import llm-usage</c>: an LLM usage log (JSONL), as the user wrote its path.</summary>
public sealed record ImportLlmUsageRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Path { get; init; }
}

/// <summary>The answer of <c>modelmeter import llm-usage</c>.</summary>
/// <param name="Calls">Calls read and priced.</param>
/// <param name="Replaced">Calls of earlier logs in the same time range that these replaced.</param>
/// <param name="Cost">What the calls cost, per currency, at the prices in effect when each was made.</param>
/// <param name="Models">Per model: calls, tokens and cost.</param>
public sealed record ImportLlmUsageResult(
    ImportOutcome Outcome,
    string File,
    string Sha256,
    long ImportId,
    DateTime ImportedAt,
    long Calls,
    long Replaced,
    IReadOnlyDictionary<string, decimal> Cost,
    IReadOnlyList<LlmModelUsage> Models,
    string Store)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <param name="Model">The catalogue key the log's model names resolved to.</param>
/// <param name="Tiers">Calls per price tier: standard, batch, long_context.</param>
/// <param name="PricesUsed">Each price entry used: its effective-from instant (null for the earliest) and source.</param>
public sealed record LlmModelUsage(
    string Provider,
    string Model,
    long Calls,
    long InputTokens,
    long CachedInputTokens,
    long CacheWriteTokens,
    long OutputTokens,
    long ReasoningTokens,
    decimal Cost,
    string Currency,
    IReadOnlyDictionary<string, long> Tiers,
    IReadOnlyList<string> PricesUsed);

/// <summary>
/// Prices every call of an LLM usage log at the catalogue's per-token prices in effect when it was made (each token
/// once, whatever the provider's convention) and stores the calls in one transaction. An unknown model refuses the log.
/// </summary>
public sealed class ImportLlmUsageUseCase(StoreProvider stores, ModelMeterEnvironment environment, PriceCatalogs catalogs)
{
    public ImportLlmUsageResult Run(ImportLlmUsageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = stores.LoadConfig(request.Store);
        var catalog = catalogs.Load(request.Store.Config);
        var file = ImportFile.Read(environment, request.Path, "LLM usage log");
        var logged = LlmUsageJsonl.Parse(file.Text, request.Path);
        if (logged.Count == 0)
        {
            throw new UserInputException($"{request.Path}: no calls; nothing was imported.");
        }

        var calls = new List<(LlmCall Call, LlmCharge Charge)>();
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var call in logged)
        {
            if (!keys.TryGetValue(call.Model, out var key))
            {
                try
                {
                    keys[call.Model] = key = LlmPricing.Resolve(catalog, call.Model);
                }
                catch (UserInputException e)
                {
                    throw new UserInputException($"{request.Path}: line {call.Line}, $.model: {e.Message}", e);
                }
            }

            var charge = LlmPricing.Price(catalog, key, call.At, call.Tokens, call.Batch);
            var t = call.Tokens;
            calls.Add((new LlmCall(call.At, call.Provider, key, charge.Tier, t.Input, t.CachedInput, t.CacheWrite, t.Output, t.Reasoning, charge.Cost, charge.Currency, call.Tags), charge));
        }

        var warnings = calls.SelectMany(c => c.Charge.Notes).Distinct(StringComparer.Ordinal).ToList();
        warnings.AddRange(catalogs.StaleWarnings(catalog, calls.Select(c => c.Charge.Price).Distinct()));
        var models = calls.GroupBy(c => (c.Call.Provider, c.Call.Model, c.Call.Currency))
            .Select(g => new LlmModelUsage(
                g.Key.Provider, g.Key.Model, g.Count(), g.Sum(c => c.Call.InputTokens), g.Sum(c => c.Call.CachedInputTokens), g.Sum(c => c.Call.CacheWriteTokens),
                g.Sum(c => c.Call.OutputTokens), g.Sum(c => c.Call.ReasoningTokens), g.Sum(c => c.Call.Cost), g.Key.Currency,
                g.GroupBy(c => c.Call.Tier, StringComparer.Ordinal).ToDictionary(t => t.Key, t => (long)t.Count(), StringComparer.Ordinal),
                g.Select(c => c.Charge.Price).Distinct()
                    .Select(p => p.EffectiveFrom is { } from ? string.Create(CultureInfo.InvariantCulture, $"from {from:yyyy-MM-ddTHH:mm}Z: {p.Provenance.Source}") : p.Provenance.Source)
                    .ToList()))
            .OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        var cost = calls.GroupBy(c => c.Call.Currency, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Call.Cost), StringComparer.Ordinal);

        _ = config;
        using var opened = stores.Open(request.Store, StoreAccess.Write);
        if (opened.Store.FindImportByContentHash(file.Sha256) is { Kind: ImportKind.LlmUsage } known)
        {
            return new ImportLlmUsageResult(ImportOutcome.AlreadyImported, file.Path, file.Sha256, known.ImportId, known.ImportedAt, known.Rows, 0, cost, models, opened.Location.ToString())
            {
                Warnings = warnings,
            };
        }

        var record = opened.Store.ImportLlmCalls(calls.Select(c => c.Call).ToList(), new ImportedFile(file.Path, file.Sha256, file.Bytes, calls.Count));
        return new ImportLlmUsageResult(ImportOutcome.Imported, file.Path, file.Sha256, record.ImportId, record.ImportedAt, record.Rows, record.ReplacedRows, cost, models, opened.Location.ToString())
        {
            Warnings = warnings,
        };
    }
}
