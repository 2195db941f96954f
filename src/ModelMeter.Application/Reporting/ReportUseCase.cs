using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Reporting;

/// <summary>A <c>report</c>: the store, the query, how many groups to keep.</summary>
public sealed record ReportRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public CostQueryText Query { get; init; } = CostQueryText.Everything;

    /// <summary>Keep the N largest groups; the rest are summed as <c>(other)</c>.</summary>
    public int? Top { get; init; }
}

/// <summary>The cost explorer: costs grouped, filtered and bucketed, exactly as imported.</summary>
public sealed class ReportUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public CostReport Run(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Top is <= 0)
        {
            throw new UserInputException("--top must be a positive number.");
        }

        var query = request.Query.ToQuery(environment.UtcNow);
        using var opened = stores.Open(request.Store, StoreAccess.Read, "report reads imported costs from it");
        var config = opened.Config;
        var store = opened.Store;

        // With a tag policy configured, tags are read through it, so this report agrees with tags and allocate.
        var byTag = query.By.Any(d => d is TagDimension) || query.Where.Any(f => f.Dimension is TagDimension);
        var rows = byTag && config.Tags?.IsConfigured == true
            ? PolicyTagReport.Resolve(
                query,
                store.QueryTaggedCosts(PolicyTagReport.ColumnPart(query), byAccount: config.Tags!.Inherit.Accounts.Count > 0, byResource: config.Tags.Inherit.ResourcesFile is not null),
                AttributionSetup.From(config, stores.Configs.BaseDirectory(config)).Policy)
            : store.QueryCosts(query);
        return CostReport.Of(CostTable.Build(query, rows, request.Top), query);
    }
}
