using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Reporting;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// The full cost (<c>modelmeter tco</c>, <c>GET /api/v1/tco</c>): per product (or team, model) what it really cost,
/// cloud training, inference, storage, transfer and the rest, with each column's share; a stacked chart of the same
/// columns beside the table. Filters in the URL: <c>?month=2026-10&amp;by=tag:team&amp;environment=prod</c>.
/// </summary>
public sealed class TcoModel(Caller caller, TcoUseCase tco) : DashboardPage(caller)
{
    public static readonly IReadOnlyList<string> Groupings = ["tag:product", "tag:team", "tag:model"];

    [BindProperty(SupportsGet = true)]
    public string? By { get; set; }

    public string ShownBy => string.IsNullOrWhiteSpace(By) ? "tag:product" : By.Trim();

    public TcoReport? Report { get; private set; }

    public void OnGet() =>
        Report = Try(() => tco.Run(new TcoRequest { Store = Caller.Store, Access = Caller.Access, Query = Query() with { By = ShownBy } }));

    /// <summary><c>cloud_training</c> → <c>cloud training</c>.</summary>
    public static string ColumnName(string column) => column.Replace('_', ' ');

    /// <summary>One chart per currency: a stacked bar per group, a series per column that has any cost.</summary>
    public string Chart(string currency)
    {
        var rows = Report!.Rows.Where(r => r.Currency == currency).ToList();
        var columns = Report.Columns.Where(c => rows.Any(r => r.Amounts[c] != 0m)).ToList();
        return BarsData(
            rows.Select(r => string.Join(" / ", r.Values)).ToList(),
            columns.Select(c => (ColumnName(c), (IReadOnlyList<decimal>)rows.Select(r => r.Amounts[c]).ToList())),
            currency,
            stacked: true);
    }
}
