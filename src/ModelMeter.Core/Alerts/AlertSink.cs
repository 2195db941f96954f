namespace ModelMeter.Core.Alerts;

public enum AlertSinkKind
{
    /// <summary>A generic webhook: the finding as a JSON body, signed with HMAC-SHA256.</summary>
    Webhook,

    /// <summary>A Slack-compatible incoming webhook (<c>{"text": ...}</c>).</summary>
    Slack,

    /// <summary>Prometheus Alertmanager's <c>/api/v2/alerts</c>.</summary>
    Alertmanager,

    /// <summary>Printed by the run.</summary>
    Stdout,
}

/// <summary>A configured alert sink (<c>alerts.sinks</c>).</summary>
/// <param name="SecretEnv">The environment variable holding the webhook's HMAC key; null for unsigned.</param>
/// <param name="Retries">Attempts after the first within one run.</param>
/// <param name="Backoff">The wait before the first retry, doubled for each further one.</param>
public sealed record AlertSinkDefinition(string Name, AlertSinkKind Kind, Uri? Url, string? SecretEnv, int Retries, TimeSpan Backoff, TimeSpan Timeout)
{
    /// <summary>The sink every finding also goes to when none is configured, so an alert run is never silent.</summary>
    public static readonly AlertSinkDefinition DefaultStdout = new("stdout", AlertSinkKind.Stdout, null, null, 0, TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>How anomalies are looked for (the <c>anomalies:</c> section, overridden by the command's options).</summary>
public sealed record AnomalySettings(string Detector, decimal MinimumImpact, decimal? Threshold, string? By, string Last, IReadOnlyList<string> Sinks)
{
    /// <summary>The <c>anomalies.where</c> conditions: what <c>anomalies</c> and <c>alert</c> watch when no <c>--where</c> is given.</summary>
    public IReadOnlyList<string> Where { get; init; } = [];
}
