using System.Globalization;
using System.Text.Json;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Prometheus;

/// <summary>What a range query brought back, as usage samples, and what was left out.</summary>
public sealed record PrometheusRead(IReadOnlyList<UsageSample> Samples, IReadOnlyDictionary<string, int> SeriesPerMetric, int SkippedValues);

/// <summary>
/// Reads Prometheus's HTTP API range queries (<c>GET /api/v1/query_range?query=&amp;start=&amp;end=&amp;step=</c>, answering
/// <c>{"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[unix_seconds,"value"],...]}]}}</c>).
/// A value at time t covers the step before it, (t − step, t], so it is stored as a sample starting at t − step. Ranges
/// longer than Prometheus's 11,000 points per series are asked for in parts. NaN and infinite values (an empty
/// histogram, a division by zero) are left out and counted.
/// </summary>
public sealed class PrometheusClient(HttpClient http)
{
    /// <summary>Prometheus refuses range queries of more than 11,000 points per series.</summary>
    public const int MaxPoints = 11_000;

    public async Task<PrometheusRead> ReadAsync(
        Uri server, IReadOnlyList<PrometheusQuery> queries, DateTime from, DateTime to, TimeSpan step, string? selector,
        string? resourceLabel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(queries);
        if (step < TimeSpan.FromSeconds(1))
        {
            throw new UserInputException("--step must be at least 1s (1h is usual).");
        }

        if (to <= from)
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"--to {to:O} is not after --from {from:O}."));
        }

        var samples = new List<UsageSample>();
        var series = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var query in queries)
        {
            var promql = query.Expand(step, selector);
            var seen = new HashSet<string>(StringComparer.Ordinal);

            // The first evaluation is one step after --from: it covers [from, from + step).
            for (var start = from + step; start <= to; start += step * (MaxPoints - 1))
            {
                var end = start + (step * (MaxPoints - 1)) < to ? start + (step * (MaxPoints - 1)) : to;
                var url = new Uri(server, string.Create(CultureInfo.InvariantCulture,
                    $"api/v1/query_range?query={Uri.EscapeDataString(promql)}&start={Unix(start)}&end={Unix(end)}&step={(long)step.TotalSeconds}s"));
                using var json = await GetAsync(url, query.Metric, cancellationToken).ConfigureAwait(false);
                var data = json.RootElement.GetProperty("data");
                if (data.GetProperty("resultType").GetString() != "matrix")
                {
                    throw new UserInputException($"{query.Metric}: Prometheus answered a {data.GetProperty("resultType").GetString()}, not a matrix; a range query needs an expression that gives series.");
                }

                foreach (var result in data.GetProperty("result").EnumerateArray())
                {
                    var dims = Dimensions(result.GetProperty("metric"), query.Renames, resourceLabel);
                    seen.Add(string.Join(',', dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value)));
                    foreach (var point in result.GetProperty("values").EnumerateArray())
                    {
                        var at = DateTime.UnixEpoch.AddSeconds(point[0].GetDouble());
                        var text = point[1].GetString() ?? "";
                        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
                        {
                            // NaN, +Inf, -Inf (an empty histogram, a 0/0 batch size) or a negative counter reset artefact.
                            skipped++;
                            continue;
                        }

                        var sampleStart = at - step;
                        samples.Add(new UsageSample(DateOnly.FromDateTime(sampleStart), query.Metric, value * query.Factor, dims) { Start = sampleStart });
                    }
                }

                if (end >= to)
                {
                    break;
                }
            }

            series[query.Metric] = series.GetValueOrDefault(query.Metric) + seen.Count;
        }

        return new PrometheusRead(samples, series, skipped);
    }

    private async Task<JsonDocument> GetAsync(Uri url, string metric, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new UserInputException($"Cannot reach Prometheus at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new UserInputException($"{metric}: Prometheus at {url.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} with no JSON: {Cut(text)}", e);
            }

            if (json.RootElement.TryGetProperty("status", out var status) && status.GetString() == "success")
            {
                return json;
            }

            var error = json.RootElement.TryGetProperty("error", out var e2) ? e2.GetString() : Cut(text);
            json.Dispose();
            throw new UserInputException($"{metric}: Prometheus refused the query ({(int)response.StatusCode}): {error}");
        }
    }

    private static Dictionary<string, string?> Dimensions(JsonElement labels, IReadOnlyDictionary<string, string> renames, string? resourceLabel)
    {
        var dims = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var label in labels.EnumerateObject())
        {
            if (label.Name == "__name__")
            {
                continue;
            }

            var key = label.Name == resourceLabel ? "resource_id" : renames.TryGetValue(label.Name, out var renamed) ? renamed : label.Name;
            dims[key] = label.Value.GetString();
        }

        return dims;
    }

    private static string Unix(DateTime t) => ((long)(t - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
