using System.Globalization;
using ModelMeter.Application.Runs;
using ModelMeter.Application.WhatIf;

namespace ModelMeter.Server.Pages;

/// <summary>An experiment with runs in the period, to pick from: its name, run trees and cost.</summary>
public sealed record ExperimentChoice(string Name, int RunTrees, decimal? Cost, string? Currency);

/// <summary>The frequency what-if's form and answer: the period's experiments to pick from, what was asked, the scaled cost.</summary>
public sealed record FrequencyWhatIfView(
    IReadOnlyList<ExperimentChoice> Experiments,
    string? Experiment,
    string? X,
    string? Month,
    WhatIfFrequencyReport? Report);

/// <summary>
/// <c>what-if frequency --experiment NAME --x FACTOR [--month M]</c> (<c>GET /api/v1/what-if/frequency</c>): an
/// experiment's run cost at another retraining frequency. The experiments offered are those with runs in the period
/// (<c>runs --by experiment</c>, in the caller's scope), so a team key picks among its own.
/// </summary>
public sealed class FrequencyWhatIfKind : IWhatIfKind
{
    /// <summary>Factors offered in the form (any other may be typed in the URL).</summary>
    public static readonly IReadOnlyList<string> Factors = ["0.25", "0.5", "2", "4", "7"];

    public string Kind => "frequency";

    public string Title => "Another retraining frequency";

    public string View => "_WhatIfFrequency";

    public object Run(WhatIfContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var experiment = context.Text("experiment");
        var x = context.Text("x");
        var month = context.Text("month");
        var shown = month ?? context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var experiments = context.Services.GetRequiredService<RunsUseCase>().Run(new RunsRequest
            {
                Store = context.Caller.Store,
                Access = context.Caller.Access,
                By = "experiment",
                Month = shown,
            }).Groups
            .Select(g => new ExperimentChoice(g.Group, g.RunTrees, g.Cost, g.Currency))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var report = experiment is null || x is null ? null : context.Services.GetRequiredService<WhatIfFrequencyUseCase>().Run(new WhatIfFrequencyRequest
        {
            Store = context.Caller.Store,
            Access = context.Caller.Access,
            Experiment = experiment,
            X = x,
            Month = month,
            From = context.Text("from"),
            To = context.Text("to"),
            Last = context.Text("last"),
        });
        return new FrequencyWhatIfView(experiments, experiment, x, month, report);
    }

    public static string Factor(decimal factor) => factor.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The observed cost against the cost at the new frequency: two bars, the same figures as the table.</summary>
    public static string Chart(WhatIfFrequencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return DashboardPage.BarsData(["observed", "× " + Factor(report.Factor)], [("cost", [report.Actual, report.WhatIf])], report.Currency);
    }
}
