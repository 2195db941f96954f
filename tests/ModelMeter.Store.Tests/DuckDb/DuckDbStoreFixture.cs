using ModelMeter.Store.DuckDb;
using ModelMeter.Store.Tests.Contract;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>Each store a new DuckDB file in one temporary folder, deleted with the fixture.</summary>
public sealed class DuckDbStoreFixture : ICostStoreFixture, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "modelmeter-store-" + Guid.NewGuid().ToString("N"));

    public DuckDbStoreFixture() => Directory.CreateDirectory(_folder);

    public ICostStore CreateStore(TimeProvider clock) => DuckDbCostStore.Open(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".duckdb"), clock);

    /// <summary>A second connection to the same file, as the server reading while the CLI imports would have.</summary>
    public ICostStore OpenReader(ICostStore store, TimeProvider clock) => DuckDbCostStore.Open(((DuckDbCostStore)store).Path, clock);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A store a failing test left open must not hide that test's own failure.
        }
    }
}
