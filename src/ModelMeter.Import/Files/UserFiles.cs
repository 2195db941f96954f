using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Files;

/// <summary>
/// The one way a file a user names is checked and read: it must be a regular file (a link is followed to one), so a
/// FIFO, a device or a socket is refused by name instead of blocking or reading forever, and a link loop or a dangling
/// link is an error naming it rather than a crash.
/// </summary>
public static class UserFiles
{
    /// <summary>Throws unless <paramref name="path"/> is, or links to, a regular file; returns the path to read.</summary>
    public static string RequireRegularFile(string path, string shownAs)
    {
        ArgumentNullException.ThrowIfNull(path);
        var kind = FileKinds.Of(path);
        if (kind == FileKind.SymbolicLink)
        {
            var target = FinalTarget(path, shownAs);
            kind = FileKinds.Of(target);
            if (kind == FileKind.Missing)
            {
                throw new UserInputException($"{shownAs} is a link to {target}, which does not exist (a dangling link).");
            }
        }

        return kind switch
        {
            FileKind.Regular or FileKind.Unknown => path,
            FileKind.Missing => throw new UserInputException($"{shownAs}: no such file."),
            FileKind.Directory => throw new UserInputException($"{shownAs} is a folder, not a file."),
            _ => throw new UserInputException($"{shownAs} is {FileKinds.Describe(kind)}, not a regular file; ModelMeter reads only regular files (copy the data to a file first)."),
        };
    }

    /// <summary>Reads a small text file (usage, rates, config) as strict UTF-8 (<see cref="Core.Text.Utf8Text"/>).</summary>
    public static string ReadText(string path, string shownAs) => Core.Text.Utf8Text.Decode(ReadBytes(path, shownAs), shownAs);

    public static byte[] ReadBytes(string path, string shownAs)
    {
        RequireRegularFile(path, shownAs);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot read {shownAs}: {Reason(e)}", e);
        }
    }

    /// <summary>Where a chain of links ends; a loop (a -> b -> a) is an error naming the link.</summary>
    public static string FinalTarget(string path, string shownAs)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return target?.FullName ?? path;
        }
        catch (IOException e)
        {
            throw new UserInputException($"{shownAs} is a link that never reaches a file (a link loop): {e.Message}", e);
        }
    }

    /// <summary>A short reason for an I/O failure: "permission denied" rather than .NET's sentence with the path again.</summary>
    public static string Reason(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e is UnauthorizedAccessException ? "permission denied" : e.Message;
    }
}
