using ModelMeter.Application.Reporting;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>The overview: the month so far, the top teams, models and services, and the daily trend.</summary>
public sealed class IndexModel(Caller caller, ReportUseCase report) : DashboardPage(caller)
{
    public CostReport? Total { get; private set; }

    public CostReport? Teams { get; private set; }

    public CostReport? Models { get; private set; }

    public CostReport? Services { get; private set; }

    public CostReport? Daily { get; private set; }

    /// <summary>The trend's period: the month asked, or the last 30 days.</summary>
    public string TrendLabel => string.IsNullOrWhiteSpace(Month) ? "the last 30 days" : ShownMonth;

    public void OnGet()
    {
        CostReport Run(CostQueryText query, int? top = null) =>
            report.Run(new ReportRequest { Store = Caller.Store, Access = Caller.Access, Query = query, Top = top });

        var query = Query();
        Total = Try(() => Run(query));
        if (Total is null)
        {
            return;
        }

        Teams = Run(query with { By = "tag:team" }, 10);
        Models = Run(query with { By = "tag:model" }, 10);
        Services = Run(query with { By = "ServiceName" }, 10);
        Daily = Run(string.IsNullOrWhiteSpace(Month) ? query with { Month = null, Last = "30d", Grain = "day" } : query with { Grain = "day" });
    }
}
