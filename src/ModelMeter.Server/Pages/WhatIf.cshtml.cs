using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.WhatIf;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// One kind of what-if on the what-if page (<c>/what-if/{kind}</c>): its name in the URL (the CLI's sub-verb), its
/// title, the partial view that draws its form and answer, and how it runs its use case from the page's query string.
/// A new kind (<c>what-if instance</c>, <c>what-if frequency</c>) is one more implementation registered in
/// <see cref="Hosting.ServerServices"/> and one partial; the page itself does not change.
/// </summary>
public interface IWhatIfKind
{
    /// <summary>The URL segment and CLI sub-verb: <c>llm</c>.</summary>
    string Kind { get; }

    string Title { get; }

    /// <summary>The partial view (in Pages/Shared) whose model is what <see cref="Run"/> returns.</summary>
    string View { get; }

    /// <summary>Runs the use case for the query (a <see cref="Core.Errors.UserInputException"/> is shown on the page).</summary>
    object Run(WhatIfContext context);
}

/// <summary>What a kind needs to run: the caller (store and team scope), the query string and the services.</summary>
public sealed record WhatIfContext(Caller Caller, IQueryCollection Query, IServiceProvider Services)
{
    /// <summary>A query parameter, trimmed; null when absent or blank.</summary>
    public string? Text(string name) => Query[name].FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    /// <summary>Every non-blank value of a repeated parameter (<c>where</c>).</summary>
    public IReadOnlyList<string> Texts(string name) => Query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
}

/// <summary>The what-if page: the kinds as tabs, the chosen kind's form (it changes the URL) and its answer.</summary>
public sealed class WhatIfModel(Caller caller, IEnumerable<IWhatIfKind> kinds) : DashboardPage(caller)
{
    [FromRoute]
    public string Kind { get; set; } = "";

    public IReadOnlyList<IWhatIfKind> Kinds { get; } = kinds.ToList();

    public IWhatIfKind? Selected { get; private set; }

    public object? Answer { get; private set; }

    public IActionResult OnGet()
    {
        Selected = Kinds.FirstOrDefault(k => string.Equals(k.Kind, Kind, StringComparison.OrdinalIgnoreCase));
        if (Selected is null)
        {
            return NotFound();
        }

        Answer = Try(() => Selected.Run(new WhatIfContext(Caller, Request.Query, HttpContext.RequestServices)));
        return Page();
    }
}

/// <summary>The LLM what-if's form and answer: the catalogue's LLMs to pick from, what was asked, the repricing.</summary>
public sealed record LlmWhatIfView(
    IReadOnlyList<CatalogListingEntry> Models,
    string? As,
    string? Month,
    IReadOnlyList<string> Where,
    WhatIfLlmReport? Report);

/// <summary><c>what-if llm --as MODEL [--month M] [--where ...]</c> (<c>GET /api/v1/what-if/llm</c>): the period's LLM calls repriced by feature and team.</summary>
public sealed class LlmWhatIfKind : IWhatIfKind
{
    public string Kind => "llm";

    public string Title => "Another LLM";

    public string View => "_WhatIfLlm";

    public object Run(WhatIfContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var models = context.Services.GetRequiredService<CatalogUseCase>().Run(new CatalogRequest("llm", null, context.Caller.Store.Config)).Entries;
        var target = context.Text("as");
        var month = context.Text("month");
        var where = context.Texts("where");
        var report = target is null ? null : context.Services.GetRequiredService<WhatIfLlmUseCase>().Run(new WhatIfLlmRequest
        {
            Store = context.Caller.Store,
            Access = context.Caller.Access,
            As = target,
            Month = month,
            Where = where,
        });
        return new LlmWhatIfView(models, target, month, where, report);
    }

    /// <summary>Actual against what-if cost per feature and team, side by side.</summary>
    public static string Chart(WhatIfLlmReport report, string currency)
    {
        ArgumentNullException.ThrowIfNull(report);
        var groups = report.Groups.Where(g => g.Currency == currency).ToList();
        return DashboardPage.BarsData(
            groups.Select(g => g.Feature + " / " + g.Team).ToList(),
            [("actual", groups.Select(g => g.ActualCost).ToList()), ("on " + report.Model, groups.Select(g => g.WhatIfCost).ToList())],
            currency);
    }
}
