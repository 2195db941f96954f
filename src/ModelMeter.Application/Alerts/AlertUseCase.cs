using System.Globalization;
using System.Text.Json;
using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Alerts;
using ModelMeter.Core.Anomalies;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Monetary;
using ModelMeter.Store;

namespace ModelMeter.Application.Alerts;

/// <summary><c>alert</c>.</summary>
public sealed record AlertRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Print what would be sent and change nothing: no delivery, no command, no state.</summary>
    public bool DryRun { get; init; }

    /// <summary>How long to wait for a store another process holds before skipping this run (default 60 s).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Evaluates every budget and looks for anomalies, then sends each new finding once to each of its sinks. Every
/// delivery is a row in the store (<see cref="ICostStore.AddAlertDelivery"/>): a run records the findings it sees,
/// then claims each delivery not yet sent (<see cref="ICostStore.TryClaimAlertDelivery"/>), sends it and records the
/// outcome. So running from cron every hour sends nothing twice; two runs at once never both claim one delivery (two
/// processes are also serialised by DuckDB's file lock: the second waits, then skips); a failed delivery is retried
/// by the next run from the payload it was recorded with; and a run that died mid-send is taken over after a lease.
/// </summary>
public sealed class AlertUseCase(StoreProvider stores, ModelMeterEnvironment environment, AnomaliesUseCase anomalies)
{
    /// <summary>A claim older than this belongs to a run that died; another may take it over (at worst a repeat).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public AlertReport Run(AlertRequest request, HttpClient? http = null, CancellationToken cancellationToken = default) =>
        RunAsync(request, http, cancellationToken).GetAwaiter().GetResult();

    public async Task<AlertReport> RunAsync(AlertRequest request, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runId = Guid.NewGuid().ToString("N")[..12];
        var config = stores.LoadConfig(request.Store);
        var sinks = BudgetConfigReader.Sinks(config).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var budgets = BudgetConfigReader.Budgets(config);
        var settings = BudgetConfigReader.Anomalies(config);
        var warnings = new List<string>();
        using var opened = await OpenAsync(request, config, cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            return new AlertReport(runId, request.DryRun, Skipped: true, [], [])
            {
                Warnings = [$"Skipped: another process held the store for {request.Wait.TotalSeconds:0} s (another alert run, or modelmeter serve). Nothing was sent; the next run picks everything up."],
            };
        }

        var store = opened.Store;
        var setup = AttributionSetup.From(config, stores.Configs.BaseDirectory(config));
        var now = environment.UtcNow;

        // 1. What is true now: threshold crossings, enforcement actions, anomalies.
        var findings = new List<(AlertFinding Finding, IReadOnlyList<string> Sinks, IReadOnlyList<string>? Command)>();
        var states = budgets.Count == 0 ? [] : BudgetBook.Evaluate(store, setup, budgets, now, null, warnings);
        foreach (var state in states)
        {
            findings.AddRange(BudgetFindings(state, now).Select(f => (f, SinksOr(state.Node.Budget.Sinks), (IReadOnlyList<string>?)null)));
            if (state.Evaluation.Health == BudgetHealth.Over && state.Node.Budget.OnExceed?.Command is { } command)
            {
                findings.Add((ActionFinding(state, now), [CommandSink(state.Node.Budget.Name)], command));
            }
        }

        var found = anomalies.Detect(store, setup, settings, new AnomaliesRequest { Last = settings.Last });
        warnings.AddRange(found.Warnings);
        findings.AddRange(found.Anomalies.Select(a => (AnomalyFinding(a, now), SinksOr(settings.Sinks), (IReadOnlyList<string>?)null)));

        var known = store.AlertDeliveries().ToDictionary(d => (d.FindingKey, d.Sink));
        var deliveries = new List<DeliveryDocument>();
        if (request.DryRun)
        {
            foreach (var (finding, sinkNames, _) in findings)
            {
                foreach (var sink in sinkNames)
                {
                    var status = known.TryGetValue((finding.Key, sink), out var d) && d.Status == AlertDeliveryStatus.Sent ? "already_sent" : "would_send";
                    deliveries.Add(new DeliveryDocument(finding.Key, sink, finding.Kind, status, 0, d?.LastError, status == "would_send" ? $"[{finding.Severity}] {finding.Title}: {finding.Summary}" : null));
                }
            }

            return new AlertReport(runId, DryRun: true, Skipped: false, findings.Select(f => f.Finding).ToList(), deliveries) { Warnings = warnings };
        }

        // 2. Record each (finding, sink) once; the closed budget periods too.
        foreach (var state in states)
        {
            foreach (var closed in state.Closed)
            {
                store.RecordBudgetPeriod(closed);
            }
        }

        var commands = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (finding, sinkNames, command) in findings)
        {
            var payload = AlertSinks.Payload(finding);
            foreach (var sink in sinkNames)
            {
                store.AddAlertDelivery(new AlertDelivery(finding.Key, sink, finding.Kind, payload, AlertDeliveryStatus.Pending, 0, now, null, null, null, null));
                if (command is not null)
                {
                    commands[finding.Key] = command;
                }
            }
        }

