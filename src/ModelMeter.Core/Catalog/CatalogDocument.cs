using YamlDotNet.Serialization;

namespace ModelMeter.Core.Catalog;

/// <summary>
/// One catalogue file as written in YAML (the shipped <c>data/catalog/*.yaml</c>, or the <c>prices:</c> section of
/// <c>modelmeter.yaml</c>). File-level <c>source</c>, <c>as_of</c>, <c>currency</c> and discounts apply to every entry
/// that does not set its own. Mutable because YamlDotNet fills it; <see cref="PriceCatalog"/> turns it into immutable entries.
/// </summary>
public sealed class CatalogDocument
{
    public string? Source { get; set; }

    /// <summary>ISO date (yyyy-MM-dd) the prices were read from their source.</summary>
    public string? AsOf { get; set; }

    public string? Currency { get; set; }

    /// <summary>Indicative spot discount (0.5 = half of on-demand) for instances that give no spot price.</summary>
    public decimal? SpotDiscount { get; set; }

    public string? SpotSource { get; set; }

    [YamlMember(Alias = "commitment_1y_discount")]
    public decimal? Commitment1yDiscount { get; set; }

    [YamlMember(Alias = "commitment_1y_source")]
    public string? Commitment1ySource { get; set; }

    public List<GpuEntryDocument>? Gpus { get; set; }

    public List<InstanceEntryDocument>? Instances { get; set; }

    public List<LlmEntryDocument>? Llm { get; set; }

    public List<StorageEntryDocument>? Storage { get; set; }

    public List<TransferEntryDocument>? Transfer { get; set; }
}

/// <summary>Fields every entry may carry to override its file's provenance.</summary>
public abstract class EntryDocument
{
    public string? Key { get; set; }

    public string? Source { get; set; }

    public string? AsOf { get; set; }

    public string? Note { get; set; }

    protected void MergeCommon(EntryDocument other)
    {
        Source = other.Source ?? Source;
        AsOf = other.AsOf ?? AsOf;
        Note = other.Note ?? Note;
    }
}

public sealed class GpuEntryDocument : EntryDocument
{
    public string? Name { get; set; }

    public decimal? MemoryGb { get; set; }

    /// <summary>Peak dense TFLOPS by precision: fp32, tf32, bf16, fp16, fp8.</summary>
    public Dictionary<string, double>? Tflops { get; set; }

    public GpuEntryDocument MergedWith(GpuEntryDocument other)
    {
        var merged = (GpuEntryDocument)MemberwiseClone();
        merged.MergeCommon(other);
        merged.Name = other.Name ?? Name;
        merged.MemoryGb = other.MemoryGb ?? MemoryGb;
        if (other.Tflops is not null)
        {
            merged.Tflops = new Dictionary<string, double>(Tflops ?? [], StringComparer.OrdinalIgnoreCase);
            foreach (var (precision, value) in other.Tflops)
            {
                merged.Tflops[precision] = value;
            }
        }

        return merged;
    }
}

public sealed class InstanceEntryDocument : EntryDocument
{
    public string? Provider { get; set; }

    public string? Region { get; set; }

    public string? Gpu { get; set; }

    public int? GpuCount { get; set; }

    public int? Vcpu { get; set; }

    public decimal? MemoryGb { get; set; }

    public string? Currency { get; set; }

    /// <summary>On-demand price per instance-hour.</summary>
    public decimal? OnDemand { get; set; }

    /// <summary>A spot price per hour, when known; otherwise <see cref="SpotDiscount"/> derives one from on-demand.</summary>
    public decimal? Spot { get; set; }

    public decimal? SpotDiscount { get; set; }

    public string? SpotSource { get; set; }

    [YamlMember(Alias = "commitment_1y")]
    public decimal? Commitment1y { get; set; }

    [YamlMember(Alias = "commitment_1y_discount")]
    public decimal? Commitment1yDiscount { get; set; }

    [YamlMember(Alias = "commitment_1y_source")]
    public string? Commitment1ySource { get; set; }

    public InstanceEntryDocument MergedWith(InstanceEntryDocument other)
    {
        var merged = (InstanceEntryDocument)MemberwiseClone();
        merged.MergeCommon(other);
        merged.Provider = other.Provider ?? Provider;
        merged.Region = other.Region ?? Region;
        merged.Gpu = other.Gpu ?? Gpu;
        merged.GpuCount = other.GpuCount ?? GpuCount;
        merged.Vcpu = other.Vcpu ?? Vcpu;
        merged.MemoryGb = other.MemoryGb ?? MemoryGb;
        merged.Currency = other.Currency ?? Currency;
        merged.OnDemand = other.OnDemand ?? OnDemand;
        merged.SpotDiscount = other.SpotDiscount ?? SpotDiscount;
        merged.SpotSource = other.SpotSource ?? SpotSource;
        merged.Commitment1yDiscount = other.Commitment1yDiscount ?? Commitment1yDiscount;
        merged.Commitment1ySource = other.Commitment1ySource ?? Commitment1ySource;

        // A new on-demand price makes an inherited absolute spot or commitment price meaningless: derive them again
        // from the discount unless the override gives them too.
        merged.Spot = other.Spot ?? (other.OnDemand is null ? Spot : null);
        merged.Commitment1y = other.Commitment1y ?? (other.OnDemand is null ? Commitment1y : null);
        return merged;
    }
}

