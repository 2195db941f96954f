using ModelMeter.Store.Tests.Contract;

namespace ModelMeter.Store.Tests.ClickHouse;

/// <summary>The distributed store keeps the store contract, on a real two-shard cluster.</summary>
public sealed class ClickHouseCostStoreContractTests(ClickHouseStoreFixture fixture) : CostStoreContract<ClickHouseStoreFixture>(fixture);
