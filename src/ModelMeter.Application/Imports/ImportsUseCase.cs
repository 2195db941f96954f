using ModelMeter.Application.Access;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;

namespace ModelMeter.Application.Imports;

/// <summary>A <c>modelmeter imports</c>: which store's provenance to list.</summary>
public sealed record ImportsRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;
}

/// <summary>Provenance of every import (files, content hashes, periods, rows, totals, what replaced what).</summary>
public sealed class ImportsUseCase(StoreProvider stores)
{
    public ImportsResult Run(ImportsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Access.DemandEverything("The list of imports");
        var config = stores.LoadConfig(request.Store);
        var location = stores.Locate(request.Store, config);

        // A store that does not exist yet holds no imports; listing them must not create it.
        if (!stores.Factory.Exists(location))
        {
            return new ImportsResult(location.ToString(), []);
        }

        using var opened = stores.Open(request.Store, config, StoreAccess.Read);
        return new ImportsResult(location.ToString(), opened.Store.ListImports().Select(ImportDocument.Of).ToList());
    }
}
