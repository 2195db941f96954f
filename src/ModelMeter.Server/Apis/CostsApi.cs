using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Reporting;

namespace ModelMeter.Server.Apis;

/// <summary><c>report</c>, <c>tco</c>, <c>allocate</c>, <c>report --by hierarchy</c> and <c>tags</c> over HTTP.</summary>
public static class CostsApi
{
    public static RouteGroupBuilder MapCostsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/report", (ReportUseCase report, Caller caller, [AsParameters] CostQueryParameters query, int? top) =>
                Document.Of(report.Run(new ReportRequest { Store = caller.Store, Access = caller.Access, Query = query.Text, Top = top })))
            .WithName("Report").WithSummary("The cost explorer (modelmeter report): costs grouped, filtered and bucketed.").WithTags("Costs");

        api.MapGet("/tco", (TcoUseCase tco, Caller caller, [AsParameters] CostQueryParameters query) =>
                Document.Of(tco.Run(new TcoRequest { Store = caller.Store, Access = caller.Access, Query = query.Text })))
            .WithName("Tco").WithSummary("The full cost per group (modelmeter tco): cloud training, inference, storage, transfer, personnel, data, tooling, with shares.").WithTags("Costs");

        api.MapGet("/what-if/llm", (Application.WhatIf.WhatIfLlmUseCase whatIf, Caller caller, [FromQuery(Name = "as")] string? model, [FromQuery] string[]? where, string? from, string? to, string? last, string? month) =>
                Document.Of(whatIf.Run(new Application.WhatIf.WhatIfLlmRequest { Store = caller.Store, Access = caller.Access, As = model, Where = where ?? [], From = from, To = to, Last = last, Month = month })))
            .WithName("WhatIfLlm").WithSummary("A period's LLM calls repriced on another catalogue model (modelmeter what-if llm).").WithTags("Costs");

        api.MapGet("/what-if/instance", (Application.WhatIf.WhatIfInstanceUseCase whatIf, Caller caller, string? resource, [FromQuery(Name = "as")] string? instance, string? from, string? to, string? last, string? month) =>
                Document.Of(whatIf.Run(new Application.WhatIf.WhatIfInstanceRequest { Store = caller.Store, Access = caller.Access, Resource = resource, As = instance, From = from, To = to, Last = last, Month = month })))
            .WithName("WhatIfInstance").WithSummary("A resource's billed hours repriced on another catalogue instance (modelmeter what-if instance).").WithTags("Costs");

        api.MapGet("/what-if/frequency", (Application.WhatIf.WhatIfFrequencyUseCase whatIf, Caller caller, string? experiment, string? x, string? from, string? to, string? last, string? month) =>
                Document.Of(whatIf.Run(new Application.WhatIf.WhatIfFrequencyRequest { Store = caller.Store, Access = caller.Access, Experiment = experiment, X = x, From = from, To = to, Last = last, Month = month })))
            .WithName("WhatIfFrequency").WithSummary("An experiment's run cost at another retraining frequency (modelmeter what-if frequency).").WithTags("Costs");

        api.MapGet("/allocation", (AllocationUseCase allocation, Caller caller, [AsParameters] CostQueryParameters query, string? explain, int? top, string? currency) =>
                Document.Of(allocation.Run(new AllocationRequest { Store = caller.Store, Access = caller.Access, Query = query.Text, Explain = explain, Top = top, Currency = currency })))
            .WithName("Allocation").WithSummary("The allocated view (modelmeter allocate): showback, or with explain every amount a target received.").WithTags("Costs");

        api.MapGet("/hierarchy", (AllocationUseCase allocation, Caller caller, [AsParameters] CostQueryParameters query, int? depth, bool? allocated, string? currency) =>
                Document.Of(allocation.Hierarchy(new HierarchyRequest { Store = caller.Store, Access = caller.Access, Query = query.Text with { By = null }, Depth = depth, Allocated = allocated ?? false, Currency = currency })))
            .WithName("Hierarchy").WithSummary("The cost hierarchy (modelmeter report --by hierarchy).").WithTags("Costs");

        api.MapGet("/tags", (TagsUseCase tags, Caller caller, [AsParameters] CostQueryParameters query, [FromQuery(Name = "fail-under")] decimal? failUnder, int? top) =>
                Document.Of(tags.Run(new TagsRequest { Store = caller.Store, Access = caller.Access, Query = query.Text, FailUnder = failUnder, Top = top ?? 10 })))
            .WithName("Tags").WithSummary("Tag compliance under the tag policy (modelmeter tags).").WithTags("Costs");
        return api;
    }
}
