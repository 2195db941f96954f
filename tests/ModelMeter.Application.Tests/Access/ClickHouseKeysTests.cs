using ModelMeter.Application.Access;
using ModelMeter.Application.Hosting;
using ModelMeter.Store.ClickHouse;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.Access;

/// <summary>
/// On a ClickHouse store the keys live in the store (the real two-shard test cluster), so every server behind a load
/// balancer reads the same keys: no file is written, another process's ring sees a new key, and a revocation reaches it
/// within the stamp interval.
/// </summary>
public sealed class ClickHouseKeysTests : IDisposable
{
    private readonly AppHarness _app = new();
    private readonly string _url = ClickHouseTestCluster.NewStoreUrl("mm_keys");

    public void Dispose()
    {
        try
        {
            ClickHouseCostStore.Drop(ClickHouseOptions.Parse(_url), null);
        }
        finally
        {
            _app.Dispose();
        }
    }

    private KeysRequest Request => new() { Store = new StoreOptions(_url) };

    [Fact]
    public void KeysOnAClickHouseStore_AreKeptInTheStore_SharedByEveryServer_AndARevocationReachesThem()
    {
        var keys = _app.Get<KeysUseCase>();
        var server = keys.RingFor(Request);
        server.Load().ShouldBeEmpty();
        var stamp = server.Stamp();

        var created = keys.Create(Request, "nlp", "viewer", "dashboard");

        created.File.ShouldStartWith("clickhouse://");
        Directory.EnumerateFiles(_app.Temp.Path, "keys.*", SearchOption.AllDirectories).ShouldBeEmpty("no key file is written for a shared store");
        _app.Clock.Advance(StoreKeyStorage.StampEvery);
        server.Stamp().ShouldNotBe(stamp, "a server sees the new key at its next stamp");
        var other = keys.RingFor(Request);
        ApiKeyRing.Verify(other.Load(), other.Secret(), created.Key).ShouldNotBeNull().Team.ShouldBe("nlp");
        keys.List(Request).Keys.ShouldHaveSingleItem().Id.ShouldBe(created.Record.Id);

        stamp = server.Stamp();
        keys.Revoke(Request, created.Record.Id);
        server.Stamp().ShouldBe(stamp, "the stamp is read at most every few seconds");
        _app.Clock.Advance(StoreKeyStorage.StampEvery);
        server.Stamp().ShouldNotBe(stamp);
        ApiKeyRing.Verify(server.Load(), server.Secret(), created.Key).ShouldBeNull("a revoked key no longer verifies on any server");
    }
}
