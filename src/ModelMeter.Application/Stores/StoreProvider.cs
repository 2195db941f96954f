using ModelMeter.Application.Configuration;
using ModelMeter.Application.Hosting;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Store;

namespace ModelMeter.Application.Stores;

/// <summary>A store opened for one request, with the config it was found through.</summary>
public sealed class OpenedStore(ModelMeterConfig config, StoreLocation location, ICostStore store, bool created) : IDisposable
{
    public ModelMeterConfig Config { get; } = config;

    public StoreLocation Location { get; } = location;

    public ICostStore Store { get; } = store;

    /// <summary>The store did not exist before this request opened it.</summary>
    public bool Created { get; } = created;

    public void Dispose() => Store.Dispose();
}

/// <summary>Opens the config and store a request names: the one way every use case reaches a store.</summary>
public sealed class StoreProvider(ConfigLocator configs, ICostStoreFactory factory)
{
    public ConfigLocator Configs { get; } = configs;

    public ICostStoreFactory Factory { get; } = factory;

    public ModelMeterConfig LoadConfig(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Configs.Load(options.Config);
    }

    public StoreLocation Locate(StoreOptions options) => Locate(options, LoadConfig(options));

    public StoreLocation Locate(StoreOptions options, ModelMeterConfig config)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Factory.Locate(config, options.Store);
    }

    /// <summary>
    /// Opens the store. With <see cref="StoreAccess.Read"/> a missing store is an error naming it and
    /// <paramref name="why"/> the request needs it: opening would create an empty store and every figure read from it
    /// would silently be zero.
    /// </summary>
    public OpenedStore Open(StoreOptions options, StoreAccess access, string why = "this command reads imported costs from it")
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = LoadConfig(options);
        return Open(options, config, access, why);
    }

    public OpenedStore Open(StoreOptions options, ModelMeterConfig config, StoreAccess access, string why = "this command reads imported costs from it")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        var location = Factory.Locate(config, options.Store);
        var existed = Factory.Exists(location);
        if (!existed && access == StoreAccess.Read)
        {
            throw new UserInputException(
                $"The store {location} does not exist, and {why}. Import billing data first (modelmeter import focus FILES, or modelmeter demo), or point --store or the config's store.path at the store that holds it.");
        }

        ICostStore store;
        try
        {
            store = Factory.Open(location, access);
        }
        catch
        {
            if (!existed)
            {
                // A store that could not even be set up (a full disk) is not left behind half made.
                Factory.Discard(location);
            }

            throw;
        }

        return new OpenedStore(config, location, store, created: !existed);
    }
}
