namespace ModelMeter.Store.Tests.Contract;

/// <summary>
/// What a store implementation gives <see cref="CostStoreContract{TFixture}"/>: fresh, empty stores. The fixture lives
/// for one test class (start a server once here); each test asks for its own store and disposes it.
/// </summary>
public interface ICostStoreFixture
{
    /// <summary>A new, empty store that reads the time from <paramref name="clock"/>.</summary>
    ICostStore CreateStore(TimeProvider clock);

    /// <summary>
    /// A second store over the same data as <paramref name="store"/>, as another process or server replica would read
    /// it: what an import has not committed must not be visible through it.
    /// </summary>
    ICostStore OpenReader(ICostStore store, TimeProvider clock);
}
