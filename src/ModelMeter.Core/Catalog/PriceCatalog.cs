using System.Globalization;
using System.Reflection;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Catalog;

/// <summary>A catalogue document and the name of the file it came from, in the order it applies.</summary>
public sealed record CatalogSource(string Origin, CatalogDocument Document);

/// <summary>
/// The price catalogue: GPUs, instance types, LLM token prices, storage and transfer, each entry dated and sourced.
/// Built from the shipped files (embedded in this assembly) and then the user's <c>prices:</c> overrides: a later
/// entry with the same key overrides the fields it sets and keeps the rest; a new key adds an entry.
/// </summary>
public sealed class PriceCatalog
{
    /// <summary>Entries older than this produce a staleness warning.</summary>
    public const int StaleAfterDays = 180;

    private const string ResourcePrefix = "ModelMeter.Catalog.";

    private readonly Dictionary<string, GpuSpec> _gpus;
    private readonly Dictionary<string, InstanceType> _instances;
    private readonly Dictionary<string, LlmPrice> _llm;
    private readonly Dictionary<string, IReadOnlyList<LlmPrice>> _llmHistory;
    private readonly Dictionary<string, StoragePrice> _storage;
    private readonly Dictionary<string, TransferPrice> _transfer;

    private PriceCatalog(
        Dictionary<string, GpuSpec> gpus,
        Dictionary<string, InstanceType> instances,
        Dictionary<string, IReadOnlyList<LlmPrice>> llm,
        Dictionary<string, StoragePrice> storage,
        Dictionary<string, TransferPrice> transfer)
    {
        _gpus = gpus;
        _instances = instances;
        _llmHistory = llm;

        // The current price of each model is its latest entry; LlmAt prices a moment in the past.
        _llm = llm.ToDictionary(p => p.Key, p => p.Value[^1], StringComparer.OrdinalIgnoreCase);
        _storage = storage;
        _transfer = transfer;
    }

    public IEnumerable<GpuSpec> Gpus => _gpus.Values;

    public IEnumerable<InstanceType> Instances => _instances.Values;

    public IEnumerable<LlmPrice> LlmPrices => _llm.Values;

    public IEnumerable<StoragePrice> StoragePrices => _storage.Values;

    public IEnumerable<TransferPrice> TransferPrices => _transfer.Values;

    public IEnumerable<ICatalogEntry> Entries =>
        Gpus.Cast<ICatalogEntry>().Concat(Instances).Concat(LlmPrices).Concat(StoragePrices).Concat(TransferPrices);

    /// <summary>The shipped catalogue documents, embedded in this assembly from <c>data/catalog/*.yaml</c>.</summary>
    public static IReadOnlyList<CatalogSource> BuiltInSources()
    {
        var assembly = typeof(PriceCatalog).Assembly;
        var sources = new List<CatalogSource>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded catalogue resource '{name}' is missing.");
            using var reader = new StreamReader(stream);
            var origin = "data/catalog/" + name[ResourcePrefix.Length..];
            sources.Add(new CatalogSource(origin, CatalogParser.Parse(reader.ReadToEnd(), origin)));
        }

        if (sources.Count == 0)
        {
            throw new InvalidOperationException("No price catalogue is embedded in " + assembly.GetName().Name + ".");
        }

