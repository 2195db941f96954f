using System.Security.Cryptography;
using ModelMeter.Application.Hosting;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Imports;

/// <summary>
/// A small text file a user names for import (usage, rates): its bytes (the SHA-256 that recognises a re-import is of
/// them) and its text without a UTF-8 byte order mark.
/// </summary>
internal sealed record ImportFile(string Path, string Text, string Sha256, long Bytes)
{
    /// <param name="environment">Resolves the path against the working folder.</param>
    /// <param name="path">The path as the user wrote it.</param>
    /// <param name="what">How the error names the file when it is missing: <c>Usage file</c>, <c>Rates file</c>.</param>
    public static ImportFile Read(ModelMeterEnvironment environment, string path, string what)
    {
        var resolved = Resolve(environment, path, what);

        // A regular file only (a FIFO would block), read as strict UTF-8: a bad byte or a NUL is refused with its line.
        var bytes = Import.Files.UserFiles.ReadBytes(resolved, ShownAs(path, what));
        var text = Core.Text.Utf8Text.Decode(bytes, path);
        return new ImportFile(resolved, text, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength);
    }

    /// <summary>The absolute path of a file the user named, which must exist.</summary>
    internal static string Resolve(ModelMeterEnvironment environment, string path, string what)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var resolved = environment.ResolvePath(path);
        if (!File.Exists(resolved) && Import.Files.FileKinds.Of(resolved) == Import.Files.FileKind.Missing)
        {
            throw new UserInputException($"{what} '{path}' does not exist.");
        }

        return resolved;
    }

    /// <summary>How errors name the file: <c>usage file 'u.csv'</c>.</summary>
    internal static string ShownAs(string path, string what) => $"{what.ToLowerInvariant()} '{path}'";
}

/// <summary>
/// A large text file a user names for import (usage: a year of hourly samples for hundreds of resources is millions of
/// lines), read as a stream each time it is read, never held: <see cref="Read"/> opens it for one pass, which takes its
/// SHA-256 and counts its lines as it goes.
/// </summary>
internal sealed class StreamedImportFile
{
    private StreamedImportFile(string path, string shownAs)
    {
        Path = path;
        ShownAs = shownAs;
    }

    /// <summary>The absolute path.</summary>
    public string Path { get; }

    /// <summary>How errors name it: <c>usage file 'u.csv'</c>.</summary>
    public string ShownAs { get; }

    /// <inheritdoc cref="ImportFile.Read"/>
    public static StreamedImportFile Open(ModelMeterEnvironment environment, string path, string what)
    {
        var resolved = ImportFile.Resolve(environment, path, what);

        // A regular file only (a FIFO would block); its bytes are checked as strict UTF-8 as they are read.
        var shownAs = ImportFile.ShownAs(path, what);
        Import.Files.UserFiles.RequireRegularFile(resolved, shownAs);
        return new StreamedImportFile(resolved, shownAs);
    }

    /// <summary>One pass over the file: <paramref name="read"/> reads the stream; the SHA-256 of every byte and the line count come back.</summary>
    public (string Sha256, long Bytes, long LineFeeds) Read(Action<Stream> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            using var stream = new Import.Files.Sha256ReadStream(
                new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), countLineFeeds: true);
            read(stream);
            var sha256 = stream.Finish();
            return (sha256, stream.Length, stream.LineFeeds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot read {ShownAs}: {Import.Files.UserFiles.Reason(e)}", e);
        }
    }
}
