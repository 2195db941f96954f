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
        var resolved = environment.ResolvePath(path);
        if (!File.Exists(resolved) && Import.Files.FileKinds.Of(resolved) == Import.Files.FileKind.Missing)
        {
            throw new UserInputException($"{what} '{path}' does not exist.");
        }

        // A regular file only (a FIFO would block), read as strict UTF-8: a bad byte or a NUL is refused with its line.
        var bytes = Import.Files.UserFiles.ReadBytes(resolved, $"{what.ToLowerInvariant()} '{path}'");
        var text = Core.Text.Utf8Text.Decode(bytes, path);
        return new ImportFile(resolved, text, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength);
    }
}
