using System.Collections.Concurrent;
using ModelMeter.Store.ClickHouse;
using ModelMeter.Store.Tests.Contract;
using ModelMeter.Tests.Support;

namespace ModelMeter.Store.Tests.ClickHouse;

/// <summary>Each store a database of its own on the two-shard test cluster, dropped with the fixture.</summary>
public sealed class ClickHouseStoreFixture : ICostStoreFixture, IDisposable
{
    private readonly ConcurrentBag<ClickHouseOptions> _created = [];

    public ClickHouseStoreFixture()
    {
        // Fails (never skips) when the cluster is not there.
        _ = ClickHouseTestCluster.StoreUrl;
    }

    public ICostStore CreateStore(TimeProvider clock) => Create(clock, ClickHouseStoreTuning.Default);

    internal ClickHouseCostStore Create(TimeProvider clock, ClickHouseStoreTuning tuning)
    {
        var options = ClickHouseOptions.Parse(ClickHouseTestCluster.NewStoreUrl());
        _created.Add(options);
        return ClickHouseCostStore.Open(options, null, clock, tuning);
    }

    /// <summary>Another connection to the same database, as another process or server replica would read it.</summary>
    public ICostStore OpenReader(ICostStore store, TimeProvider clock) => ClickHouseCostStore.Open(((ClickHouseCostStore)store).Options, null, clock);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MODELMETER_KEEP_TEST_DATABASES") == "1")
        {
            return;
        }

        foreach (var options in _created)
        {
            try
            {
                ClickHouseCostStore.Drop(options, null);
            }
            catch (ModelMeter.Core.Errors.StoreUnavailableException)
            {
                // A test that broke the cluster on purpose must not hide other failures.
            }
        }
    }
}
