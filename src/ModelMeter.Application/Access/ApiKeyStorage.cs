using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Store;

namespace ModelMeter.Application.Access;

/// <summary>The two documents an <see cref="ApiKeyRing"/> keeps.</summary>
public static class ApiKeyDocuments
{
    /// <summary>The key records (JSON), never a key itself.</summary>
    public const string Keys = "api_keys";

    /// <summary>The server secret the HMACs are taken under (hex).</summary>
    public const string Secret = "api_keys_secret";
}

/// <summary>Where an <see cref="ApiKeyRing"/> keeps its documents.</summary>
public interface IApiKeyStorage
{
    /// <summary>How messages and results name the place: the key file, or the store.</summary>
    string Where { get; }

    string? Read(string document);

    /// <summary>Replaces the document with what <paramref name="change"/> makes of it, as one step; returns the new text.</summary>
    string Update(string document, Func<string?, string> change);

    /// <summary>A value that changes when the keys change, cheap enough to take on every request.</summary>
    object Stamp();
}

/// <summary>
/// Beside a DuckDB store (or where <c>--keys</c> says): <c>keys.json</c> and <c>keys.secret</c> (owner-only), outside
/// the DuckDB file, so keys can be created and revoked while the server holds the store. Files are written aside and
/// moved in place, so a running server never reads half a file.
/// </summary>
public sealed class FileKeyStorage(string path) : IApiKeyStorage
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Where => Path;

    private string FileOf(string document) => document == ApiKeyDocuments.Secret ? System.IO.Path.ChangeExtension(Path, ".secret") : Path;

    public string? Read(string document)
    {
        var file = FileOf(document);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    public string Update(string document, Func<string?, string> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = Read(document);
        var next = change(current);
        if (string.Equals(next, current, StringComparison.Ordinal))
        {
            return next;
        }

        var file = FileOf(document);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows() && document == ApiKeyDocuments.Secret)
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(next);
        }

        File.Move(temp, file, overwrite: true);
        return next;
    }

    public object Stamp()
    {
        var info = new FileInfo(Path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
    }
}

/// <summary>
/// In a store many servers share (<see cref="IStoreDocuments"/>: a ClickHouse cluster), so every <c>serve</c> behind a
/// load balancer reads the same keys and a revocation reaches them all. The secret is kept in the store too: anyone who
/// can read the store can read the HMACs and the secret, but not a key (32 random bytes), so the keys stay safe; guard
/// the store's own credentials as the keys' master. The stamp is the keys' version, read at most every
/// <see cref="StampEvery"/>, so a revocation takes effect within that.
/// </summary>
public sealed class StoreKeyStorage(StoreProvider stores, StoreOptions options, StoreLocation location, TimeProvider clock) : IApiKeyStorage
{
    public static readonly TimeSpan StampEvery = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private long _stampedAt;
    private ulong _version;
    private bool _stamped;

    public string Where => location.ToString();

    // A store not created yet keeps no keys (as a missing key file holds none); creating one creates the store.
    public string? Read(string document) => Exists() ? With(d => d.ReadDocument(document).Text, StoreAccess.Read) : null;

    public string Update(string document, Func<string?, string> change) => With(d => d.UpdateDocument(document, change), StoreAccess.Write);

    public object Stamp()
    {
        lock (_gate)
        {
            if (!_stamped || clock.GetElapsedTime(_stampedAt) >= StampEvery)
            {
                _version = Exists() ? With(d => d.ReadDocument(ApiKeyDocuments.Keys).Version, StoreAccess.Read) : 0;
                _stampedAt = clock.GetTimestamp();
                _stamped = true;
            }

            return _version;
        }
    }

    private bool Exists() => stores.Factory.Exists(location);

    private T With<T>(Func<IStoreDocuments, T> action, StoreAccess access)
    {
        using var opened = stores.Open(options, access, "it keeps the API keys");
        if (opened.Store is not IStoreDocuments documents)
        {
            throw new InvalidOperationException($"The store {location} keeps no documents; its keys live in a file (--keys).");
        }

        return action(documents);
    }
}
