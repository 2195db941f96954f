using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Prometheus;
using ModelMeter.Store;

namespace ModelMeter.Application.Usage;

/// <summary><c>import prometheus</c>: the server, the queries (presets and NAME=PROMQL), the range and step.</summary>
public sealed record ImportPrometheusRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Url { get; init; }

    /// <summary><c>dcgm</c>, <c>triton</c>, <c>vllm</c>, <c>kserve</c>, <c>requests</c>, <c>predictions</c>.</summary>
    public IReadOnlyList<string> Presets { get; init; } = [];

    /// <summary><c>NAME=PROMQL</c>, stored under NAME as the values come.</summary>
    public IReadOnlyList<string> Queries { get; init; } = [];

    /// <summary>ISO 8601 instant or date (UTC).</summary>
    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary><c>1h</c> (default), <c>15m</c>, <c>1d</c>.</summary>
    public string Step { get; init; } = "1h";

    /// <summary>Label matchers added to every preset query: <c>namespace="prod"</c>.</summary>
    public string? Selector { get; init; }

    /// <summary>The counter the <c>requests</c> and <c>predictions</c> presets read.</summary>
    public string? Counter { get; init; }

    /// <summary>A label whose value is the cloud resource (its FOCUS ResourceId): stored as <c>resource_id</c>.</summary>
    public string? ResourceLabel { get; init; }
}

/// <summary><c>import nvidia-smi</c>: a CSV of nvidia-smi --query-gpu, and the instance it came from.</summary>
public sealed record ImportNvidiaSmiRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Path { get; init; }

    /// <summary>The instance the GPUs are on (its FOCUS ResourceId).</summary>
    public string? ResourceId { get; init; }

    /// <summary>The host's UTC offset (nvidia-smi writes local time): <c>+02:00</c>; default UTC.</summary>
    public string? UtcOffset { get; init; }
}

/// <summary>The answer of <c>import prometheus</c> and <c>import nvidia-smi</c>.</summary>
/// <param name="Source">The server URL or the CSV file.</param>
/// <param name="Sha256">The SHA-256 of the samples read (or of the file).</param>
/// <param name="Samples">Samples stored.</param>
/// <param name="Replaced">Samples of earlier imports of the same metrics and days that these replaced.</param>
/// <param name="Metrics">Each metric with its days.</param>
/// <param name="Series">Series (label sets) per metric.</param>
/// <param name="Skipped">Values left out: NaN or infinite (Prometheus), <c>[N/A]</c> (nvidia-smi).</param>
public sealed record ImportSeriesResult(
    ImportOutcome Outcome,
    string Source,
    string Sha256,
    long ImportId,
    DateTime ImportedAt,
    long Samples,
    long Replaced,
    IReadOnlyList<string> Metrics,
    IReadOnlyDictionary<string, int> Series,
    int Skipped,
    string Store)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Pulls serving and GPU metrics from Prometheus's HTTP API into the usage samples, units normalised per preset.</summary>
