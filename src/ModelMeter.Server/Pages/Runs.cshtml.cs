using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Runs;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// Runs (<c>modelmeter runs --by experiment --month M</c>): each experiment's runs, run time, cost and waste, then every
/// run with its cost and, with <c>?metric=</c>, the metric it reached. A team's key sees its team's runs.
/// </summary>
public sealed class RunsModel(Caller caller, RunsUseCase runs) : DashboardPage(caller)
{
    /// <summary>One experiment (<c>--experiment</c>), or empty for all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Experiment { get; set; }

    /// <summary>The metric to show per run (<c>--metric</c>); empty for the first the runs logged.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Metric { get; set; }

    public RunsResult? Result { get; private set; }

    /// <summary>The experiments of the month, for the filter (whatever experiment is chosen).</summary>
    public IReadOnlyList<string> Experiments { get; private set; } = [];

    public string? ShownMetric { get; private set; }

    public void OnGet()
    {
        RunsResult Run(IReadOnlyList<string> experiments, IReadOnlyList<string> metrics) => runs.Run(new RunsRequest
        {
            Store = Caller.Store,
            Access = Caller.Access,
            Month = ShownMonth,
            By = "experiment",
            Experiments = experiments,
            Metrics = metrics,
        });

        var all = Try(() => Run([], []));
        if (all is null)
        {
            return;
        }

        Experiments = all.Groups.Select(g => g.Group).Order(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> chosen = string.IsNullOrWhiteSpace(Experiment) ? [] : [Experiment.Trim()];
        var logged = chosen.Count == 0 ? all.LoggedMetrics : Try(() => Run(chosen, []))?.LoggedMetrics ?? [];
        ShownMetric = string.IsNullOrWhiteSpace(Metric) ? (logged.Count > 0 ? logged[0] : null) : Metric.Trim();
        Result = Try(() => Run(chosen, ShownMetric is null ? [] : [ShownMetric]));
    }

    /// <summary>Each costed run's cost over its start, for the chart.</summary>
    public string Chart => ScatterData(
        (Result?.Runs ?? []).Where(r => r is { Cost: not null, Start: not null }).Select(r => ((r.Start!.Value - DateTime.UnixEpoch).TotalSeconds, r.Cost!.Value)),
        "Run start (UTC)", "Cost", time: true);

    public static string Hours(double? seconds) => seconds is { } s ? (s / 3600).ToString("#,##0.0", System.Globalization.CultureInfo.InvariantCulture) + " h" : "n/a";

    public static string Cost(decimal? cost, string? currency) => cost is { } c && currency is not null ? Money(c, currency) : "n/a";
}
