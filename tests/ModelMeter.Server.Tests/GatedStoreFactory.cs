using ModelMeter.Application.Stores;
using ModelMeter.Store;
using ModelMeter.Tests.Support;

namespace ModelMeter.Server.Tests;

/// <summary>The real store factory, whose stores' usage writes wait for a gate: a writer flooded for as long as a test wants.</summary>
internal sealed class GatedStoreFactory(ICostStoreFactory inner, ManualResetEventSlim gate) : ICostStoreFactory
{
    public StoreLocation Locate(ModelMeter.Core.Configuration.ModelMeterConfig config, string? storeOption) => inner.Locate(config, storeOption);

    public bool Exists(StoreLocation location) => inner.Exists(location);

    public ICostStore Open(StoreLocation location, StoreAccess access) => new GatedStore(inner.Open(location, access), gate);

    public void Discard(StoreLocation location) => inner.Discard(location);

    private sealed class GatedStore(ICostStore inner, ManualResetEventSlim gate) : DelegatingCostStore(inner)
    {
        public override IReadOnlyList<UsageBatchReceipt> WriteUsageBatches(IReadOnlyList<UsageBatch> batches)
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return Inner.WriteUsageBatches(batches);
        }
    }
}
