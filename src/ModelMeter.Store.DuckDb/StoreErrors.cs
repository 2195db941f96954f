using System.Globalization;
using DuckDB.NET.Data;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Turns what DuckDB says when a store cannot be opened or written into what the user can act on: which process holds
/// the store and how, that the disk is full, that the folder is read-only. The store is left as it was in each case
/// (DuckDB rolls the transaction back).
/// </summary>
internal static partial class StoreErrors
{
    /// <summary>A failure while writing: a full disk and a read-only folder are named; anything else is left as it is.</summary>
    public static Exception Writing(string storePath, DuckDBException e)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(storePath)) ?? storePath;
        var message = e.Message;
        if (message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) || message.Contains("disk is full", StringComparison.OrdinalIgnoreCase))
        {
            return new UserInputException(
                $"No space left on the device holding the store {storePath} (folder {folder}): nothing was imported and the store is as it was. Free some space there and import again.", e);
        }

        if (IsNotWritable(message))
        {
            return new UserInputException(
                $"Cannot write to the folder {folder} that holds the store {storePath} (it is read-only or not yours): nothing was imported and the store is as it was. Point --store at a folder you can write to.", e);
        }

        if (message.Contains("database has been invalidated", StringComparison.OrdinalIgnoreCase))
        {
            return new UserInputException(
                $"Writing the store {storePath} failed and DuckDB stopped using it for this run (a full disk or a failing device, most often): nothing was imported and the store is as it was. Check the disk holding {folder} and import again.", e);
        }

        return e;
    }

    public static bool IsNotWritable(string message) =>
        message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)
        || message.Contains("read-only", StringComparison.OrdinalIgnoreCase) && message.Contains("write", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// DuckDB's lock error ("Conflicting lock is held in /usr/bin/dotnet (PID 4242) by user root") as a sentence naming
    /// the process, its command line and, from /proc/locks where Linux has it, whether it holds the store for writing
    /// (one writer blocks everyone) or for reading (readers share, a writer must wait).
    /// </summary>
    public static string Locked(string storePath, string message, bool readOnly)
    {
        var pid = PidIn(message);
        if (pid is null)
        {
            return $"another process has the store {storePath} open ({message.Trim()}); wait for it to finish and try again.";
        }

        var command = CommandLine(pid.Value);
        var holder = command is null ? $"process {pid}" : $"process {pid} ({command})";
        var how = LockKind(pid.Value, Inode(storePath)) switch
        {
            "WRITE" => "for writing",
            "READ" => "for reading",
            _ => readOnly ? "for writing" : null,
        };
        var hint = how == "for reading"
            ? "a store being read can be read by others, but written only when no one reads it; wait for it to finish and try again."
            : "DuckDB lets one process write a store, and no one else open it meanwhile; wait for it to finish and try again.";
        return $"{holder} holds it{(how is null ? "" : " " + how)}: {hint}";
    }

    private static int? PidIn(string message)
    {
        var at = message.IndexOf("PID ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var digits = new string(message.AsSpan(at + 4).ToArray().TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static string? CommandLine(int pid)
    {
        try
        {
            var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
            if (!File.Exists(path))
            {
                return null;
            }

            var parts = File.ReadAllText(path).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            // "dotnet /opt/modelmeter/modelmeter.dll import focus x.csv" reads better as "modelmeter import focus x.csv".
            var words = parts.Select((p, i) => i <= 1 && p.EndsWith("modelmeter.dll", StringComparison.Ordinal) ? "modelmeter" : Path.GetFileName(p) == "dotnet" && i == 0 ? null : p)
                .Where(p => p is not null).ToList();
            var text = string.Join(' ', words);
            return text.Length == 0 ? null : text.Length > 120 ? text[..117] + "..." : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The type ("READ" or "WRITE") of the POSIX lock the process holds on the store's file (by inode).</summary>
    private static string? LockKind(int pid, ulong? inode)
    {
        try
        {
            if (!File.Exists("/proc/locks"))
            {
                return null;
            }

            var kinds = File.ReadAllLines("/proc/locks")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length > 5 && f[1] == "POSIX" && f[4] == pid.ToString(CultureInfo.InvariantCulture)
                            && (inode is null || f[5].EndsWith(":" + inode.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)))
                .Select(f => f[3])
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return kinds.Count == 1 ? kinds[0] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The file's inode (Linux statx; the layout is the same on every architecture), to find its lock in /proc/locks.</summary>
    private static ulong? Inode(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var buffer = new byte[256];
            // struct statx: ..., u16 mode at 28, u16 padding, u64 ino at 32. STATX_INO = 0x100.
            return Statx(-100, path, 0, 0x100, buffer) == 0 ? BitConverter.ToUInt64(buffer, 32) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "statx", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [System.Runtime.InteropServices.Out] byte[] buffer);
}
