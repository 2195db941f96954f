using ModelMeter.Cli.Configuration;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
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

    /// <summary>
    /// Opens a store that must already hold imports: a missing file is an error naming it (opening would create an
    /// empty store and every figure read from it would silently be zero).
    /// </summary>
    /// <param name="why">Why the command needs the store, for the error message.</param>
    public static (ModelMeterConfig Config, ICostStore Store, string Path) OpenExisting(CliContext context, StoreSettings settings, string why)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var config = ConfigLoader.Load(context, settings.Config);
        var path = ConfigLoader.ResolveStorePath(context, config, settings.Store);
        if (!File.Exists(path))
        {
            throw new UserInputException(
                $"The store {path} does not exist, and {why}. Import billing data first (modelmeter import focus FILES), or point --store or the config's store.path at the store that holds it.");
        }

        return (config, DuckDbCostStore.Open(path, context.Clock), path);
    }
}
