using ModelMeter.Cli.Configuration;
using ModelMeter.Core.Configuration;
using ModelMeter.Store;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>Opens the store a command's options and config point at.</summary>
public static class StoreOpener
{
    public static (ModelMeterConfig Config, ICostStore Store, string Path) Open(CliContext context, StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var config = ConfigLoader.Load(context, settings.Config);
        var path = ConfigLoader.ResolveStorePath(context, config, settings.Store);
        return (config, DuckDbCostStore.Open(path, context.Clock), path);
    }
}
