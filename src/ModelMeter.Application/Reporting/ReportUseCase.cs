using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Reporting;

/// <summary>A <c>report</c>: the store, the query, how many groups to keep.</summary>
public sealed record ReportRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

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

        var query = request.Access.Restrict(request.Query).ToQuery(environment.UtcNow);
        using var opened = stores.Open(request.Store, StoreAccess.Read, "report reads imported costs from it");
        var config = opened.Config;

        // Tags are read through the tag policy (the default one without a config), as tags, allocate and check read them.
        var rows = opened.Store.QueryCosts(query, AttributionSetup.From(config, stores.Configs.BaseDirectory(config)).Policy);
        return CostReport.Of(CostTable.Build(query, rows, request.Top), query);
    }
}
