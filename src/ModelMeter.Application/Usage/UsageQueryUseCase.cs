using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Usage;

/// <summary><c>usage</c> / <c>GET /api/v1/usage</c>: which stored usage to sum, in the CLI's option spelling.</summary>
public sealed record UsageQueryRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>One metric (<c>predictions</c>), or null for every metric.</summary>
    public string? Metric { get; init; }

    /// <summary>Dimensions to group by, comma-separated (<c>team,model</c>; <c>tag:team</c> also reads).</summary>
    public string? By { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Last { get; init; }

    public string? Month { get; init; }

    public string? Grain { get; init; }
}

/// <summary>
/// The stored usage (imported files and posted events alike) summed per metric and the dimensions asked, so what
/// was sent can be checked against what was kept. Dimensions are read through the tag policy, as allocation reads them.
/// </summary>
public sealed class UsageQueryUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public UsageReport Run(UsageQueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (from, to) = ReportArguments.ParsePeriod(request.From, request.To, request.Last, request.Month, environment.UtcNow);
        var grain = ReportArguments.ParseGrain(request.Grain);
        using var opened = stores.Open(request.Store, StoreAccess.Read, "usage reads stored usage samples from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var by = (request.By ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => setup.Policy.CanonicalKey(k.StartsWith("tag:", StringComparison.OrdinalIgnoreCase) ? k[4..] : k))
            .ToList();
        var duplicate = by.GroupBy(k => k, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UserInputException($"--by names the dimension '{duplicate.Key}' twice.");
        }

        var firstDay = from is { } f ? DateOnly.FromDateTime(f) : (DateOnly?)null;
        var endDay = to is { } t ? DateOnly.FromDateTime(t.AddTicks(-1)).AddDays(1) : (DateOnly?)null;
        var metric = request.Metric?.Trim();
        var samples = setup.Normalize(opened.Store.QueryUsage(firstDay, endDay))
            .Where(s => metric is null or "" || s.Metric == metric)
            .Where(s => request.Access.Team is not { } team || s.Dimension("team") == team)
            .ToList();
        var untagged = setup.Policy.UntaggedLabel;
        var rows = samples
            .GroupBy(s => (Period: grain is { } g ? TimeBuckets.Start(s.Period, g) : (DateOnly?)null, s.Metric, Values: string.Join('\u001f', by.Select(k => s.Dimension(k) ?? untagged))))
            .Select(g => new UsageReportRow(
                g.Key.Period,
                g.Key.Metric,
                by.Zip(g.Key.Values.Split('\u001f')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal),
                g.Sum(s => s.Value) / 1.0000000000000000000000000000m))
            .OrderBy(r => r.Period).ThenBy(r => r.Metric, StringComparer.Ordinal).ThenByDescending(r => r.Value)
            .ThenBy(r => string.Join('\u001f', by.Select(k => r.Dimensions[k])), StringComparer.Ordinal)
            .ToList();
        var totals = samples.GroupBy(s => s.Metric, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new UsageMetricTotal(g.Key, g.Sum(s => s.Value) / 1.0000000000000000000000000000m)).ToList();
        var warnings = metric is { Length: > 0 } && totals.Count == 0 ? new[] { $"no stored usage of metric '{metric}' in the period." } : [];
        return new UsageReport(metric is { Length: > 0 } ? metric : null, firstDay, endDay, grain?.ToString().ToLowerInvariant(), by, rows, totals) { Warnings = warnings };
    }
}

/// <summary>
/// <c>modelmeter usage --format json</c> and <c>GET /api/v1/usage</c>: stored usage summed per period (with
/// <c>--grain</c>), metric and the <c>--by</c> dimensions; a missing dimension value is the tag policy's untagged label.
/// </summary>
/// <param name="From">The first day read, or null from the first stored.</param>
/// <param name="To">The day after the last day read (exclusive), or null.</param>
/// <param name="Totals">Each metric's total over the period (and scope).</param>
public sealed record UsageReport(
    string? Metric,
    DateOnly? From,
    DateOnly? To,
    string? Grain,
    IReadOnlyList<string> By,
    IReadOnlyList<UsageReportRow> Rows,
    IReadOnlyList<UsageMetricTotal> Totals)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <param name="Period">The first day of the period with a grain, else null.</param>
public sealed record UsageReportRow(DateOnly? Period, string Metric, IReadOnlyDictionary<string, string> Dimensions, decimal Value);
