using System.Globalization;
using ModelMeter.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ModelMeter.Core.CostModels;

/// <summary>One input of a spec: a number, a text, or a range (low, expected, high), with where it was written.</summary>
public sealed record SpecValue(decimal? Number, string? Text, InputRange? Range, int Line, int Column);

/// <summary>
/// An estimate spec: which model (<c>kind</c>) and its inputs, read from YAML such as
/// <code>
/// kind: training
/// name: 7B pre-training
/// inputs:
///   parameters: 7e9
///   tokens: 2e12
///   instance: p4de.24xlarge
///   gpus: 64
///   mfu: {low: 0.35, expected: 0.40, high: 0.45}
/// </code>
/// </summary>
public sealed class EstimateSpec
{
    private static readonly string[] TopLevelKeys = ["kind", "name", "description", "currency", "inputs"];

    private EstimateSpec(string sourceName, string kind, string name, string currency, IReadOnlyDictionary<string, SpecValue> inputs)
    {
        SourceName = sourceName;
        Kind = kind;
        Name = name;
        Currency = currency;
        Inputs = inputs;
    }

    public string SourceName { get; }

    public string Kind { get; }

    public string Name { get; }

    public string Currency { get; }

    public IReadOnlyDictionary<string, SpecValue> Inputs { get; }

    public IReadOnlyDictionary<string, InputRange> Ranges =>
        Inputs.Where(i => i.Value.Range is not null).ToDictionary(i => i.Key, i => i.Value.Range!, StringComparer.Ordinal);

    public string Where(string input) =>
        Inputs.TryGetValue(input, out var v) ? $"{SourceName}: line {v.Line}, column {v.Column}" : SourceName;

    public static EstimateSpec Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        YamlInput.Parse(sourceName, () =>
        {
            stream.Load(new StringReader(yaml));
            return stream;
        });

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UserInputException($"{sourceName}: a spec is a YAML mapping with 'kind' and 'inputs'.");
        }

        string? kind = null, name = null, currency = null;
        var inputs = new Dictionary<string, SpecValue>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            switch (key)
            {
                case "kind":
                    kind = Scalar(valueNode, sourceName, key);
                    break;
                case "name":
                    name = Scalar(valueNode, sourceName, key);
                    break;
                case "description":
                    break;
                case "currency":
                    currency = Scalar(valueNode, sourceName, key);
                    break;
                case "inputs":
                    if (valueNode is not YamlMappingNode inputMap)
                    {
                        throw new UserInputException($"{At(sourceName, valueNode)}: 'inputs' must be a mapping of input names to values.");
                    }

                    foreach (var (inputKey, inputValue) in inputMap.Children)
                    {
                        var inputName = ((YamlScalarNode)inputKey).Value ?? string.Empty;
                        inputs[inputName] = ValueOf(inputValue, sourceName, inputName);
                    }

                    break;
                default:
                    var near = Catalog.NearMatches.For(key, TopLevelKeys);
                    throw new UserInputException(
                        $"{At(sourceName, keyNode)}: unknown key '{key}'.{(near.Count > 0 ? $" Did you mean '{near[0]}'?" : string.Empty)} A spec has: {string.Join(", ", TopLevelKeys)}.");
            }
        }

        if (kind is null)
        {
            throw new UserInputException($"{sourceName}: 'kind' is missing; use one of {string.Join(", ", EstimateRunner.Kinds)}.");
        }

        currency ??= "USD";
        if (!Monetary.Currency.IsKnown(currency))
        {
            throw new UserInputException($"{sourceName}: currency '{currency}' is not an ISO 4217 code such as USD.");
        }

        return new EstimateSpec(sourceName, kind, name ?? Path.GetFileNameWithoutExtension(sourceName), currency, inputs);
    }

    private static string At(string sourceName, YamlNode node) => $"{sourceName}: line {node.Start.Line}, column {node.Start.Column}";

    private static string Scalar(YamlNode node, string sourceName, string key) =>
        node is YamlScalarNode { Value: { } v } ? v : throw new UserInputException($"{At(sourceName, node)}: '{key}' must be a single value.");

    private static SpecValue ValueOf(YamlNode node, string sourceName, string name)
    {
        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        switch (node)
        {
            case YamlScalarNode scalar:
                var text = scalar.Value ?? string.Empty;
                return TryNumber(text, out var number) ? new SpecValue(number, null, null, line, column) : new SpecValue(null, text, null, line, column);
            case YamlMappingNode map:
                var parts = new Dictionary<string, decimal>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var part = ((YamlScalarNode)k).Value ?? string.Empty;
                    if (part is not ("low" or "expected" or "high"))
                    {
                        throw new UserInputException($"{At(sourceName, k)}: input '{name}': a range has low, expected and high, not '{part}'.");
                    }

                    parts[part] = v is YamlScalarNode { Value: { } s } && TryNumber(s, out var n)
                        ? n
                        : throw new UserInputException($"{At(sourceName, v)}: input '{name}': range value '{part}' must be a number.");
                }

                if (parts.Count != 3)
                {
                    throw new UserInputException($"{At(sourceName, node)}: input '{name}': a range needs all of low, expected and high.");
                }

                var range = new InputRange(parts["low"], parts["expected"], parts["high"]);
                Validate(range, sourceName, node, name);
                return new SpecValue(null, null, range, line, column);
            case YamlSequenceNode seq when seq.Children.Count == 3:
                var values = seq.Children.Select(c => c is YamlScalarNode { Value: { } s } && TryNumber(s, out var n)
                    ? n
                    : throw new UserInputException($"{At(sourceName, c)}: input '{name}': a range [low, expected, high] holds numbers only.")).ToArray();
                var r = new InputRange(values[0], values[1], values[2]);
                Validate(r, sourceName, node, name);
                return new SpecValue(null, null, r, line, column);
            default:
                throw new UserInputException($"{At(sourceName, node)}: input '{name}' must be a number, a text, or a range {{low, expected, high}} / [low, expected, high].");
        }
    }

    private static void Validate(InputRange range, string sourceName, YamlNode node, string name)
    {
        try
        {
            range.Validate(name);
        }
        catch (UserInputException e)
        {
            throw new UserInputException($"{At(sourceName, node)}: {e.Message}", e);
        }
    }

    private static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