public sealed class ImportPrometheusUseCase(StoreProvider stores, HttpClient http)
{
    public async Task<ImportSeriesResult> RunAsync(ImportPrometheusRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate(request.Url.EndsWith('/') ? request.Url : request.Url + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new UserInputException($"--url '{request.Url}' is not a Prometheus URL such as http://localhost:9090.");
        }

        var queries = request.Presets.SelectMany(p => PrometheusPresets.Get(p, request.Counter)).Concat(request.Queries.Select(PrometheusPresets.Custom)).ToList();
        if (queries.Count == 0)
        {
            throw new UserInputException($"Name what to import: --preset {string.Join("|", PrometheusPresets.All.Keys)} or --query NAME=PROMQL.");
        }

        var from = SeriesTime.Parse(request.From, "--from");
        var to = SeriesTime.Parse(request.To, "--to");
        var step = SeriesTime.ParseStep(request.Step);
        var read = await new PrometheusClient(http).ReadAsync(server, queries, from, to, step, request.Selector, request.ResourceLabel, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        foreach (var empty in queries.Select(q => q.Metric).Distinct().Where(m => read.SeriesPerMetric.GetValueOrDefault(m) == 0))
        {
            warnings.Add($"{empty}: Prometheus returned no series for {string.Join(" / ", queries.Where(q => q.Metric == empty).Select(q => q.Expand(step, request.Selector)))}.");
        }

        if (read.Samples.Count == 0)
        {
            throw new UserInputException($"Prometheus at {server} returned no samples between {from:O} and {to:O}; nothing was imported.");
        }

        return SeriesImport.Store(stores, request.Store, ImportKind.Prometheus, server.ToString().TrimEnd('/'), read.Samples, null, read.SeriesPerMetric, read.SkippedValues, warnings);
    }
}

/// <summary>Imports an nvidia-smi CSV (for teams without Prometheus) into the usage samples.</summary>
public sealed class ImportNvidiaSmiUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportSeriesResult Run(ImportNvidiaSmiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = ImportFile.Read(environment, request.Path, "nvidia-smi file");
        var offset = TimeSpan.Zero;
        if (request.UtcOffset is { } text && !TimeSpan.TryParseExact(text.TrimStart('+'), [@"hh\:mm", @"h\:mm"], CultureInfo.InvariantCulture, out offset))
        {
            if (text.StartsWith('-') && TimeSpan.TryParseExact(text[1..], [@"hh\:mm", @"h\:mm"], CultureInfo.InvariantCulture, out var negative))
            {
                offset = -negative;
            }
            else
            {
                throw new UserInputException($"--utc-offset '{text}' is not an offset such as +02:00 or -05:00.");
            }
        }

        var samples = NvidiaSmiCsv.Parse(file.Text, request.Path, request.ResourceId, offset);
        if (samples.Count == 0)
        {
            throw new UserInputException($"{request.Path}: no GPU samples after the header; nothing was imported.");
        }

        var series = samples.GroupBy(s => s.Metric).ToDictionary(g => g.Key, g => g.Select(s => s.Dimension("gpu_uuid") ?? s.Dimension("gpu")).Distinct().Count(), StringComparer.Ordinal);
        return SeriesImport.Store(stores, request.Store, ImportKind.NvidiaSmi, file.Path, samples, file, series, 0, []);
    }
}

internal static class SeriesImport
{
    public static ImportSeriesResult Store(
        StoreProvider stores, StoreOptions options, ImportKind kind, string source, IReadOnlyList<UsageSample> samples, ImportFile? file,
        IReadOnlyDictionary<string, int> series, int skipped, IReadOnlyList<string> warnings)
    {
        var sha = file?.Sha256 ?? Hash(samples);
        using var opened = stores.Open(options, StoreAccess.Write);
        if (opened.Store.FindImportByContentHash(sha) is { } known && known.Kind == kind)
        {
            return new ImportSeriesResult(ImportOutcome.AlreadyImported, source, sha, known.ImportId, known.ImportedAt, known.Rows, 0, known.BillingPeriods, series, skipped, opened.Location.ToString())
            {
                Warnings = warnings,
            };
        }

        using var session = opened.Store.BeginUsageImport(kind);
        foreach (var sample in samples)
        {
            session.Append(sample);
        }

        var record = session.Commit(new ImportedFile(source, sha, file?.Bytes ?? 0, samples.Count));
        return new ImportSeriesResult(ImportOutcome.Imported, source, sha, record.ImportId, record.ImportedAt, record.Rows, record.ReplacedRows, record.BillingPeriods, series, skipped, opened.Location.ToString())
        {
            Warnings = warnings,
        };
    }

    private static string Hash(IEnumerable<UsageSample> samples)
    {
        var text = new StringBuilder();
        foreach (var s in samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Start:O}|{s.Period:yyyy-MM-dd}|{s.Metric}|{s.Value}|{string.Join(',', s.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value))}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>Instants and steps as the series imports take them.</summary>
internal static class SeriesTime
{
    public static DateTime Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10)
            ? at.UtcDateTime
            : throw new UserInputException($"{option} '{text}' is not a date (2026-10-01) or an ISO 8601 instant with Z or an offset (2026-10-01T00:00:00Z).");
    }

    /// <summary><c>30s</c>, <c>15m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public static TimeSpan ParseStep(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t.Length >= 2 && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (t[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        throw new UserInputException($"--step '{text}' is not a step such as 1h, 15m, 30s or 1d.");
    }
}
