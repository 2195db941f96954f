using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Unit;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Unit;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// A team's or a model's page (<c>/teams/nlp</c>, <c>/models/ranker</c>): its daily cost, its cost by the other
/// dimension and by service, its allocated (showback) line for a team, its stored usage, its cost per prediction
/// (<c>unit</c>), its runs' cost against the metric they reached (<c>runs --where tag:KEY=VALUE --metric M</c>) and the
/// budgets that cover it (<c>budget status</c>: a budget naming it, or for a model its team, and the budgets above).
/// </summary>
public sealed class SubjectModel(
    Caller caller, ReportUseCase report, AllocationUseCase allocation, UsageQueryUseCase usage, UnitUseCase unit, RunsUseCase runs, BudgetsUseCase budgets)
    : DashboardPage(caller)
{
    /// <summary>The run metric to plot cost against (<c>?metric=</c>); empty for the first the runs logged.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Metric { get; set; }
    [FromRoute]
    public string Kind { get; set; } = "";

    [FromRoute]
    public string Value { get; set; } = "";

    /// <summary>The tag key of the page: team or model.</summary>
    public string Key => Kind == "teams" ? "team" : "model";

    public string Other => Key == "team" ? "model" : "team";

    public CostReport? Total { get; private set; }

    public CostReport? Daily { get; private set; }

    public CostReport? ByOther { get; private set; }

    public CostReport? Services { get; private set; }

    public IReadOnlyList<(string Currency, StatementRow Row)> Showback { get; private set; } = [];

    public UsageReport? Usage { get; private set; }

    /// <summary>This month's unit costs of this team or model (<c>unit --by tag:KEY --grain month</c>); null when it has no cost or no traffic.</summary>
    public UnitRow? UnitCost { get; private set; }

    public string? UnitNote { get; private set; }

    public RunsResult? Runs { get; private set; }

    public string? RunsNote { get; private set; }

    public string? ShownMetric { get; private set; }

    public BudgetStatusReport? Budgets { get; private set; }

    public IActionResult OnGet()
    {
        if (Kind is not ("teams" or "models"))
        {
            return NotFound();
        }

        // A team key opening another team's page: the use cases would show nothing; say why instead.
        if (Key == "team" && Caller.Access.Team is { } team && !string.Equals(team, Value, StringComparison.OrdinalIgnoreCase))
        {
            return Forbid();
        }

        CostReport Run(CostQueryText query, int? top = null) =>
            report.Run(new ReportRequest { Store = Caller.Store, Access = Caller.Access, Query = query, Top = top });

        var query = Query($"tag:{Key}={Value}");
        Total = Try(() => Run(query));
        if (Total is null)
        {
            return Page();
        }

        Daily = Run(query with { Grain = "day" });
        ByOther = Run(query with { By = "tag:" + Other }, 10);
        Services = Run(query with { By = "ServiceName" }, 10);
        if (Key == "team")
        {
            var view = allocation.Run(new AllocationRequest { Store = Caller.Store, Access = Caller.Access, Query = Query() });
            Showback = view.Showback?.Statements.SelectMany(s => s.Lines.Where(l => string.Equals(l.Target, Value, StringComparison.OrdinalIgnoreCase)).Select(l => (s.Currency, l))).ToList() ?? [];
        }

        Usage = Try(() => usage.Run(new UsageQueryRequest { Store = Caller.Store, Access = Caller.Access, Month = ShownMonth, By = Key }));
        ReadUnitCost();
        ReadRuns();

        // The budgets that cover it: a model's are also its teams'.
        var covering = new List<string> { $"tag:{Key}={Value}" };
        if (Key == "model")
        {
            covering.AddRange(ByOther!.Rows.Select(r => r.Values[0]).Where(t => !t.StartsWith('(')).Select(t => $"tag:team={t}"));
        }

        Budgets = Try(() => budgets.Status(new BudgetStatusRequest { Store = Caller.Store, Access = Caller.Access, Covering = covering }));
        return Page();
    }

    private void ReadUnitCost()
    {
        try
        {
            var unitCosts = unit.Run(new UnitRequest { Store = Caller.Store, Access = Caller.Access, Query = Query() with { By = "tag:" + Key, Grain = "month" } });
            UnitCost = unitCosts.Latest.FirstOrDefault(r => string.Equals(r.Scope, Value, StringComparison.OrdinalIgnoreCase));
            UnitNote = UnitCost is null ? $"No cost tagged {Key}={Value} in {ShownMonth}." : UnitCost.Predictions is null ? $"No predictions carry {Key}={Value} in {ShownMonth}." : null;
        }
        catch (Core.Errors.UserInputException e)
        {
            UnitNote = e.Message;
        }
    }

    private void ReadRuns()
    {
        RunsResult Read(IReadOnlyList<string> metrics) => runs.Run(new RunsRequest
        {
            Store = Caller.Store,
            Access = Caller.Access,
            Month = ShownMonth,
            Where = [$"tag:{Key}={Value}"],
            Metrics = metrics,
        });

        try
        {
            ShownMetric = string.IsNullOrWhiteSpace(Metric) ? Read([]).LoggedMetrics is [var first, ..] ? first : null : Metric.Trim();
            Runs = Read(ShownMetric is null ? [] : [ShownMetric]);
        }
        catch (Core.Errors.UserInputException e)
        {
            RunsNote = e.Message;
        }
    }

    /// <summary>The runs with a cost and a usable value of the metric: the scatter's points.</summary>
    public IEnumerable<RunRow> RunPoints => ShownMetric is { } metric
        ? (Runs?.Runs ?? []).Where(r => r.Cost is not null && r.Metrics.GetValueOrDefault(metric) is not null)
        : [];

    public string RunsChart => ScatterData(RunPoints.Select(r => ((double)r.Metrics[ShownMetric!]!.Value, r.Cost!.Value)), ShownMetric ?? "metric", "Cost");

    /// <summary>The usage totals of this team or model, per metric.</summary>
    public IEnumerable<UsageReportRow> UsageRows => Usage?.Rows.Where(r => string.Equals(r.Dimensions.GetValueOrDefault(Key), Value, StringComparison.OrdinalIgnoreCase)) ?? [];
}
