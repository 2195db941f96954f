using ModelMeter.Application.Hosting;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Store;
using ModelMeter.Store.ClickHouse;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Application.Stores;

/// <summary>
/// The store factory of every host, and the only place that knows store kinds: a DuckDB file (a path, or the config's
/// <c>store.path</c>) or a ClickHouse cluster (a <c>clickhouse://</c> URL, or the config's <c>store: { kind: clickhouse }</c>).
/// </summary>
public sealed class CostStoreFactory(ModelMeterEnvironment environment) : ICostStoreFactory
{
    /// <summary>
    /// Begins loading the embedded store's engine on another thread (<see cref="DuckDbEngine"/>), for a host to call as it
    /// starts: the command that follows finds it loaded.
    /// </summary>
    public static void Preload() => DuckDbEngine.LoadInBackground();

    public StoreLocation Locate(ModelMeterConfig config, string? storeOption)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (storeOption is not null)
        {
            return ClickHouseOptions.IsStoreUrl(storeOption)
                ? ClickHouse(ClickHouseOptions.Parse(storeOption))
                : DuckDb(environment.ResolvePath(storeOption));
        }

        var store = config.Store;
        if (store.IsClickHouse)
        {
            return ClickHouse(ClickHouseOptions.FromConfig(store.Url, store.Cluster, store.Database, store.User, store.PasswordEnv, store.Shards, config.SourcePath ?? "modelmeter.yaml"));
        }

        var baseDirectory = config.SourcePath is null ? environment.WorkingDirectory : Path.GetDirectoryName(Path.GetFullPath(config.SourcePath))!;
        return DuckDb(Path.IsPathRooted(store.Path) ? store.Path : Path.GetFullPath(Path.Combine(baseDirectory, store.Path)));
    }

    public bool Exists(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Kind switch
        {
            StoreKind.ClickHouse => ClickHouseCostStore.Exists(Options(location), Password(location)),
            _ => File.Exists(location.Target),
        };
    }

    public ICostStore Open(StoreLocation location, StoreAccess access)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Kind == StoreKind.ClickHouse)
        {
            // A cluster has no one-writer rule: several servers and importers share it.
            return ClickHouseCostStore.Open(Options(location), Password(location), environment.Clock);
        }

        if (ServerLock.HeldByAnother(location) is { } server)
        {
            throw ServerLock.InUse(location, server, access);
        }

        // Reading opens the file read-only (DuckDB's ACCESS_MODE=READ_ONLY): a read-only file or mount can be reported on,
        // and readers do not block each other.
        return DuckDbCostStore.Open(location.Target, environment.Clock, readOnly: access == StoreAccess.Read);
    }

    public void Discard(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Kind == StoreKind.ClickHouse)
        {
            ClickHouseCostStore.Drop(Options(location), Password(location));
            return;
        }

        foreach (var path in new[] { location.Target, location.Target + ".wal" })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private static StoreLocation DuckDb(string path) => new(StoreKind.DuckDb, path, Path.GetDirectoryName(path));

    private static StoreLocation ClickHouse(ClickHouseOptions options) => new(StoreKind.ClickHouse, options.ToString());

    private static ClickHouseOptions Options(StoreLocation location) => ClickHouseOptions.Parse(location.Target, "store");

    /// <summary>The password from the environment variable the store names (the config never holds it).</summary>
    private string? Password(StoreLocation location)
    {
        var variable = Options(location).PasswordVariable;
        if (variable is null)
        {
            return null;
        }

        return environment.Variable(variable)
               ?? throw new UserInputException($"The store {location} takes its password from the environment variable {variable}, which is not set.");
    }
}