        // 3. Claim and send what is not sent yet: this run's new findings and earlier runs' failures.
        var ownHttp = http is null ? new HttpClient() : null;
        try
        {
            var sender = new AlertSinks(http ?? ownHttp!, environment.Clock);
            foreach (var delivery in store.AlertDeliveries().Where(d => d.Status != AlertDeliveryStatus.Sent))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var isCommand = delivery.Sink.StartsWith(CommandPrefix, StringComparison.Ordinal);
                var sink = isCommand ? null : sinks.GetValueOrDefault(delivery.Sink) ?? (delivery.Sink == AlertSinkDefinition.DefaultStdout.Name ? AlertSinkDefinition.DefaultStdout : null);
                if (!isCommand && sink is null)
                {
                    deliveries.Add(new DeliveryDocument(delivery.FindingKey, delivery.Sink, delivery.Kind, "unknown_sink", 0, $"alerts.sinks has no sink named {delivery.Sink} any more", null));
                    continue;
                }

                var claimedAt = environment.UtcNow;
                if (!store.TryClaimAlertDelivery(delivery.FindingKey, delivery.Sink, runId, claimedAt, claimedAt - Lease))
                {
                    deliveries.Add(new DeliveryDocument(delivery.FindingKey, delivery.Sink, delivery.Kind, "busy", 0, null, null));
                    continue;
                }

                var finding = JsonSerializer.Deserialize<AlertFinding>(delivery.Payload, ModelMeterJson.Options)!;
                DeliveryOutcome outcome;
                if (isCommand)
                {
                    var command = commands.GetValueOrDefault(delivery.FindingKey)
                                  ?? budgets.FirstOrDefault(b => CommandSink(b.Name) == delivery.Sink)?.OnExceed?.Command;
                    outcome = command is null
                        ? new DeliveryOutcome(false, 0, "the budget has no on_exceed.command any more")
                        : await AlertSinks.RunCommandAsync(command, stores.Configs.BaseDirectory(config), delivery.Payload, CommandTimeout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    outcome = await sender.SendAsync(sink!, finding, delivery.Payload, cancellationToken).ConfigureAwait(false);
                }

                store.CompleteAlertDelivery(delivery.FindingKey, delivery.Sink, runId, outcome.Delivered, outcome.Attempts, outcome.Error, environment.UtcNow);
                deliveries.Add(new DeliveryDocument(delivery.FindingKey, delivery.Sink, delivery.Kind, outcome.Delivered ? "sent" : "failed", outcome.Attempts, outcome.Error, outcome.Message));
            }
        }
        finally
        {
            ownHttp?.Dispose();
        }

        foreach (var (finding, sinkNames, _) in findings)
        {
            foreach (var sink in sinkNames.Where(s => !deliveries.Any(d => d.FindingKey == finding.Key && d.Sink == s)))
            {
                deliveries.Add(new DeliveryDocument(finding.Key, sink, finding.Kind, "already_sent", 0, null, null));
            }
        }

