using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Kpis;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>KPIs (<c>modelmeter kpi</c>): each KPI of modelmeter.yaml per period, in tree order, with its target and status.</summary>
public sealed class KpiModel(Caller caller, KpiUseCase kpis) : DashboardPage(caller)
{
    public static readonly IReadOnlyList<string> Grains = ["month", "week"];

    /// <summary>The period of each value (<c>--grain</c>); empty for month.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Grain { get; set; }

    public string ShownGrain => string.IsNullOrWhiteSpace(Grain) ? "month" : Grain.Trim();

    public KpiReport? Report { get; private set; }

    public void OnGet()
    {
        try
        {
            // No month asked: the CLI's default, the last two periods with costs.
            Report = Try(() => kpis.Run(new KpiRequest
            {
                Store = Caller.Store,
                Access = Caller.Access,
                Query = new() { Month = string.IsNullOrWhiteSpace(Month) ? null : Month.Trim(), Grain = ShownGrain },
            }));
        }
        catch (Application.Access.AccessDeniedException e)
        {
            Error = e.Message;
        }
    }

    public static string Value(decimal? value, string? unit) =>
        value is { } v ? v.ToString("#,##0.######", CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(unit) ? "" : " " + unit) : "n/a";

    public static string Target(KpiResult kpi)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        return kpi.Target is { } t ? (kpi.Direction == "above" ? "≥ " : "≤ ") + Value(t, kpi.Unit) : "";
    }

    /// <summary>One small line chart per KPI over the report's periods (units differ, so each has its own axis); null values are gaps.</summary>
    public string Chart(KpiResult kpi)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        var periods = Report!.Periods;
        var values = periods.Select(p => kpi.Values.FirstOrDefault(v => v.PeriodStart == p)?.Value).ToList();
        return SeriesData(periods.Select(p => p.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(), [(kpi.Name, values)], kpi.Unit ?? "", height: 150);
    }

    public static string StatusText(string status) => status switch
    {
        "on_target" => "On target",
        "off_target" => "Off target",
        "no_target" => "No target",
        _ => "No data",
    };
}
