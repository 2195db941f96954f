#pragma warning disable CA2227, CA1002 // YAML binding classes: YamlDotNet sets these collections; the domain types built from them are read-only.

namespace ModelMeter.Core.Configuration;

/// <summary>One entry of <c>budgets:</c>. See the README's "Budgets" section for every field.</summary>
public sealed class BudgetConfig
{
    public string? Name { get; set; }

    /// <summary>Conditions in the <c>--where</c> language, all of which must hold; empty for everything.</summary>
    public List<string> Scope { get; set; } = [];

    /// <summary>The budget this one sits inside: its scope adds to the parent's, and its spend counts toward it.</summary>
    public string? Parent { get; set; }

    /// <summary><c>direct</c> (default: the bill as <c>report</c> reads it) or <c>allocated</c> (after the allocation rules).</summary>
    public string Basis { get; set; } = "direct";

    /// <summary><c>month</c> (default), <c>quarter</c> or <c>year</c>.</summary>
    public string Period { get; set; } = "month";

    /// <summary>An IANA time zone for the period's days; UTC when absent.</summary>
    public string? TimeZone { get; set; }

    public decimal? Amount { get; set; }

    /// <summary>ISO 4217; the config's <c>currency</c> when absent.</summary>
    public string? Currency { get; set; }

    public ThresholdsConfig Thresholds { get; set; } = new();

    /// <summary>Who answers for the budget (a person or a mailbox), shown in status and alerts.</summary>
    public string? Owner { get; set; }

    /// <summary>The team label alerts carry; read from a <c>tag:team=</c> condition of the scope when absent.</summary>
    public string? Team { get; set; }

    /// <summary>Names of <c>alerts.sinks</c> this budget's findings are sent to.</summary>
    public List<string> Sinks { get; set; } = [];

    public OnExceedConfig? OnExceed { get; set; }
}

public sealed class ThresholdsConfig
{
    /// <summary>Percentages of the amount that actual spend is checked against (default 50, 80, 100).</summary>
    public List<decimal>? Actual { get; set; }

    /// <summary>Percentages of the amount that the period-end forecast is checked against (default 100).</summary>
    public List<decimal>? Forecast { get; set; }
}

/// <summary>What happens when a budget is exceeded (actual spend at or over its amount).</summary>
public sealed class OnExceedConfig
{
    /// <summary><c>check --budget-name</c> and <c>check --scope</c> on this budget's scope fail while it is exceeded.</summary>
    public bool FailCheck { get; set; }

    /// <summary>A command <c>modelmeter alert</c> runs once per period, with the finding as JSON on stdin: program, then arguments.</summary>
    public List<string>? Command { get; set; }
}

/// <summary>The <c>alerts:</c> section: where findings go.</summary>
public sealed class AlertsConfig
{
    public List<AlertSinkConfig> Sinks { get; set; } = [];
}

public sealed class AlertSinkConfig
{
    public string? Name { get; set; }

    /// <summary><c>webhook</c>, <c>slack</c>, <c>alertmanager</c> or <c>stdout</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The webhook URL, or the Alertmanager's base URL (<c>http://alertmanager:9093</c>).</summary>
    public string? Url { get; set; }

    /// <summary>The environment variable holding the webhook's HMAC-SHA256 key (keep secrets out of the file).</summary>
    public string? SecretEnv { get; set; }

    /// <summary>Attempts after the first, within one run (default 3).</summary>
    public int Retries { get; set; } = 3;

    /// <summary>Seconds before the first retry; doubled for each further one (default 1).</summary>
    public decimal BackoffSeconds { get; set; } = 1m;

    /// <summary>Seconds one attempt may take (default 10).</summary>
    public decimal TimeoutSeconds { get; set; } = 10m;
}

/// <summary>The <c>anomalies:</c> section: defaults of <c>modelmeter anomalies</c> and where <c>alert</c> sends what it finds.</summary>
public sealed class AnomaliesConfig
{
    /// <summary><c>seasonal_mad</c> (default) or <c>wow</c>.</summary>
    public string? Detector { get; set; }

    /// <summary>The smallest increase worth an alert, in the config's currency (default 100).</summary>
    public decimal? MinImpact { get; set; }

    /// <summary>The detector's score threshold (default 4 for seasonal_mad, 0.5 for wow).</summary>
    public decimal? Threshold { get; set; }

    /// <summary>Scopes to watch, in the <c>--by</c> syntax (<c>tag:team</c>); the whole bill when absent.</summary>
    public string? By { get; set; }

    /// <summary>How far back <c>alert</c> looks for anomalies not yet sent (default 7d).</summary>
    public string? Last { get; set; }

    /// <summary>Conditions on the costs watched, in the <c>--where</c> syntax (<c>ProviderName!=internal</c>: the cloud bill only); everything when absent.</summary>
    public List<string>? Where { get; set; }

    /// <summary>Names of <c>alerts.sinks</c> anomalies are sent to.</summary>
    public List<string> Sinks { get; set; } = [];
}
