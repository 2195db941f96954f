using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Budgets;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>Budgets (<c>budget status</c>): the tree with spent, percent, forecast and status; a team's key sees its team's.</summary>
public sealed class BudgetsModel(Caller caller, BudgetsUseCase budgets) : DashboardPage(caller)
{
    /// <summary>Evaluate as of the end of this day (<c>?as-of=2026-10-20</c>); empty for now.</summary>
    [BindProperty(SupportsGet = true, Name = "as-of")]
    public string? AsOf { get; set; }

    public BudgetStatusReport? Status { get; private set; }

    public void OnGet() => Status = Try(() => budgets.Status(new BudgetStatusRequest
    {
        Store = Caller.Store,
        Access = Caller.Access,
        AsOf = string.IsNullOrWhiteSpace(AsOf) ? null : AsOf.Trim(),
    }));

    public static string PercentOf(decimal percent) => percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The bar's width: spent as a share of the amount, capped at the cell.</summary>
    public static string Width(decimal percent) => Math.Round(Math.Clamp(percent, 0m, 100m), 1).ToString(CultureInfo.InvariantCulture) + "%";

    public static string StatusText(string status) => status switch
    {
        "over" => "Over",
        "at_risk" => "At risk",
        "warning" => "Warning",
        _ => "OK",
    };
}
