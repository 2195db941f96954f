using ModelMeter.Core.Configuration;
using ModelMeter.Store;

namespace ModelMeter.Application.Stores;

/// <summary>
/// Chooses and opens the store a config names. A new store kind is a new implementation of <see cref="ICostStore"/>
/// and a case here; no use case changes.
/// </summary>
public interface ICostStoreFactory
{
    /// <summary>The store of <paramref name="config"/>, or the one <paramref name="storeOption"/> (<c>--store</c>) names instead.</summary>
    StoreLocation Locate(ModelMeterConfig config, string? storeOption);

    bool Exists(StoreLocation location);

    /// <summary>Opens the store, creating it when <paramref name="access"/> is <see cref="StoreAccess.Write"/> and it is missing.</summary>
    ICostStore Open(StoreLocation location, StoreAccess access);

    /// <summary>
    /// Removes a store that an operation created and then refused to fill (an import of a bad file where there was no
    /// store): "left as it was" includes not leaving a new empty store behind.
    /// </summary>
    void Discard(StoreLocation location);
}
