using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Usage;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// A team's or a model's page (<c>/teams/nlp</c>, <c>/models/ranker</c>): its daily cost, its cost by the other
/// dimension and by service, its allocated (showback) line for a team, and its stored usage.
/// </summary>
public sealed class SubjectModel(Caller caller, ReportUseCase report, AllocationUseCase allocation, UsageQueryUseCase usage) : DashboardPage(caller)
{
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
        return Page();
    }

    /// <summary>The usage totals of this team or model, per metric.</summary>
    public IEnumerable<UsageReportRow> UsageRows => Usage?.Rows.Where(r => string.Equals(r.Dimensions.GetValueOrDefault(Key), Value, StringComparison.OrdinalIgnoreCase)) ?? [];
}