        return sources;
    }

    /// <summary>The shipped catalogue, then the user's overrides (the <c>prices:</c> section of modelmeter.yaml) when given.</summary>
    public static PriceCatalog Load(CatalogDocument? userPrices = null, string userOrigin = "modelmeter.yaml")
    {
        var sources = BuiltInSources().ToList();
        if (userPrices is not null)
        {
            sources.Add(new CatalogSource(userOrigin, userPrices));
        }

        return Build(sources);
    }

    public static PriceCatalog Build(IEnumerable<CatalogSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var gpus = new Dictionary<string, (GpuEntryDocument Doc, string Origin)>(StringComparer.OrdinalIgnoreCase);
        var instances = new Dictionary<string, (InstanceEntryDocument Doc, string Origin)>(StringComparer.OrdinalIgnoreCase);
        var llm = new Dictionary<string, List<(LlmEntryDocument Doc, string Origin)>>(StringComparer.OrdinalIgnoreCase);
        var storage = new Dictionary<string, (StorageEntryDocument Doc, string Origin)>(StringComparer.OrdinalIgnoreCase);
        var transfer = new Dictionary<string, (TransferEntryDocument Doc, string Origin)>(StringComparer.OrdinalIgnoreCase);

        foreach (var (origin, document) in sources)
        {
            foreach (var entry in document.Gpus ?? [])
            {
                ApplyFileDefaults(entry, document);
                Merge(gpus, entry, origin, "gpus", (a, b) => a.MergedWith(b));
            }

            foreach (var entry in document.Instances ?? [])
            {
                ApplyFileDefaults(entry, document);
                entry.Currency ??= document.Currency;
                entry.SpotDiscount ??= document.SpotDiscount;
                entry.SpotSource ??= document.SpotSource;
                entry.Commitment1yDiscount ??= document.Commitment1yDiscount;
                entry.Commitment1ySource ??= document.Commitment1ySource;
                Merge(instances, entry, origin, "instances", (a, b) => a.MergedWith(b));
            }

            foreach (var entry in document.Llm ?? [])
            {
                ApplyFileDefaults(entry, document);
                entry.Currency ??= document.Currency;
                MergeLlm(llm, entry, origin);
            }

            foreach (var entry in document.Storage ?? [])
            {
                ApplyFileDefaults(entry, document);
                entry.Currency ??= document.Currency;
                Merge(storage, entry, origin, "storage", (a, b) => a.MergedWith(b));
            }

            foreach (var entry in document.Transfer ?? [])
            {
                ApplyFileDefaults(entry, document);
                entry.Currency ??= document.Currency;
                Merge(transfer, entry, origin, "transfer", (a, b) => a.MergedWith(b));
            }
        }

        var gpuSpecs = gpus.ToDictionary(p => p.Key, p => ToGpu(p.Value.Doc, p.Value.Origin), StringComparer.OrdinalIgnoreCase);
        var catalog = new PriceCatalog(
            gpuSpecs,
            instances.ToDictionary(p => p.Key, p => ToInstance(p.Value.Doc, p.Value.Origin, gpuSpecs), StringComparer.OrdinalIgnoreCase),
            llm.ToDictionary(
                p => p.Key,
                p => (IReadOnlyList<LlmPrice>)p.Value.Select(e => ToLlm(e.Doc, e.Origin)).OrderBy(e => e.EffectiveFrom ?? DateTime.MinValue).ToList(),
                StringComparer.OrdinalIgnoreCase),
            storage.ToDictionary(p => p.Key, p => ToStorage(p.Value.Doc, p.Value.Origin), StringComparer.OrdinalIgnoreCase),
            transfer.ToDictionary(p => p.Key, p => ToTransfer(p.Value.Doc, p.Value.Origin), StringComparer.OrdinalIgnoreCase));
        return catalog;
    }

    public GpuSpec Gpu(string key) => Find(_gpus, key, "GPU");

    public InstanceType Instance(string key) => Find(_instances, key, "instance type");

    public LlmPrice Llm(string key) => Find(_llm, key, "LLM model");

    /// <summary>Every price a model has had, oldest first (the first has no effective-from date).</summary>
    public IReadOnlyList<LlmPrice> LlmHistory(string key) => Find(_llmHistory, key, "LLM model");

    /// <summary>The price of a model in effect at <paramref name="atUtc"/>: its latest entry that took effect by then.</summary>
    public LlmPrice LlmAt(string key, DateTime atUtc)
    {
        var history = LlmHistory(key);
        return history.LastOrDefault(p => p.EffectiveFrom is null || p.EffectiveFrom <= atUtc) ?? history[0];
    }

    public StoragePrice Storage(string key) => Find(_storage, key, "storage tier");

    public TransferPrice Transfer(string key) => Find(_transfer, key, "transfer path");

    /// <summary>Entries whose key, kind or summary contains the term (case-insensitive).</summary>
    public IEnumerable<ICatalogEntry> Search(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return Entries.Where(e =>
            e.Key.Contains(term, StringComparison.OrdinalIgnoreCase)
            || e.Kind.Contains(term, StringComparison.OrdinalIgnoreCase)
            || e.Summary.Contains(term, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Entries older than <see cref="StaleAfterDays"/> on the clock's current UTC date.</summary>
    public IReadOnlyList<ICatalogEntry> StaleEntries(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return Entries.Where(e => e.Provenance.AgeInDays(today) > StaleAfterDays).ToList();
    }

    /// <summary>One warning line for stale entries among those given (all entries when null), or null when none is stale.</summary>
    public string? StalenessWarning(TimeProvider clock, IEnumerable<ICatalogEntry>? used = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var stale = (used ?? Entries).Where(e => e.Provenance.AgeInDays(today) > StaleAfterDays).ToList();
        if (stale.Count == 0)
        {
            return null;
        }

        var oldest = stale.MinBy(e => e.Provenance.AsOf)!;
        var what = used is null ? $"{stale.Count} of {Entries.Count()} catalogue entries are" : $"{stale.Count} price(s) used here are";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{what} older than {StaleAfterDays} days (oldest: {oldest.Kind} '{oldest.Key}' as of {oldest.Provenance.AsOf:yyyy-MM-dd}, {oldest.Provenance.AgeInDays(today)} days ago). List prices move: override them under 'prices:' in modelmeter.yaml.");
    }

    private static T Find<T>(Dictionary<string, T> entries, string key, string kind)
    {
        ArgumentNullException.ThrowIfNull(key);
        return entries.TryGetValue(key, out var entry)
            ? entry
            : throw new UserInputException(NearMatches.UnknownKeyMessage(kind, key, entries.Keys));
    }

    /// <summary>
    /// LLM entries form a price history per key. An entry with <c>effective_from</c> is a price from then on (it merges
    /// into the entry of that key and instant, or starts one from the key's previous price); an override without it
    /// changes every price of the key, so a user's rate card is never shadowed by a later shipped price.
    /// </summary>
    private static void MergeLlm(Dictionary<string, List<(LlmEntryDocument Doc, string Origin)>> entries, LlmEntryDocument entry, string origin)
    {
        if (string.IsNullOrWhiteSpace(entry.Key))
        {
            throw new UserInputException($"{origin}: an entry under 'llm' has no key.");
        }

        if (!entries.TryGetValue(entry.Key, out var history))
        {
            entries[entry.Key] = [(entry, origin)];
            return;
        }

        var sameFile = history.All(h => h.Origin == origin);
        if (!sameFile && (entry.Source is null || entry.AsOf is null))
        {
            throw new UserInputException($"{origin}: the override of '{entry.Key}' under 'llm' needs its own source and as_of (on the entry or once for the section).");
        }

        if (entry.EffectiveFrom is null)
        {
            if (sameFile)
            {
                throw new UserInputException($"{origin}: '{entry.Key}' is listed twice under 'llm' without effective_from; give the later price the instant it took effect.");
            }

            for (var i = 0; i < history.Count; i++)
            {
                history[i] = (history[i].Doc.MergedWith(entry), origin);
            }

            return;
        }

        var instant = EffectiveInstant(entry, origin);
        var same = history.FindIndex(h => h.Doc.EffectiveFrom is { } e && EffectiveInstant(h.Doc, h.Origin) == instant);
        if (same >= 0)
        {
            history[same] = (history[same].Doc.MergedWith(entry), origin);
            return;
        }

        var previous = history.Where(h => h.Doc.EffectiveFrom is null || EffectiveInstant(h.Doc, h.Origin) < instant)
            .OrderBy(h => h.Doc.EffectiveFrom is null ? DateTime.MinValue : EffectiveInstant(h.Doc, h.Origin)).LastOrDefault();
        history.Add((previous.Doc is null ? entry : previous.Doc.MergedWith(entry), origin));
    }

    private static DateTime EffectiveInstant(LlmEntryDocument entry, string origin)
    {
        var text = entry.EffectiveFrom!;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime
            : throw new UserInputException($"{origin}: LLM entry '{entry.Key}': effective_from '{text}' is not a date (2025-09-05) or an instant (2025-09-05T16:00:00Z).");
    }

    private static void ApplyFileDefaults(EntryDocument entry, CatalogDocument document)
    {
        entry.Source ??= document.Source;
        entry.AsOf ??= document.AsOf;
    }

    private static void Merge<T>(Dictionary<string, (T Doc, string Origin)> entries, T entry, string origin, string section, Func<T, T, T> merge)
        where T : EntryDocument
    {
        if (string.IsNullOrWhiteSpace(entry.Key))
        {
            throw new UserInputException($"{origin}: an entry under '{section}' has no key.");
        }

        if (entries.TryGetValue(entry.Key, out var existing))
        {
            // An override changes prices, so it must say where the new figures come from: inheriting the shipped
            // source and date would misattribute them.
            if (entry.Source is null || entry.AsOf is null)
            {
                throw new UserInputException(
                    $"{origin}: the override of '{entry.Key}' under '{section}' needs its own source and as_of (on the entry or once for the section).");
            }

            entries[entry.Key] = (merge(existing.Doc, entry), origin);
        }
        else
        {
            entries[entry.Key] = (entry, origin);
        }
    }

    private static Provenance ProvenanceOf(EntryDocument entry, string origin)
    {
        var source = entry.Source ?? throw Missing(origin, entry, "source (where the price comes from)");
        var asOfText = entry.AsOf ?? throw Missing(origin, entry, "as_of (the date the price was read, yyyy-MM-dd)");
        if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
        {
            throw new UserInputException($"{origin}: entry '{entry.Key}': as_of '{asOfText}' is not a date in the form yyyy-MM-dd.");
        }

        return new Provenance(source, asOf, origin);
    }

    private static UserInputException Missing(string origin, EntryDocument entry, string field) =>
        new($"{origin}: entry '{entry.Key}' has no {field}; set it on the entry or once for the file.");

    private static decimal NonNegative(decimal? value, string origin, EntryDocument entry, string field)
    {
        var v = value ?? throw Missing(origin, entry, field);
        return v >= 0 ? v : throw new UserInputException($"{origin}: entry '{entry.Key}': {field} must not be negative (got {v.ToString(CultureInfo.InvariantCulture)}).");
    }

    private static string CurrencyOf(string? currency, string origin, EntryDocument entry)
    {
        var c = currency ?? "USD";
        return Monetary.Currency.IsKnown(c)
            ? c
            : throw new UserInputException($"{origin}: entry '{entry.Key}': currency '{c}' is not an ISO 4217 code such as USD.");
    }

    private static GpuSpec ToGpu(GpuEntryDocument d, string origin)
    {
        var tflops = d.Tflops is { Count: > 0 } t ? t : throw Missing(origin, d, "tflops (peak dense TFLOPS by precision)");
        foreach (var (precision, value) in tflops)
        {
            if (!Precisions.All.Contains(precision.ToLowerInvariant()))
            {
                throw new UserInputException($"{origin}: GPU '{d.Key}': unknown precision '{precision}'; use {string.Join(", ", Precisions.All)}.");
            }

            if (!(value > 0))
            {
                throw new UserInputException($"{origin}: GPU '{d.Key}': {precision} TFLOPS must be positive.");
            }
        }

        return new GpuSpec(
            d.Key!,
            d.Name ?? d.Key!,
            NonNegative(d.MemoryGb, origin, d, "memory_gb"),
            tflops.ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value, StringComparer.OrdinalIgnoreCase),
            ProvenanceOf(d, origin));
    }

    private static InstanceType ToInstance(InstanceEntryDocument d, string origin, Dictionary<string, GpuSpec> gpus)
    {
        var gpu = d.Gpu ?? throw Missing(origin, d, "gpu");
        if (!gpus.TryGetValue(gpu, out var gpuSpec))
        {
            throw new UserInputException($"{origin}: instance '{d.Key}': {NearMatches.UnknownKeyMessage("GPU", gpu, gpus.Keys)}");
        }

        var onDemand = NonNegative(d.OnDemand, origin, d, "on_demand (price per hour)");
        var gpuCount = d.GpuCount is > 0 ? d.GpuCount.Value : throw Missing(origin, d, "gpu_count (a positive whole number)");
        return new InstanceType(
            d.Key!,
            d.Provider ?? throw Missing(origin, d, "provider"),
            d.Region ?? throw Missing(origin, d, "region"),
            gpuSpec.Key,
            gpuCount,
            d.Vcpu ?? 0,
            d.MemoryGb ?? 0,
            CurrencyOf(d.Currency, origin, d),
            onDemand,
            Derived(d.Spot, d.SpotDiscount, d.SpotSource, onDemand, "spot", origin, d),
            Derived(d.Commitment1y, d.Commitment1yDiscount, d.Commitment1ySource, onDemand, "1-year commitment", origin, d),
            ProvenanceOf(d, origin));
    }

    private static HourlyPrice? Derived(decimal? price, decimal? discount, string? basis, decimal onDemand, string what, string origin, EntryDocument d)
    {
        if (price is { } p)
        {
            // A given price rests on the entry's own source; the discount basis text describes derived prices only.
            return new HourlyPrice(NonNegative(p, origin, d, what + " price"), d.Source ?? origin);
        }

        if (discount is { } x)
        {
            if (x is < 0 or >= 1)
            {
                throw new UserInputException($"{origin}: entry '{d.Key}': {what} discount must be at least 0 and below 1 (got {x.ToString(CultureInfo.InvariantCulture)}).");
            }

            return new HourlyPrice(onDemand * (1 - x), basis ?? string.Create(CultureInfo.InvariantCulture, $"on-demand less {x:P0}"));
        }

        return null;
    }

    private static LlmPrice ToLlm(LlmEntryDocument d, string origin) => new(
        d.Key!,
        d.Provider ?? throw Missing(origin, d, "provider"),
        CurrencyOf(d.Currency, origin, d),
        NonNegative(d.Input, origin, d, "input (price per million input tokens)"),
        d.CachedInput is { } cached ? NonNegative(cached, origin, d, "cached_input") : null,
        NonNegative(d.Output, origin, d, "output (price per million output tokens)"),
        d.Note,
        ProvenanceOf(d, origin))
    {
        EffectiveFrom = d.EffectiveFrom is null ? null : EffectiveInstant(d, origin),
        SourceModel = d.SourceModel,
        CacheWritePerMillion = Optional(d.CacheWrite, origin, d, "cache_write"),
        BatchInputPerMillion = Optional(d.BatchInput, origin, d, "batch_input"),
        BatchOutputPerMillion = Optional(d.BatchOutput, origin, d, "batch_output"),
        LongContextThreshold = d.LongContextThreshold is > 0 or null ? d.LongContextThreshold : throw new UserInputException($"{origin}: entry '{d.Key}': long_context_threshold must be positive."),
        LongContextInputPerMillion = Optional(d.LongContextInput, origin, d, "long_context_input"),
        LongContextCachedInputPerMillion = Optional(d.LongContextCachedInput, origin, d, "long_context_cached_input"),
        LongContextOutputPerMillion = Optional(d.LongContextOutput, origin, d, "long_context_output"),
    };

    private static decimal? Optional(decimal? value, string origin, EntryDocument entry, string field) =>
        value is { } v ? NonNegative(v, origin, entry, field) : null;

    private static StoragePrice ToStorage(StorageEntryDocument d, string origin) => new(
        d.Key!,
        d.Provider ?? throw Missing(origin, d, "provider"),
        d.Region ?? "any",
        d.Tier ?? throw Missing(origin, d, "tier"),
        CurrencyOf(d.Currency, origin, d),
        NonNegative(d.PerGbMonth, origin, d, "per_gb_month"),
        d.PutPer1k,
        d.GetPer1k,
        d.Note,
        ProvenanceOf(d, origin));

    private static TransferPrice ToTransfer(TransferEntryDocument d, string origin) => new(
        d.Key!,
        d.Provider ?? throw Missing(origin, d, "provider"),
        d.Path ?? throw Missing(origin, d, "path"),
        CurrencyOf(d.Currency, origin, d),
        NonNegative(d.PerGb, origin, d, "per_gb"),
        d.BothDirections ?? false,
        d.Note,
        ProvenanceOf(d, origin));
}
