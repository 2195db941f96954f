using System.Globalization;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Recommendations;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.WhatIf;

/// <summary>A <c>what-if instance</c>: the resource, the catalogue instance to reprice on, and the period (default last month).</summary>
public sealed record WhatIfInstanceRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (a resource of that team only, applied here).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>The resource (<c>--resource</c>): its FOCUS ResourceId.</summary>
    public string? Resource { get; init; }

    /// <summary>The catalogue instance type (<c>--as</c>): <c>g5.xlarge</c>, <c>p4d.24xlarge</c>.</summary>
    public string? As { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Last { get; init; }

    /// <summary>The month (<c>YYYY-MM</c>); without any period, the last complete month.</summary>
    public string? Month { get; init; }
}

/// <summary>
/// The answer of <c>modelmeter what-if instance</c> (<c>GET /api/v1/what-if/instance</c>): a resource's billed
/// instance-hours of the period, what they cost, and what they would have cost on <see cref="Instance"/>, with the working.
/// </summary>
/// <param name="ResourceId">The resource repriced.</param>
/// <param name="ResourceName">Its name on the bill, or null.</param>
/// <param name="Team">Its team, through the tag policy, or null when untagged.</param>
/// <param name="Provider">Its ProviderName on the bill.</param>
/// <param name="Region">Its RegionId on the bill, or null.</param>
/// <param name="SkuId">Its SKU on the bill (the instance type is read from it), or null.</param>
/// <param name="PricingCategory">Its PricingCategory on the bill (<c>Standard</c>, <c>Dynamic</c> for spot, <c>Committed</c>), or null.</param>
/// <param name="CurrentInstance">The catalogue instance the SKU names, or null when the catalogue does not have it.</param>
/// <param name="Instance">The catalogue instance repriced on.</param>
/// <param name="From">The first instant of the period (inclusive).</param>
/// <param name="To">The instant the period ends before (exclusive).</param>
/// <param name="Basis"><c>bill_ratio</c> (the bill's price × the catalogue's ratio of the two on-demand prices), or the target's catalogue <c>on_demand</c>, <c>spot</c> or <c>commitment_1y</c> price.</param>
/// <param name="Hours">Instance-hours billed in the period (the usage quantity summed).</param>
/// <param name="ActualHourly">Actual ÷ hours.</param>
/// <param name="WhatIfHourly">What one hour costs on the target.</param>
/// <param name="Actual">The resource's EffectiveCost of usage in the period.</param>
/// <param name="WhatIf">Hours × what-if hourly.</param>
/// <param name="Difference">What-if − actual (negative: the other instance is cheaper).</param>
/// <param name="MonthlyDifference">The difference scaled to 30.4375 days (the difference itself for a calendar month).</param>
/// <param name="Working">The steps, as <c>estimate --explain</c> shows them.</param>
public sealed record WhatIfInstanceReport(
    string ResourceId,
    string? ResourceName,
    string? Team,
    string? Provider,
    string? Region,
    string? SkuId,
    string? PricingCategory,
    string? CurrentInstance,
    string Instance,
    DateTime From,
    DateTime To,
    string Currency,
    string Basis,
    decimal Hours,
    decimal ActualHourly,
    decimal WhatIfHourly,
    decimal Actual,
    decimal WhatIf,
    decimal Difference,
    decimal MonthlyDifference,
    IReadOnlyList<string> Working)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary><c>modelmeter what-if instance --resource ID --as INSTANCE</c>: a resource's real hours on another catalogue instance.</summary>
public sealed class WhatIfInstanceUseCase(StoreProvider stores, PriceCatalogs catalogs, ModelMeterEnvironment environment)
{
    public WhatIfInstanceReport Run(WhatIfInstanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Resource))
        {
            throw new UserInputException("Name the resource to reprice with --resource, its ResourceId on the bill (modelmeter report --by ResourceId --where PricingUnit=Hours lists them).");
        }

        if (string.IsNullOrWhiteSpace(request.As))
        {
            throw new UserInputException("Name the instance type to reprice on with --as, e.g. --as g5.xlarge (modelmeter catalog --kind instance lists them).");
        }

        var resourceId = request.Resource.Trim();
        var (from, to) = WhatIfPeriod.Resolve(request.From, request.To, request.Last, request.Month, environment.UtcNow);
        using var opened = stores.Open(request.Store, StoreAccess.Read, "what-if reads the resource's billed hours from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var catalog = catalogs.Load(request.Store.Config);

        // The resource's tags through the policy; a team's key sees its own resources only (another team's reads as unknown).
        var byId = new Filter(new ColumnDimension("ResourceId"), FilterOperator.Equal, [resourceId]);
        var billed = opened.Store.QueryBilledCostRows(new CostQuery { From = from, To = to, Where = [byId] });
        var scope = request.Access.Restrict([]).Select(ReportArguments.ParseFilter).ToList();
        var visible = scope.Count == 0 ? billed : setup.WithTags(billed, scope).ToList();
        var days = visible.Count == 0 ? [] : opened.Store.QueryResourceDays(from, to).Where(d => string.Equals(d.ResourceId, resourceId, StringComparison.Ordinal)).ToList();
        if (days.Count == 0)
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"No usage charges of resource '{resourceId}' between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}{(request.Access.IsEverything ? "" : $" in team {request.Access.Team}'s costs")}; modelmeter report --by ResourceId --where PricingUnit=Hours lists the resources billed by the hour."));
        }

        var currencies = days.Select(d => d.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (currencies.Count > 1)
        {
            throw new UserInputException($"Resource '{resourceId}' is billed in {string.Join(" and ", currencies)} in the period; what-if compares one currency: narrow the period with --from/--to.");
        }

        var top = billed.OrderByDescending(r => r.Amount).First();
        var tags = setup.Policy.Resolve(top.EffectiveTags(), top.SubAccountId, resourceId).Tags;
        var pool = RecommendUseCase.Pool(resourceId, currencies[0], days, tags);
        var target = InstanceWhatIf.Target(catalog, request.As, pool);
        var repriced = InstanceWhatIf.Reprice(catalog, target, pool);
        var monthly = WhatIfPeriod.Monthly(repriced.Difference, from, to);
        var working = new List<string> { WhatIfPeriod.Describe(from, to) };
        working.AddRange(repriced.Working);
        working.Add(string.Create(CultureInfo.InvariantCulture,
            $"per month: {MoneyText.Amount(monthly, pool.Currency)} {pool.Currency}{WhatIfPeriod.Scaling(from, to)}"));
        var warnings = new List<string>(repriced.Notes);
        warnings.AddRange(catalogs.StaleWarnings(catalog, repriced.CurrentInstance is null ? [target] : [target, repriced.CurrentInstance]));
        return new WhatIfInstanceReport(
            resourceId, pool.Name, pool.Team, pool.Provider, pool.Region, pool.SkuId, pool.PricingCategory, repriced.CurrentInstance?.Key, target.Key,
            from, to, pool.Currency, repriced.Basis, repriced.Hours, repriced.ActualHourly, repriced.WhatIfHourly, repriced.ActualCost, repriced.WhatIfCost,
            repriced.Difference, monthly, working) { Warnings = warnings };
    }
}
