using System.Buffers;
using System.Text.Json;
using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Focus;

/// <summary>A parsed tag document: pairs in file order and the hierarchy values found among them.</summary>
internal sealed class ParsedKeyValues
{
    public KeyValueList Pairs { get; } = new();

    public string?[] Hierarchy { get; private set; } = new string?[CostHierarchy.Keys.Count];

    public string? Error { get; private init; }

    /// <summary>Pairs a reader assembled itself (tag columns, a provider's label list), with their hierarchy values.</summary>
    public static ParsedKeyValues Of(IEnumerable<(string Key, string? Value)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new ParsedKeyValues();
        foreach (var (key, value) in pairs)
        {
            result.Pairs.Add(key, value);
        }

        result.Hierarchy = CostHierarchy.ValuesOf(result.Pairs.Keys.Zip(result.Pairs.Values));
        return result;
    }

    /// <summary>A tag document that cannot be read, with what is wrong with it.</summary>
    public static ParsedKeyValues Invalid(string error) => new() { Error = error };

    /// <summary>A tag document (a JSON object of key-value pairs) parsed, or invalid with what is wrong with it.</summary>
    public static ParsedKeyValues Parse(ReadOnlySpan<char> text) => TryParseFlat(text) ?? ParseDocument(new string(text));

    /// <inheritdoc cref="Parse(ReadOnlySpan{char})"/>
    public static ParsedKeyValues Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseFlat(text) ?? ParseDocument(text);
    }

    // Inside a string, what the flat reading leaves to the JSON parser: its end, an escape, a control character.
    private static readonly SearchValues<char> StringStops =
        SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)));

    /// <summary>
    /// The usual tag document read without a JSON document (on a file with a tag set of its own on every row, the
    /// document was a third of the parsing thread: issue 9): one object of keys and values that are strings without
    /// escapes, plain numbers, true, false or null, with JSON's whitespace. It gives the pairs the JSON parser gives
    /// (in order, duplicates kept, numbers as written); anything else (an escape, a nested value, a surrogate, a syntax
    /// error) returns null and is left to <see cref="ParseDocument"/>, which also words the errors.
    /// </summary>
    internal static ParsedKeyValues? TryParseFlat(ReadOnlySpan<char> text)
    {
        if (text.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return null;
        }

        var at = SkipSpace(text, 0);
        if (at >= text.Length || text[at] != '{')
        {
            return null;
        }

        var result = new ParsedKeyValues();
        at = SkipSpace(text, at + 1);
        if (at < text.Length && text[at] == '}')
        {
            return SkipSpace(text, at + 1) == text.Length ? WithHierarchy(result) : null;
        }

        while (true)
        {
            if (ReadString(text, ref at) is not { } key)
            {
                return null;
            }

            at = SkipSpace(text, at);
            if (at >= text.Length || text[at] != ':')
            {
                return null;
            }

            at = SkipSpace(text, at + 1);
            if (at >= text.Length)
            {
                return null;
            }

            string? value;
            switch (text[at])
            {
                case '"':
                    if ((value = ReadString(text, ref at)) is null)
                    {
                        return null;
                    }

                    break;
                case 't' when text[at..].StartsWith("true"):
                    value = "true";
                    at += 4;
                    break;
                case 'f' when text[at..].StartsWith("false"):
                    value = "false";
                    at += 5;
                    break;
                case 'n' when text[at..].StartsWith("null"):
                    value = null;
                    at += 4;
                    break;
                default:
                    var end = NumberEnd(text, at);
                    if (end < 0)
                    {
                        return null;
                    }

                    value = new string(text[at..end]);
                    at = end;
                    break;
            }

            result.Pairs.Add(key, value);
            at = SkipSpace(text, at);
            if (at >= text.Length)
            {
                return null;
            }

            if (text[at] == '}')
            {
                return SkipSpace(text, at + 1) == text.Length ? WithHierarchy(result) : null;
            }

            if (text[at] != ',')
            {
                return null;
            }

            at = SkipSpace(text, at + 1);
        }
    }

    private static int SkipSpace(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t' or '\n' or '\r')
        {
            at++;
        }

        return at;
    }

    /// <summary>A string without escapes at <paramref name="at"/>, moving past its closing quote; null for anything else.</summary>
    private static string? ReadString(ReadOnlySpan<char> text, ref int at)
    {
        if (at >= text.Length || text[at] != '"')
        {
            return null;
        }

        var length = text[(at + 1)..].IndexOfAny(StringStops);
        if (length < 0 || text[at + 1 + length] != '"')
        {
            return null;
        }

        var value = new string(text.Slice(at + 1, length));
        at += length + 2;
        return value;
    }

    /// <summary>The end of a JSON number starting at <paramref name="at"/> (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), or -1.</summary>
    private static int NumberEnd(ReadOnlySpan<char> text, int at)
    {
        var i = at;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return -1;
        }

        if (text[i++] != '0')
        {
            i = Digits(text, i);
        }

        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            if ((i = Digits(text, i)) == start)
            {
                return -1;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var start = i;
            if ((i = Digits(text, i)) == start)
            {
                return -1;
            }
        }

        return i;
    }

    private static int Digits(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && char.IsAsciiDigit(text[at]))
        {
            at++;
        }

        return at;
    }

    private static ParsedKeyValues WithHierarchy(ParsedKeyValues result)
    {
        result.Hierarchy = CostHierarchy.ValuesOf(result.Pairs.Keys.Zip(result.Pairs.Values));
        return result;
    }

    internal static ParsedKeyValues ParseDocument(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return new ParsedKeyValues { Error = $"is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')})" };
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new ParsedKeyValues { Error = "must be a JSON object of key-value pairs, such as {\"team\":\"nlp\"}" };
            }

            var result = new ParsedKeyValues();
            try
            {
                return Read(document, result);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to turn an escaped lone surrogate ("\ud800") into a string: it is no text.
                return new ParsedKeyValues { Error = "holds an escaped lone surrogate (such as \\ud800), which is not text; tag keys and values must be valid Unicode" };
            }
        }
    }

    private static ParsedKeyValues Read(JsonDocument document, ParsedKeyValues result)
    {
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return new ParsedKeyValues
                {
                    Error = $"tag '{property.Name}' has {(property.Value.ValueKind == JsonValueKind.Object ? "an object" : "an array")} value; tag values must be strings, numbers or booleans",
                };
            }

            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => throw new InvalidOperationException(),
            };
            result.Pairs.Add(property.Name, value);
        }

        // Once per distinct tag document (they are cached): the hierarchy columns as the default tag policy reads them.
        return WithHierarchy(result);
    }
}
