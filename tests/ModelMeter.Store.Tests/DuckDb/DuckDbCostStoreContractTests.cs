using ModelMeter.Store.Tests.Contract;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>The embedded store keeps the store contract.</summary>
public sealed class DuckDbCostStoreContractTests(DuckDbStoreFixture fixture) : CostStoreContract<DuckDbStoreFixture>(fixture);