public sealed class LlmEntryDocument : EntryDocument
{
    public string? Provider { get; set; }

    /// <summary>The model's key in the source price list, for traceability.</summary>
    public string? SourceModel { get; set; }

    public string? Currency { get; set; }

    /// <summary>Price per million input tokens.</summary>
    public decimal? Input { get; set; }

    /// <summary>Price per million cache-read input tokens.</summary>
    public decimal? CachedInput { get; set; }

    /// <summary>Price per million output tokens.</summary>
    public decimal? Output { get; set; }

    /// <summary>The instant (or date, UTC) from which this price applies; absent for the earliest known price.</summary>
    public string? EffectiveFrom { get; set; }

    /// <summary>Price per million cache-write (cache creation) input tokens (Anthropic).</summary>
    public decimal? CacheWrite { get; set; }

    /// <summary>Batch API prices per million tokens.</summary>
    public decimal? BatchInput { get; set; }

    public decimal? BatchOutput { get; set; }

    /// <summary>Prompts above this many tokens bill at the long-context prices.</summary>
    public long? LongContextThreshold { get; set; }

    public decimal? LongContextInput { get; set; }

    public decimal? LongContextCachedInput { get; set; }

    public decimal? LongContextOutput { get; set; }

    public LlmEntryDocument MergedWith(LlmEntryDocument other)
    {
        var merged = (LlmEntryDocument)MemberwiseClone();
        merged.MergeCommon(other);
        merged.Provider = other.Provider ?? Provider;
        merged.SourceModel = other.SourceModel ?? SourceModel;
        merged.Currency = other.Currency ?? Currency;
        merged.Input = other.Input ?? Input;
        merged.CachedInput = other.CachedInput ?? CachedInput;
        merged.Output = other.Output ?? Output;
        merged.EffectiveFrom = other.EffectiveFrom ?? EffectiveFrom;
        merged.CacheWrite = other.CacheWrite ?? CacheWrite;
        merged.BatchInput = other.BatchInput ?? BatchInput;
        merged.BatchOutput = other.BatchOutput ?? BatchOutput;
        merged.LongContextThreshold = other.LongContextThreshold ?? LongContextThreshold;
        merged.LongContextInput = other.LongContextInput ?? LongContextInput;
        merged.LongContextCachedInput = other.LongContextCachedInput ?? LongContextCachedInput;
        merged.LongContextOutput = other.LongContextOutput ?? LongContextOutput;
        return merged;
    }
}

public sealed class StorageEntryDocument : EntryDocument
{
    public string? Provider { get; set; }

    public string? Region { get; set; }

    public string? Tier { get; set; }

    public string? Currency { get; set; }

    public decimal? PerGbMonth { get; set; }

    [YamlMember(Alias = "put_per_1k")]
    public decimal? PutPer1k { get; set; }

    [YamlMember(Alias = "get_per_1k")]
    public decimal? GetPer1k { get; set; }

    public StorageEntryDocument MergedWith(StorageEntryDocument other)
    {
        var merged = (StorageEntryDocument)MemberwiseClone();
        merged.MergeCommon(other);
        merged.Provider = other.Provider ?? Provider;
        merged.Region = other.Region ?? Region;
        merged.Tier = other.Tier ?? Tier;
        merged.Currency = other.Currency ?? Currency;
        merged.PerGbMonth = other.PerGbMonth ?? PerGbMonth;
        merged.PutPer1k = other.PutPer1k ?? PutPer1k;
        merged.GetPer1k = other.GetPer1k ?? GetPer1k;
        return merged;
    }
}

public sealed class TransferEntryDocument : EntryDocument
{
    public string? Provider { get; set; }

    /// <summary>same-zone, cross-zone, cross-region or internet-egress.</summary>
    public string? Path { get; set; }

    public string? Currency { get; set; }

    public decimal? PerGb { get; set; }

    /// <summary>True when both the sending and the receiving side pay <see cref="PerGb"/> (AWS inter-zone).</summary>
    public bool? BothDirections { get; set; }

    public TransferEntryDocument MergedWith(TransferEntryDocument other)
    {
        var merged = (TransferEntryDocument)MemberwiseClone();
        merged.MergeCommon(other);
        merged.Provider = other.Provider ?? Provider;
        merged.Path = other.Path ?? Path;
        merged.Currency = other.Currency ?? Currency;
        merged.PerGb = other.PerGb ?? PerGb;
        merged.BothDirections = other.BothDirections ?? BothDirections;
        return merged;
    }
}
