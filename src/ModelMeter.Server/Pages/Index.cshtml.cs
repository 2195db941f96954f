using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Forecasting;
using ModelMeter.Application.Reporting;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>The overview: the month so far with its forecast (this month only), the top teams, models and services, and the daily trend.</summary>
public sealed class IndexModel(Caller caller, ReportUseCase report, ForecastUseCase forecast, AnomaliesUseCase anomalies) : DashboardPage(caller)
{
    /// <summary>The anomalies of the last 30 days (<c>anomalies</c> with the config's defaults), shown as a link to their page when there are any.</summary>
    public AnomaliesReport? Anomalies { get; private set; }

    /// <summary>This month's period-end forecast per currency (<c>forecast --period month</c>); null for a past month or too little history.</summary>
    public ForecastReport? Forecast { get; private set; }

    public string? ForecastNote { get; private set; }

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
        Anomalies = Try(() => anomalies.Run(new AnomaliesRequest { Store = Caller.Store, Access = Caller.Access }));
        var thisMonth = HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        if (ShownMonth == thisMonth)
        {
            try
            {
                Forecast = forecast.Run(new ForecastRequest { Store = Caller.Store, Access = Caller.Access, Where = query.Where, Period = "month" });
            }
            catch (Core.Errors.UserInputException e)
            {
                ForecastNote = e.Message;
            }
        }
    }
}
