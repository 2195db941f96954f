using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;

namespace ModelMeter.Import.Mlflow;

/// <summary>
/// Reads runs from an MLflow tracking server's REST API (<c>POST /api/2.0/mlflow/experiments/search</c>, then
/// <c>POST /api/2.0/mlflow/runs/search</c>), following <c>next_page_token</c> until a page has none. Times are epoch
/// milliseconds; int64 fields arrive as JSON numbers or, as protobuf's JSON mapping writes them, as strings; metric
/// values as numbers or the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>. Only active experiments and runs
/// are read (<c>ACTIVE_ONLY</c>). A value that cannot be read names its page and JSON path.
/// </summary>
public sealed class MlflowRestReader(HttpClient http)
{
    /// <summary>Runs per page asked for (MLflow allows up to 50,000; its default is 1,000).</summary>
    public const int PageSize = 1000;

    /// <summary>Bearer token (<c>MLFLOW_TRACKING_TOKEN</c>) or user and password (<c>MLFLOW_TRACKING_USERNAME</c>/<c>_PASSWORD</c>).</summary>
    public sealed record Credentials(string? Token, string? Username, string? Password);

    public async Task<MlflowRead> ReadAsync(Uri trackingUri, IReadOnlyList<string> experiments, Credentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        ArgumentNullException.ThrowIfNull(experiments);
        var source = trackingUri.ToString().TrimEnd('/');
        var found = new List<(string Id, string Name)>();
        string? token = null;
        var page = 0;
        do
        {
            page++;
            var body = new Dictionary<string, object?> { ["max_results"] = PageSize, ["view_type"] = "ACTIVE_ONLY" };
            if (token is not null)
            {
                body["page_token"] = token;
            }

            using var json = await PostAsync(source, "experiments/search", body, credentials, page, cancellationToken).ConfigureAwait(false);
            var where = $"{source} experiments/search page {page}";
            if (json.RootElement.TryGetProperty("experiments", out var list))
            {
                var i = 0;
                foreach (var experiment in Array(list, where, "$.experiments"))
                {
                    var path = $"$.experiments[{i++}]";
                    if ((OptionalString(experiment, "lifecycle_stage", where, path) ?? MlflowRules.Active) == MlflowRules.Active)
                    {
                        found.Add((RequiredString(experiment, "experiment_id", where, path), RequiredString(experiment, "name", where, path)));
                    }
                }
            }

            token = NextPage(json.RootElement, where);
        }
        while (token is not null);

        var wanted = MlflowRules.Wanted(experiments, found.Select(f => f.Name).ToList(), source);
        var selected = found.Where(f => wanted is null || wanted.Contains(f.Name)).ToList();
        var names = selected.ToDictionary(f => f.Id, f => f.Name, StringComparer.Ordinal);
        var runs = new List<TrackedRun>();
        if (selected.Count > 0)
        {
            token = null;
            page = 0;
            do
            {
                page++;
                var body = new Dictionary<string, object?>
                {
                    ["experiment_ids"] = selected.Select(s => s.Id).ToList(),
                    ["max_results"] = PageSize,
                    ["run_view_type"] = "ACTIVE_ONLY",
                };
                if (token is not null)
                {
                    body["page_token"] = token;
                }

                using var json = await PostAsync(source, "runs/search", body, credentials, page, cancellationToken).ConfigureAwait(false);
                var where = $"{source} runs/search page {page}";
                if (json.RootElement.TryGetProperty("runs", out var list))
                {
                    var i = 0;
                    foreach (var run in Array(list, where, "$.runs"))
                    {
                        runs.Add(Run(run, $"$.runs[{i++}]", where, source, names));
                    }
                }

                token = NextPage(json.RootElement, where);
            }
            while (token is not null);
        }

        return new MlflowRead(source, runs, found.Select(f => f.Name).ToList(), []);
    }

