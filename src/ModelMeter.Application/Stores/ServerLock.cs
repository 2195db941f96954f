using System.Diagnostics;
using System.Text.Json;
using ModelMeter.Application.Contracts;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Stores;

/// <summary>The server that holds a store: written beside the store while <c>modelmeter serve</c> runs.</summary>
public sealed record ServerLockInfo(int Pid, string Url, DateTime StartedAt);

/// <summary>
/// One writer per store: DuckDB lets one process open a file for writing, and while <c>modelmeter serve</c> holds it
/// every other process would get an opaque lock error, or wait. The server writes <c>STORE.server.json</c> (its pid
/// and URL) when it starts and removes it when it stops; the store factory reads it before opening a store, so a CLI
/// command fails at once naming the server. A lock whose process is gone is stale and ignored.
/// </summary>
public static class ServerLock
{
    public static string PathFor(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Target + ".server.json";
    }

    /// <summary>The live server holding the store, other than this process, or null.</summary>
    public static ServerLockInfo? HeldByAnother(StoreLocation location)
    {
        var info = Read(location);
        return info is not null && info.Pid != Environment.ProcessId && IsRunning(info.Pid) ? info : null;
    }

    /// <summary>Takes the store for this process; disposing gives it back.</summary>
    /// <exception cref="UserInputException">Another live server holds it.</exception>
    public static ServerLockHandle Acquire(StoreLocation location, string url, DateTime now)
    {
        if (HeldByAnother(location) is { } other)
        {
            throw InUse(location, other, StoreAccess.Write);
        }

        var handle = new ServerLockHandle(PathFor(location), now);
        handle.Update(url);
        return handle;
    }

    /// <summary>The error a command gets when a server holds its store: what holds it, and what to do instead.</summary>
    public static UserInputException InUse(StoreLocation location, ServerLockInfo server, StoreAccess access)
    {
        ArgumentNullException.ThrowIfNull(server);
        var instead = access == StoreAccess.Write
            ? $"send usage to it (POST {server.Url}/api/v1/usage) or stop it to import or change the store"
            : $"ask it instead ({server.Url}/api/v1/report, the dashboard at {server.Url}/) or stop it";
        return new UserInputException(
            $"The store {location} is held by `modelmeter serve` (pid {server.Pid}, {server.Url}, since {server.StartedAt:yyyy-MM-dd HH:mm}Z): DuckDB lets one process open it. {char.ToUpperInvariant(instead[0])}{instead[1..]}.");
    }

    private static ServerLockInfo? Read(StoreLocation location)
    {
        var path = PathFor(location);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ServerLockInfo>(File.ReadAllText(path), ModelMeterJson.Options);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

}

/// <summary>A store taken by this process; disposing gives it back.</summary>
public sealed class ServerLockHandle : IDisposable
{
    private readonly string _path;
    private readonly DateTime _since;

    internal ServerLockHandle(string path, DateTime since)
    {
        _path = path;
        _since = since;
    }

    /// <summary>Records the URL the server listens on (known once it has bound its port).</summary>
    public void Update(string url)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.WriteAllText(_path, JsonSerializer.Serialize(new ServerLockInfo(Environment.ProcessId, url, _since), ModelMeterJson.Options));
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // A lock left behind is stale once this process ends, and ignored then.
        }
    }
}
