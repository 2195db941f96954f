using System.Text;
using System.Text.Unicode;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Text;

/// <summary>
/// Decodes a small file a user gave (usage, rates, config) as strict UTF-8: an invalid byte or a NUL character is an
/// error naming the line and column, never a U+FFFD or a NUL stored in a name. A UTF-8 byte order mark is dropped.
/// </summary>
public static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 byte order mark a file may start with.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static string Decode(ReadOnlySpan<byte> bytes, string shownAs)
    {
        if (bytes.StartsWith(ByteOrderMark))
        {
            bytes = bytes[3..];
        }

        return DecodeLines(bytes, shownAs, firstLine: 1);
    }

    /// <summary>
    /// Decodes whole lines of a file that starts on line <paramref name="firstLine"/> (a block of a file read in
    /// blocks), checked as <see cref="Decode"/> checks a whole file, errors naming the file's line. A byte order mark
    /// is not looked for: it can only start the file.
    /// </summary>
    public static string DecodeLines(ReadOnlySpan<byte> bytes, string shownAs, int firstLine)
    {
        if (!Utf8.IsValid(bytes))
        {
            var (line, column, at) = Locate(bytes, FirstInvalid(bytes));
            throw new UserInputException($"{shownAs}: line {firstLine - 1 + line}, column {column}: byte 0x{bytes[at]:X2} is not UTF-8; save the file as UTF-8.");
        }

        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, column, _) = Locate(bytes, nul);
            throw new UserInputException($"{shownAs}: line {firstLine - 1 + line}, column {column}: a NUL character (U+0000); a text file holds none.");
        }

        return Strict.GetString(bytes);
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            if (System.Buffers.OperationStatus.Done != Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed))
            {
                return at;
            }

            at += consumed;
        }

        return bytes.Length - 1;
    }

    /// <summary>The 1-based line and character column of a byte offset (columns count characters, as editors do).</summary>
    private static (int Line, int Column, int At) Locate(ReadOnlySpan<byte> bytes, int at)
    {
        var before = bytes[..at];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var line = before.Count((byte)'\n') + 1;
        var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return (line, column, at);
    }
}
