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

    public static ParsedKeyValues Parse(string text)
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
        result.Hierarchy = CostHierarchy.ValuesOf(result.Pairs.Keys.Zip(result.Pairs.Values));
        return result;
    }
}
