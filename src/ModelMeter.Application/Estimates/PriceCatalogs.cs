using ModelMeter.Application.Configuration;
using ModelMeter.Application.Hosting;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Estimates;

/// <summary>The price catalogue a request uses (the shipped one plus the config's <c>prices:</c>), and the spec files estimates read.</summary>
public sealed class PriceCatalogs(ConfigLocator configs, ModelMeterEnvironment environment)
{
    public PriceCatalog Load(string? configPath)
    {
        var config = configs.Load(configPath);
        return PriceCatalog.Load(config.Prices, config.SourcePath ?? ConfigLocator.FileName);
    }

    /// <summary>The stale-price warning for the entries used, by the injected clock; empty when all are fresh.</summary>
    public IReadOnlyList<string> StaleWarnings(PriceCatalog catalog, IEnumerable<ICatalogEntry>? used = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.StalenessWarning(environment.Clock, used) is { } warning ? [warning] : [];
    }

    /// <summary>Reads and parses an estimate spec the user named.</summary>
    public EstimateSpec ReadSpec(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = environment.ResolvePath(path);
        if (!File.Exists(full))
        {
            throw new UserInputException($"Spec file '{path}' does not exist.");
        }

        return EstimateSpec.Parse(ConfigLocator.ReadText(full, path), path);
    }
}
