using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelMeter.Application.Contracts;
using ModelMeter.Core.Alerts;

namespace ModelMeter.Application.Alerts;

/// <summary>The result of delivering one finding to one sink: how many attempts, and the last error when it failed.</summary>
public sealed record DeliveryOutcome(bool Delivered, int Attempts, string? Error, string? Message = null);

/// <summary>
/// Sends findings: a generic webhook (the finding as JSON, signed with HMAC-SHA256), a Slack-compatible incoming
/// webhook, Prometheus Alertmanager (<c>POST /api/v2/alerts</c>), stdout, and enforcement commands. HTTP sinks retry
/// within the run with exponential backoff on network errors, timeouts, 408, 429 and 5xx; what still fails is
/// recorded and retried by the next run.
/// </summary>
public sealed class AlertSinks(HttpClient http, TimeProvider clock)
{
    /// <summary>The header carrying <c>sha256=HEX</c>, the HMAC-SHA256 of the raw body under the sink's secret.</summary>
    public const string SignatureHeader = "X-ModelMeter-Signature";

    /// <summary>The finding's key: receivers can drop a repeat delivery of one they already have.</summary>
    public const string DeliveryHeader = "X-ModelMeter-Delivery";

    public const string EventHeader = "X-ModelMeter-Event";

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Signature(string secret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public async Task<DeliveryOutcome> SendAsync(AlertSinkDefinition sink, AlertFinding finding, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(finding);
        switch (sink.Kind)
        {
            case AlertSinkKind.Stdout:
                return new DeliveryOutcome(true, 1, null, $"[{finding.Severity}] {finding.Title}: {finding.Summary}");
            case AlertSinkKind.Webhook:
                string? secret = null;
                if (sink.SecretEnv is { } variable)
                {
                    secret = Environment.GetEnvironmentVariable(variable);
                    if (string.IsNullOrEmpty(secret))
                    {
                        return new DeliveryOutcome(false, 0, $"the environment variable {variable} (alerts.sinks.{sink.Name}.secret_env) is not set, so the webhook cannot be signed");
                    }
                }

                var body = Encoding.UTF8.GetBytes(payload);
                return await PostAsync(sink, body, finding, secret, cancellationToken).ConfigureAwait(false);
            case AlertSinkKind.Slack:
                var slack = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["text"] = $"*{finding.Title}*\n{finding.Summary}" });
                return await PostAsync(sink, slack, finding, null, cancellationToken).ConfigureAwait(false);
            case AlertSinkKind.Alertmanager:
                return await PostAsync(sink, AlertmanagerBody(finding), finding, null, cancellationToken, "api/v2/alerts").ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(nameof(sink), sink.Kind, null);
        }
    }

    /// <summary>The Alertmanager API v2 body: one alert with labels alertname, severity, budget, team, and the finding as annotations.</summary>
    public byte[] AlertmanagerBody(AlertFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = finding.Kind == "anomaly" ? "ModelMeterCostAnomaly" : "ModelMeterBudget",
            ["severity"] = finding.Severity,
            ["finding"] = finding.Key,
        };
        if (finding.Budget is { } budget)
        {
            labels["budget"] = budget.Name;
            labels["period"] = budget.Period;
            if (budget.Team is { Length: > 0 } team)
            {
                labels["team"] = team;
            }
        }

        if (finding.Anomaly is { } anomaly && anomaly.Dimensions.TryGetValue("tag:team", out var anomalyTeam))
        {
            labels["team"] = anomalyTeam;
        }

        var alert = new Dictionary<string, object>
        {
            ["labels"] = labels,
            ["annotations"] = new Dictionary<string, string> { ["summary"] = finding.Title, ["description"] = finding.Summary },
            ["startsAt"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        return JsonSerializer.SerializeToUtf8Bytes(new[] { alert });
    }

    /// <summary>Runs a budget's enforcement command with the finding as JSON on stdin; exit 0 is delivered.</summary>
    public static async Task<DeliveryOutcome> RunCommandAsync(IReadOnlyList<string> command, string workingDirectory, string payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var program = command[0];
        if (program.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(program))
        {
            program = Path.GetFullPath(Path.Combine(workingDirectory, program));
        }

        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(payload.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new DeliveryOutcome(false, 1, string.Create(CultureInfo.InvariantCulture, $"{command[0]} did not finish within {timeout.TotalSeconds:0} s and was stopped"));
            }

            await stdout.ConfigureAwait(false);
            var error = (await stderr.ConfigureAwait(false)).Trim();
            return process.ExitCode == 0
                ? new DeliveryOutcome(true, 1, null)
                : new DeliveryOutcome(false, 1, string.Create(CultureInfo.InvariantCulture, $"{command[0]} exited with {process.ExitCode}{(error.Length > 0 ? ": " + Tail(error) : "")}"));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new DeliveryOutcome(false, 1, $"{command[0]} could not be run: {e.Message}");
        }
    }

    private async Task<DeliveryOutcome> PostAsync(AlertSinkDefinition sink, byte[] body, AlertFinding finding, string? secret, CancellationToken cancellationToken, string? path = null)
    {
        var url = path is null ? sink.Url! : new Uri(new Uri(sink.Url!.ToString().TrimEnd('/') + "/"), path);
        string? error = null;
        var attempts = 0;
        for (var attempt = 0; attempt <= sink.Retries; attempt++)
        {
            if (attempt > 0 && sink.Backoff > TimeSpan.Zero)
            {
                await Task.Delay(sink.Backoff * Math.Pow(2, attempt - 1), clock, cancellationToken).ConfigureAwait(false);
            }

            attempts++;
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(DeliveryHeader, finding.Key);
            request.Headers.Add(EventHeader, finding.Kind);
            if (secret is not null)
            {
                request.Headers.Add(SignatureHeader, Signature(secret, body));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(sink.Timeout);
            try
            {
                using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return new DeliveryOutcome(true, attempts, null);
                }

                error = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {url}");
                if (!Retryable(response.StatusCode))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"no answer from {url} within {sink.Timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e)
            {
                error = $"{url}: {e.Message}";
            }
        }

        return new DeliveryOutcome(false, attempts, error);
    }

    private static bool Retryable(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string Tail(string text) => text.Length <= 300 ? text : "..." + text[^300..];

    /// <summary>The finding as the JSON every sink's body or stdin is built from.</summary>
    public static string Payload(AlertFinding finding) => ModelMeterJson.Serialize(finding);
}
