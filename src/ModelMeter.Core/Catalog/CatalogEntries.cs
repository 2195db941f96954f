using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Catalog;

/// <summary>Where a price came from and when it was read there. <paramref name="Origin"/> names the file that set it.</summary>
public sealed record Provenance(string Source, DateOnly AsOf, string Origin)
{
    public int AgeInDays(DateOnly today) => today.DayNumber - AsOf.DayNumber;
}

/// <summary>Anything the catalogue holds: a key unique within its kind, a one-line summary and its provenance.</summary>
public interface ICatalogEntry
{
    /// <summary>gpu, instance, llm, storage or transfer.</summary>
    string Kind { get; }

    string Key { get; }

    /// <summary>A short human description of the figures, for <c>modelmeter catalog</c>.</summary>
    string Summary { get; }

    Provenance Provenance { get; }
}

/// <summary>Precisions a GPU's peak throughput can be given for.</summary>
internal static class Precisions
{
    public static readonly IReadOnlyList<string> All = ["fp32", "tf32", "bf16", "fp16", "fp8"];
}

public sealed record GpuSpec(string Key, string Name, decimal MemoryGb, IReadOnlyDictionary<string, double> PeakTflops, Provenance Provenance)
    : ICatalogEntry
{
    public string Kind => "gpu";

    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}, {MemoryGb} GB; dense TFLOPS {string.Join(", ", Precisions.All.Where(PeakTflops.ContainsKey).Select(p => $"{p} {PeakTflops[p]}"))}");

    /// <summary>Peak dense TFLOPS at a precision; a clear error when the GPU has no figure for it.</summary>
    public double PeakTflopsFor(string precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        if (PeakTflops.TryGetValue(precision.ToLowerInvariant(), out var value))
        {
            return value;
        }

        throw new UserInputException(
            $"GPU '{Key}' has no peak throughput for precision '{precision}' in the catalogue; it has: {string.Join(", ", PeakTflops.Keys)}.");
    }
}

/// <summary>A price per hour with the basis it rests on (a list price, or a discount applied to on-demand).</summary>
public sealed record HourlyPrice(decimal PerHour, string Basis);

public sealed record InstanceType(
    string Key,
    string Provider,
    string Region,
    string GpuKey,
    int GpuCount,
    int Vcpu,
    decimal MemoryGb,
    string Currency,
    decimal OnDemandPerHour,
    HourlyPrice? Spot,
    HourlyPrice? Commitment1y,
    Provenance Provenance) : ICatalogEntry
{
    public string Kind => "instance";

    public string Summary =>
        FormattableString.Invariant($"{Provider} {Region}: {GpuCount}x {GpuKey}, {Vcpu} vCPU, {MemoryGb} GB; on-demand {OnDemandPerHour} {Currency}/h")
        + (Spot is null ? string.Empty : FormattableString.Invariant($", spot ~{Spot.PerHour:0.####}"))
        + (Commitment1y is null ? string.Empty : FormattableString.Invariant($", 1-yr ~{Commitment1y.PerHour:0.####}"));
}

public sealed record LlmPrice(
    string Key,
    string Provider,
    string Currency,
    decimal InputPerMillion,
    decimal? CachedInputPerMillion,
    decimal OutputPerMillion,
    string? Note,
    Provenance Provenance) : ICatalogEntry
{
    public string Kind => "llm";

    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"{Provider}: per 1M tokens input {InputPerMillion}, cached input {(CachedInputPerMillion is { } c ? c.ToString(CultureInfo.InvariantCulture) : "n/a")}, output {OutputPerMillion} {Currency}")
        + (EffectiveFrom is { } from ? string.Create(CultureInfo.InvariantCulture, $", from {from:yyyy-MM-dd HH:mm}Z") : string.Empty)
        + (Note is null ? string.Empty : $" ({Note})");

    /// <summary>The UTC instant from which this price applies; null for the earliest known price.</summary>
    public DateTime? EffectiveFrom { get; init; }

    /// <summary>The model's name in the source price list (litellm's key), so usage logs can name it either way.</summary>
    public string? SourceModel { get; init; }

    public decimal? CacheWritePerMillion { get; init; }

    public decimal? BatchInputPerMillion { get; init; }

    public decimal? BatchOutputPerMillion { get; init; }

    public long? LongContextThreshold { get; init; }

    public decimal? LongContextInputPerMillion { get; init; }

    public decimal? LongContextCachedInputPerMillion { get; init; }

    public decimal? LongContextOutputPerMillion { get; init; }
}

public sealed record StoragePrice(
    string Key,
    string Provider,
    string Region,
    string Tier,
    string Currency,
    decimal PerGbMonth,
    decimal? PutPer1k,
    decimal? GetPer1k,
    string? Note,
    Provenance Provenance) : ICatalogEntry
{
    public string Kind => "storage";

    public string Summary =>
        FormattableString.Invariant($"{Provider} {Region} {Tier}: {PerGbMonth} {Currency}/GB-month")
        + (PutPer1k is { } put ? FormattableString.Invariant($", PUT {put}/1k") : string.Empty)
        + (GetPer1k is { } get ? FormattableString.Invariant($", GET {get}/1k") : string.Empty)
        + (Note is null ? string.Empty : $" ({Note})");
}

public sealed record TransferPrice(
    string Key,
    string Provider,
    string Path,
    string Currency,
    decimal PerGb,
    bool BothDirections,
    string? Note,
    Provenance Provenance) : ICatalogEntry
{
    public string Kind => "transfer";

    /// <summary>What one GB moved along the path costs in all: both sides pay when <see cref="BothDirections"/>.</summary>
    public decimal EffectivePerGb => BothDirections ? PerGb * 2 : PerGb;

    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"{Provider} {Path}: {PerGb} {Currency}/GB{(BothDirections ? " each side" : string.Empty)}")
        + (Note is null ? string.Empty : $" ({Note})");
}