        return new AlertReport(runId, DryRun: false, Skipped: false, findings.Select(f => f.Finding).ToList(), deliveries) { Warnings = warnings };
    }

    private const string CommandPrefix = "command:";

    private static string CommandSink(string budget) => CommandPrefix + budget;

    private static IReadOnlyList<string> SinksOr(IReadOnlyList<string> sinks) => sinks.Count > 0 ? sinks : [AlertSinkDefinition.DefaultStdout.Name];

    /// <summary>Opens the store for writing, waiting while another process holds it; null when the wait ran out.</summary>
    private async Task<OpenedStore?> OpenAsync(AlertRequest request, Core.Configuration.ModelMeterConfig config, CancellationToken cancellationToken)
    {
        // Real time, not the injected clock: this is waiting on another process, which a fake clock cannot hurry.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Write: the run records what it sends (deliveries, closed budget periods) in the store.
                return stores.Open(request.Store, config, StoreAccess.Write, "alert evaluates budgets and anomalies on the imported costs in it and records what it sends");
            }
            catch (StoreBusyException) when (deadline.Elapsed < request.Wait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
            catch (StoreBusyException)
            {
                return null;
            }
        }
    }

    private static IEnumerable<AlertFinding> BudgetFindings(BudgetState state, DateTime now)
    {
        var e = state.Evaluation;
        var b = e.Budget;
        foreach (var crossing in e.Crossings.Where(c => c.IsReportedHere))
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"budget:{b.Name}:{e.Window.Label}:{crossing.Kind}:{crossing.Threshold:0.##}");
            var money = (decimal v) => MoneyText.WithCurrency(new Money(v, b.Amount.Currency));
            var owner = b.Owner is null ? "" : $" Owner: {b.Owner}.";
            var (severity, title, summary) = crossing.Kind == ThresholdCrossing.Actual
                ? (crossing.Threshold >= 100m ? "critical" : "info",
                    string.Create(CultureInfo.InvariantCulture, $"Budget {b.Name} has spent {crossing.Percent:0.#}% of {money(b.Amount.Amount)} in {e.Window.Label}"),
                    string.Create(CultureInfo.InvariantCulture,
                        $"{money(e.Spent)} spent through {e.AsOf:yyyy-MM-dd} ({(b.Scope.Label.Length == 0 ? "all costs" : b.Scope.Label)}), past the {crossing.Threshold:0.##}% threshold; forecast {money(e.Forecast.Forecast)} at period end (90%: {money(e.Forecast.Lower)} to {money(e.Forecast.Upper)}).{owner}"))
                : ("warning",
                    string.Create(CultureInfo.InvariantCulture, $"Budget {b.Name} is forecast to reach {crossing.Percent:0.#}% of {money(b.Amount.Amount)} in {e.Window.Label}"),
                    string.Create(CultureInfo.InvariantCulture,
                        $"Forecast {money(e.Forecast.Forecast)} at {e.Window.End.AddDays(-1):yyyy-MM-dd} (90%: {money(e.Forecast.Lower)} to {money(e.Forecast.Upper)}, by {state.Forecaster}) against the {crossing.Threshold:0.##}% threshold; {money(e.Spent)} spent so far{(e.ReachesAmountOn is { } on ? string.Create(CultureInfo.InvariantCulture, $", reaching the amount around {on:yyyy-MM-dd}") : "")}.{owner}"));
            yield return new AlertFinding(key, "budget_threshold", severity, title, summary, now, Budget(state, crossing), null);
        }
    }

    private static AlertFinding ActionFinding(BudgetState state, DateTime now)
    {
        var e = state.Evaluation;
        var over = e.Crossings.First(c => c.Kind == ThresholdCrossing.Actual && c.IsBreach);
        return new AlertFinding(
            $"action:{e.Budget.Name}:{e.Window.Label}", "budget_action", "critical",
            $"Budget {e.Budget.Name} is exceeded in {e.Window.Label}: running its on_exceed command",
            string.Create(CultureInfo.InvariantCulture, $"{MoneyText.WithCurrency(new Money(e.Spent, e.Budget.Amount.Currency))} spent of {MoneyText.WithCurrency(e.Budget.Amount)} ({e.Percent:0.#}%)."),
            now, Budget(state, over), null);
    }

    private static BudgetFinding Budget(BudgetState state, ThresholdCrossing crossing)
    {
        var e = state.Evaluation;
        var b = e.Budget;
        return new BudgetFinding(b.Name, b.Scope.Label, e.Window.Label, crossing.Kind, crossing.Threshold, crossing.Percent, b.Amount.Currency, b.Amount.Amount, e.Spent,
            Math.Round(e.Forecast.Forecast, 2), Math.Round(e.Forecast.Lower, 2), Math.Round(e.Forecast.Upper, 2), e.ReachesAmountOn, b.Owner, b.TeamLabel);
    }

    private static AlertFinding AnomalyFinding(AnomalyDocument a, DateTime now)
    {
        var scope = a.Dimensions.Count == 0 ? "all costs" : string.Join(", ", a.Dimensions.Select(d => $"{d.Key}={d.Value}"));
        var key = string.Create(CultureInfo.InvariantCulture, $"anomaly:{a.Detector}:{AnomaliesUseCase.ScopeKey([.. a.Dimensions.Keys.Select(Core.Reporting.ReportArguments.ParseDimension)], [.. a.Dimensions.Values])}:{a.Currency}:{a.Date:yyyy-MM-dd}");
        var money = (decimal v) => MoneyText.WithCurrency(new Money(v, a.Currency));
        var driver = a.Drivers.Count > 0 ? a.Drivers[0] : null;
        var why = driver is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" Largest driver: {string.Join(", ", driver.Dimensions.Where(d => d.Value is not ("(none)" or "(untagged)")).Select(d => $"{d.Key}={d.Value}"))} (+{money(driver.Impact)}, {driver.Share * 100m:0}% of the rise).");
        return new AlertFinding(key, "anomaly", "warning",
            string.Create(CultureInfo.InvariantCulture, $"Cost anomaly on {a.Date:yyyy-MM-dd} in {scope}: +{money(a.Impact)}"),
            string.Create(CultureInfo.InvariantCulture, $"{money(a.Actual)} against {money(a.Expected)} expected (score {a.Score:0.##}, {a.Detector}).{why}"),
            now, null, a);
    }
}
