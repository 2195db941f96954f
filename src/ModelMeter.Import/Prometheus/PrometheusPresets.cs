using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Prometheus;

/// <summary>How a query's values become usage samples.</summary>
public enum SeriesKind
{
    /// <summary>A count over each step (requests, predictions, tokens): values are summed.</summary>
    Counter,

    /// <summary>A level (utilisation, memory, batch size, latency): values are averaged.</summary>
    Gauge,
}

/// <summary>
/// One query of <c>import prometheus</c>: the usage metric it fills, its PromQL (with <c>{step}</c> for the step as a
/// Prometheus duration, <c>{selector}</c> for the user's label selector), the factor that brings the source's unit to the
/// metric's, and label renames (vLLM's <c>model_name</c> is ModelMeter's <c>model</c>).
/// </summary>
public sealed record PrometheusQuery(string Metric, string Promql, SeriesKind Kind, decimal Factor, string Unit, IReadOnlyDictionary<string, string> Renames)
{
    /// <summary>The PromQL with the step and selector filled in.</summary>
    public string Expand(TimeSpan step, string? selector) => Promql
        .Replace("{step}", ((long)step.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s", StringComparison.Ordinal)
        .Replace("{selector}", string.IsNullOrWhiteSpace(selector) ? "" : selector.Trim().Trim('{', '}'), StringComparison.Ordinal);
}

/// <summary>
/// Presets for what teams run, each a set of queries with their units normalised to ModelMeter's usage metrics
/// (README, "Usage metrics"). Counters use <c>increase(x[step])</c>: the rate integrated over the step, so each sample is
/// the count in the step that ends at its timestamp. Gauges use <c>avg_over_time(x[step])</c>.
/// </summary>
public static class PrometheusPresets
{
    private static readonly Dictionary<string, string> None = [];
    private static readonly Dictionary<string, string> ModelName = new() { ["model_name"] = "model" };
    private static readonly Dictionary<string, string> Dcgm = new() { ["Hostname"] = "host", ["UUID"] = "gpu_uuid", ["modelName"] = "gpu_model" };

    /// <summary>Preset name → its queries and a line saying which server and units it reads.</summary>
    public static readonly IReadOnlyDictionary<string, (string Description, IReadOnlyList<PrometheusQuery> Queries)> All =
        new Dictionary<string, (string, IReadOnlyList<PrometheusQuery>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["dcgm"] = ("NVIDIA DCGM exporter: DCGM_FI_DEV_GPU_UTIL (0-100 %, kept as percent) and DCGM_FI_DEV_FB_USED (MiB, to bytes), per GPU",
            [
                new("gpu_utilization_percent", "avg by (Hostname, gpu, UUID, modelName, namespace, pod, resource_id) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{{selector}}[{step}]))", SeriesKind.Gauge, 1m, "percent (0-100)", Dcgm),
                new("gpu_memory_used_bytes", "avg by (Hostname, gpu, UUID, modelName, namespace, pod, resource_id) (avg_over_time(DCGM_FI_DEV_FB_USED{{selector}}[{step}]))", SeriesKind.Gauge, 1_048_576m, "bytes (from MiB)", Dcgm),
            ]),
            ["triton"] = ("NVIDIA Triton: nv_inference_request_success (requests), nv_inference_count (predictions), their ratio to nv_inference_exec_count (batch size), nv_gpu_utilization (0-1, to percent), nv_gpu_memory_used_bytes",
            [
                new("requests", "sum by (model, namespace, pod, resource_id) (increase(nv_inference_request_success{{selector}}[{step}]))", SeriesKind.Counter, 1m, "requests", None),
                new("predictions", "sum by (model, namespace, pod, resource_id) (increase(nv_inference_count{{selector}}[{step}]))", SeriesKind.Counter, 1m, "inferences (a request counts its batch size)", None),
                new("batch_size", "sum by (model, namespace, pod, resource_id) (increase(nv_inference_count{{selector}}[{step}])) / sum by (model, namespace, pod, resource_id) (increase(nv_inference_exec_count{{selector}}[{step}]))", SeriesKind.Gauge, 1m, "inferences per execution", None),
                new("gpu_utilization_percent", "avg by (gpu_uuid, namespace, pod, resource_id) (avg_over_time(nv_gpu_utilization{{selector}}[{step}]))", SeriesKind.Gauge, 100m, "percent (from 0-1)", None),
                new("gpu_memory_used_bytes", "avg by (gpu_uuid, namespace, pod, resource_id) (avg_over_time(nv_gpu_memory_used_bytes{{selector}}[{step}]))", SeriesKind.Gauge, 1m, "bytes", None),
            ]),
            ["vllm"] = ("vLLM: vllm:request_success_total (requests), vllm:prompt_tokens_total (input tokens), vllm:generation_tokens_total (output tokens), label model_name as model",
            [
                new("requests", "sum by (model_name, namespace, pod, resource_id) (increase(vllm:request_success_total{{selector}}[{step}]))", SeriesKind.Counter, 1m, "requests", ModelName),
                new("input_tokens", "sum by (model_name, namespace, pod, resource_id) (increase(vllm:prompt_tokens_total{{selector}}[{step}]))", SeriesKind.Counter, 1m, "tokens", ModelName),
                new("output_tokens", "sum by (model_name, namespace, pod, resource_id) (increase(vllm:generation_tokens_total{{selector}}[{step}]))", SeriesKind.Counter, 1m, "tokens", ModelName),
            ]),
            ["kserve"] = ("KServe ModelServer (0.10+): request_predict_seconds_count (predictions) and its histogram's 99th percentile (seconds, to ms), label model_name as model",
            [
                new("predictions", "sum by (model_name, namespace, pod, resource_id) (increase(request_predict_seconds_count{{selector}}[{step}]))", SeriesKind.Counter, 1m, "predict calls", ModelName),
                new("latency_p99_ms", "histogram_quantile(0.99, sum by (le, model_name, namespace, pod, resource_id) (rate(request_predict_seconds_bucket{{selector}}[{step}])))", SeriesKind.Gauge, 1000m, "milliseconds (from seconds)", ModelName),
            ]),
            ["requests"] = ("Any request counter: http_requests_total (or --counter NAME) per model, as requests",
            [
                new("requests", "sum by (model, namespace, pod, resource_id) (increase({counter}{{selector}}[{step}]))", SeriesKind.Counter, 1m, "requests", None),
            ]),
            ["predictions"] = ("Any prediction counter: predictions_total (or --counter NAME) per model, as predictions",
            [
                new("predictions", "sum by (model, namespace, pod, resource_id) (increase({counter}{{selector}}[{step}]))", SeriesKind.Counter, 1m, "predictions", None),
            ]),
        };

    /// <summary>The queries of a preset, with the counter name filled in for the generic presets.</summary>
    public static IReadOnlyList<PrometheusQuery> Get(string name, string? counter)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!All.TryGetValue(name.Trim(), out var preset))
        {
            throw new UserInputException($"--preset '{name}' is not a preset; use {string.Join(", ", All.Keys)}.");
        }

        var fallback = string.Equals(name.Trim(), "requests", StringComparison.OrdinalIgnoreCase) ? "http_requests_total" : "predictions_total";
        return preset.Queries.Select(q => q with { Promql = q.Promql.Replace("{counter}", counter ?? fallback, StringComparison.Ordinal) }).ToList();
    }

    /// <summary>A user query, <c>NAME=PROMQL</c>: its values are stored as they come (a gauge unless NAME is a known counter).</summary>
    public static PrometheusQuery Custom(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new UserInputException($"--query '{text}' is not NAME=PROMQL (predictions=sum by (model) (increase(predictions_total[1h]))).");
        }

        var name = text[..eq].Trim();
        string[] counters = ["requests", "predictions", "input_tokens", "output_tokens", "cached_input_tokens", "gpu_hours"];
        return new PrometheusQuery(name, text[(eq + 1)..].Trim(), counters.Contains(name) ? SeriesKind.Counter : SeriesKind.Gauge, 1m, "as queried", None);
    }
}
