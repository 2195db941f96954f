using ModelMeter.Application.Hosting;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Store;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Application.Stores;

/// <summary>The store factory of every host: DuckDB files today.</summary>
public sealed class CostStoreFactory(ModelMeterEnvironment environment) : ICostStoreFactory
{
    public StoreLocation Locate(ModelMeterConfig config, string? storeOption)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (storeOption is not null)
        {
            return new StoreLocation(StoreKind.DuckDb, environment.ResolvePath(storeOption));
        }

        var baseDirectory = config.SourcePath is null ? environment.WorkingDirectory : Path.GetDirectoryName(Path.GetFullPath(config.SourcePath))!;
        var path = Path.IsPathRooted(config.Store.Path) ? config.Store.Path : Path.GetFullPath(Path.Combine(baseDirectory, config.Store.Path));
        return new StoreLocation(ParseKind(config.Store.Kind, config.SourcePath), path);
    }

    public bool Exists(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return File.Exists(location.Target);
    }

    public ICostStore Open(StoreLocation location, StoreAccess access)
    {
        ArgumentNullException.ThrowIfNull(location);
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
        foreach (var path in new[] { location.Target, location.Target + ".wal" })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private static StoreKind ParseKind(string kind, string? source) => kind.Trim().ToLowerInvariant() switch
    {
        "duckdb" => StoreKind.DuckDb,
        _ => throw new UserInputException($"{source ?? "modelmeter.yaml"}: store.kind '{kind}' is not supported; use duckdb."),
    };
}
