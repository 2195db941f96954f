using System.Globalization;
using System.Text;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;
using ModelMeter.Server.Apis;
using ModelMeter.Server.Hosting;

namespace ModelMeter.Server.Metrics;

/// <summary>
/// <c>/metrics</c> in Prometheus text format: the server's own metrics, and month-to-date cost by team and model read
/// through the report use case at scrape time (the same figures as <c>modelmeter report --month THIS --by
/// tag:team,tag:model</c>), and each budget's use in its current period read through the budget use case (the
/// figures of <c>modelmeter budget status</c>). Every team's cost is there, so it takes a key of no one team.
/// </summary>
public static class MetricsApi
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static WebApplication MapMetricsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/metrics", (ServerMetrics metrics, UsageWriter writer, ReportUseCase report, BudgetsUseCase budgets, Caller caller, TimeProvider clock) =>
            {
                var text = new StringBuilder();
                metrics.Write(text, writer);
                WriteCosts(text, report, caller, clock);
                WriteBudgets(text, budgets, caller);
                return TypedResults.Text(text.ToString(), ContentType);
            })
            .RequireAuthorization(Policies.Organisation)
            .ExcludeFromDescription();
        return app;
    }

    private static void WriteCosts(StringBuilder text, ReportUseCase report, Caller caller, TimeProvider clock)
    {
        var month = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        CostReport costs;
        try
        {
            costs = report.Run(new ReportRequest { Store = caller.Store, Query = new CostQueryText { By = "tag:team,tag:model", Month = month } });
        }
        catch (UserInputException)
        {
            // No store or no costs yet: the server's metrics still scrape.
            return;
        }

        text.Append("# HELP modelmeter_cost_month_to_date Effective cost this calendar month (UTC) so far, by team and model, in the billing currency.\n");
        text.Append("# TYPE modelmeter_cost_month_to_date gauge\n");
        foreach (var row in costs.Rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"modelmeter_cost_month_to_date{{team=\"{Label(row.Values[0])}\",model=\"{Label(row.Values[1])}\",currency=\"{Label(row.Currency)}\"}} {row.Cost.ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    private static void WriteBudgets(StringBuilder text, BudgetsUseCase budgets, Caller caller)
    {
        BudgetStatusReport status;
        try
        {
            status = budgets.Status(new BudgetStatusRequest { Store = caller.Store });
        }
        catch (UserInputException)
        {
            // No store or a config the server cannot read: the other metrics still scrape.
            return;
        }

        if (status.Budgets.Count == 0)
        {
            return;
        }

        var gauges = new (string Name, string Help, Func<BudgetStatusDocument, decimal> Value)[]
        {
            ("modelmeter_budget_amount", "The budget for its current period, in its currency.", b => b.Amount),
            ("modelmeter_budget_spent", "Spent in the budget's current period so far (as budget status counts it), in its currency.", b => b.Spent),
            ("modelmeter_budget_used_ratio", "Spent as a share of the amount (1 = the whole budget).", b => Math.Round(b.Spent / b.Amount, 6)),
            ("modelmeter_budget_forecast", "Period-end spend forecast by the forecaster that won the budget's backtest, in its currency.", b => b.Forecast),
            ("modelmeter_budget_forecast_ratio", "The period-end forecast as a share of the amount.", b => Math.Round(b.Forecast / b.Amount, 6)),
        };
        foreach (var (name, help, value) in gauges)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");
            foreach (var budget in status.Budgets.Where(b => b.Amount != 0m || !name.EndsWith("_ratio", StringComparison.Ordinal)))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{name}{{budget=\"{Label(budget.Name)}\",period=\"{Label(budget.Period)}\",team=\"{Label(budget.Team ?? "")}\",currency=\"{Label(budget.Currency)}\"}} {value(budget).ToString(CultureInfo.InvariantCulture)}\n");
            }
        }
    }

    private static string Label(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
