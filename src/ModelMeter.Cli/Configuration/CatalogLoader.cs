using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Catalog;
using Spectre.Console;

namespace ModelMeter.Cli.Configuration;

/// <summary>The price catalogue a command uses: the shipped one plus the <c>prices:</c> section of the config file.</summary>
public static class CatalogLoader
{
    public static PriceCatalog Load(CliContext context, string? configPath)
    {
        var config = ConfigLoader.Load(context, configPath);
        return PriceCatalog.Load(config.Prices, config.SourcePath ?? ConfigLoader.FileName);
    }

    /// <summary>Warns on stderr when any of the given entries is older than the staleness limit.</summary>
    public static void WarnIfStale(CliContext context, PriceCatalog catalog, IEnumerable<ICatalogEntry>? used = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.StalenessWarning(context.Clock, used) is { } warning)
        {
            context.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }
    }
}