    private static TrackedRun Run(JsonElement run, string path, string where, string source, Dictionary<string, string> names)
    {
        var info = run.TryGetProperty("info", out var i) && i.ValueKind == JsonValueKind.Object
            ? i
            : throw new UserInputException($"{where}: {path}.info is missing; runs/search returns each run's info.");
        var infoPath = path + ".info";
        var runId = OptionalString(info, "run_id", where, infoPath) ?? RequiredString(info, "run_uuid", where, infoPath);
        var experimentId = RequiredString(info, "experiment_id", where, infoPath);
        var statusText = OptionalString(info, "status", where, infoPath) ?? "RUNNING";
        if (!RunStatuses.TryParse(statusText, out var status))
        {
            throw new UserInputException($"{where}: {infoPath}.status: '{statusText}' is not an MLflow run status (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED).");
        }

        var data = run.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var parameters = KeyValues(data, "params", where, path + ".data");
        var tags = KeyValues(data, "tags", where, path + ".data");
        var metrics = new List<RunMetric>();
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("metrics", out var list))
        {
            var n = 0;
            var history = new List<RunMetric>();
            foreach (var metric in Array(list, where, path + ".data.metrics"))
            {
                var metricPath = $"{path}.data.metrics[{n++}]";
                history.Add(new RunMetric(
                    RequiredString(metric, "key", where, metricPath),
                    Double(metric, "value", where, metricPath),
                    Int64(metric, "timestamp", where, metricPath) ?? 0,
                    Int64(metric, "step", where, metricPath) ?? 0));
            }

            metrics.AddRange(history.GroupBy(m => m.Key, StringComparer.Ordinal).Select(MlflowRules.Latest).OrderBy(m => m.Key, StringComparer.Ordinal));
        }

        return new TrackedRun(
            runId,
            source,
            experimentId,
            names.TryGetValue(experimentId, out var name) ? name : experimentId,
            MlflowRules.RunName(OptionalString(info, "run_name", where, infoPath), tags),
            status,
            MlflowRules.Instant(Int64(info, "start_time", where, infoPath), $"{where}, {infoPath}.start_time"),
            MlflowRules.Instant(Int64(info, "end_time", where, infoPath), $"{where}, {infoPath}.end_time"),
            OptionalString(info, "user_id", where, infoPath),
            MlflowRules.Active,
            parameters,
            tags,
            metrics);
    }

    private async Task<JsonDocument> PostAsync(
        string source, string endpoint, Dictionary<string, object?> body, Credentials? credentials, int page, CancellationToken cancellationToken)
    {
        var url = new Uri($"{source}/api/2.0/mlflow/{endpoint}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (credentials?.Token is { Length: > 0 } bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        else if (credentials?.Username is { Length: > 0 } user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{credentials.Password}")));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new UserInputException($"Cannot reach the MLflow tracking server at {source}: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new UserInputException(
                    $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase} on page {page}: {(text.Length > 300 ? text[..300] + "..." : text)}");
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new UserInputException($"{url} page {page}: the answer is not JSON: {e.Message}", e);
            }
        }
    }

    private static string? NextPage(JsonElement root, string where) =>
        root.TryGetProperty("next_page_token", out var t) && t.ValueKind != JsonValueKind.Null
            ? t.ValueKind == JsonValueKind.String
                ? t.GetString() is { Length: > 0 } s ? s : null
                : throw new UserInputException($"{where}: $.next_page_token is not a string.")
            : null;

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string where, string path) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw new UserInputException($"{where}: {path} is not an array.");

    private static Dictionary<string, string> KeyValues(JsonElement data, string name, string where, string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(name, out var list))
        {
            return values;
        }

        var n = 0;
        foreach (var item in Array(list, where, $"{path}.{name}"))
        {
            var itemPath = $"{path}.{name}[{n++}]";
            values[RequiredString(item, "key", where, itemPath)] = OptionalString(item, "value", where, itemPath) ?? "";
        }

        return values;
    }

    private static string RequiredString(JsonElement element, string name, string where, string path) =>
        OptionalString(element, name, where, path) ?? throw new UserInputException($"{where}: {path}.{name} is missing.");

    private static string? OptionalString(JsonElement element, string name, string where, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new UserInputException($"{where}: {path}.{name} is {value.ValueKind.ToString().ToLowerInvariant()}, not a string."),
        };
    }

    /// <summary>An int64 as a JSON number or, as protobuf's JSON mapping writes int64, a string of digits.</summary>
    private static long? Int64(JsonElement element, string name, string where, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw new UserInputException($"{where}: {path}.{name}: {value.GetRawText()} is not a whole number (milliseconds since the epoch, as a number or a string).");
    }

    private static double Double(JsonElement element, string name, string where, string path)
    {
        if (element.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number)
            {
                return value.GetDouble();
            }

            if (value.ValueKind == JsonValueKind.String && MlflowRules.TryParseDouble(value.GetString()!, out var parsed))
            {
                return parsed;
            }
        }

        throw new UserInputException($"{where}: {path}.{name}: {(element.TryGetProperty(name, out var v) ? v.GetRawText() : "missing")} is not a number (NaN, Infinity and -Infinity as strings are allowed).");
    }
}
