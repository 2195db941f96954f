using System.Globalization;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.WhatIf;

namespace ModelMeter.Server.Pages;

/// <summary>A resource billed by the hour, to pick from: its id, name and cost in the period.</summary>
public sealed record HourlyResource(string Id, string? Name, decimal Cost, string Currency);

/// <summary>The instance what-if's form and answer: the period's hourly resources and the catalogue's instances to pick from, what was asked, the repricing.</summary>
public sealed record InstanceWhatIfView(
    IReadOnlyList<HourlyResource> Resources,
    IReadOnlyList<CatalogListingEntry> Instances,
    string? Resource,
    string? As,
    string? Month,
    WhatIfInstanceReport? Report);

/// <summary>
/// <c>what-if instance --resource ID --as INSTANCE [--month M]</c> (<c>GET /api/v1/what-if/instance</c>): a resource's
/// billed hours repriced on another catalogue instance. The resources offered are those the caller's scope billed by
/// the hour in the period (<c>report --by ResourceId --where PricingUnit=Hours</c>), so a team key picks among its own.
/// </summary>
public sealed class InstanceWhatIfKind : IWhatIfKind
{
    public string Kind => "instance";

    public string Title => "Another instance";

    public string View => "_WhatIfInstance";

    public object Run(WhatIfContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var instances = context.Services.GetRequiredService<CatalogUseCase>().Run(new CatalogRequest("instance", null, context.Caller.Store.Config)).Entries;
        var resource = context.Text("resource");
        var target = context.Text("as");
        var month = context.Text("month");
        var resources = HourlyResources(context, month);
        var report = resource is null || target is null ? null : context.Services.GetRequiredService<WhatIfInstanceUseCase>().Run(new WhatIfInstanceRequest
        {
            Store = context.Caller.Store,
            Access = context.Caller.Access,
            Resource = resource,
            As = target,
            Month = month,
            From = context.Text("from"),
            To = context.Text("to"),
            Last = context.Text("last"),
        });
        return new InstanceWhatIfView(resources, instances, resource, target, month, report);
    }

    /// <summary>The resources billed by the hour in the month asked (the what-if's default, last month, without one), largest cost first.</summary>
    private static List<HourlyResource> HourlyResources(WhatIfContext context, string? month)
    {
        var shown = month ?? context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var report = context.Services.GetRequiredService<ReportUseCase>().Run(new ReportRequest
        {
            Store = context.Caller.Store,
            Access = context.Caller.Access,
            Query = new CostQueryText { By = "ResourceId,ResourceName", Where = ["PricingUnit=Hours"], Month = shown },
        });
        return report.Rows
            .Where(r => r.Values[0].Length > 0 && !r.Values[0].StartsWith('('))
            .GroupBy(r => r.Values[0], StringComparer.Ordinal)
            .Select(g => new HourlyResource(g.Key, g.Select(r => r.Values[1]).FirstOrDefault(n => n.Length > 0 && !n.StartsWith('(')), g.Sum(r => r.Cost), g.First().Currency))
            .OrderByDescending(r => r.Cost).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The period's cost on the bill against on the target: two bars, the same figures as the table.</summary>
    public static string Chart(WhatIfInstanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return DashboardPage.BarsData(
            [(report.CurrentInstance ?? report.SkuId ?? "actual") + " (actual)", report.Instance],
            [("cost", [report.Actual, report.WhatIf])],
            report.Currency);
    }
}
