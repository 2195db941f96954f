using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Unit;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// Unit economics (<c>modelmeter unit --by tag:model --grain week --month M</c>): per scope and period the cost, the
/// predictions and cost per 1k, tokens and cost per 1M, active users and cost per user, revenue and margin.
/// </summary>
public sealed class UnitModel(Caller caller, UnitUseCase unit) : DashboardPage(caller)
{
    public static readonly IReadOnlyList<string> Scopes = ["tag:model", "tag:team", "tag:product"];

    public static readonly IReadOnlyList<string> Grains = ["week", "month", "day"];

    /// <summary>The scope (<c>--by</c>); empty for tag:model.</summary>
    [BindProperty(SupportsGet = true)]
    public string? By { get; set; }

    /// <summary>The period of each row (<c>--grain</c>); empty for week, so a month shows its trend.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Grain { get; set; }

    public string ShownBy => string.IsNullOrWhiteSpace(By) ? "tag:model" : By.Trim();

    public string ShownGrain => string.IsNullOrWhiteSpace(Grain) ? "week" : Grain.Trim();

    public UnitReport? Report { get; private set; }

    public void OnGet() => Report = Try(() => unit.Run(new UnitRequest
    {
        Store = Caller.Store,
        Access = Caller.Access,
        Query = Query() with { By = ShownBy, Grain = ShownGrain },
    }));

    /// <summary>Cost per 1k predictions per scope over the periods (scopes that served predictions).</summary>
    public string Chart
    {
        get
        {
            var rows = Report?.Rows ?? [];
            var labels = rows.Select(r => r.PeriodStart).Distinct().Order().ToList();
            var series = rows.Where(r => r.CostPerThousandPredictions is not null).GroupBy(r => (r.Scope, r.Currency))
                .Select(g => ($"{g.Key.Scope} ({g.Key.Currency})", (IReadOnlyList<decimal?>)labels.Select(l => g.FirstOrDefault(r => r.PeriodStart == l)?.CostPerThousandPredictions).ToList()));
            return SeriesData(labels.Select(l => l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(), series, "per 1k");
        }
    }

    public static string Unit(decimal? value, string currency) => value is { } v ? v.ToString("#,##0.00####", CultureInfo.InvariantCulture) + " " + currency : "n/a";
}
