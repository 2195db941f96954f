using ModelMeter.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ModelMeter.Core.Catalog;

/// <summary>Parses catalogue YAML text. Unknown keys are errors, so a misspelt field never drops a price silently.</summary>
internal static class CatalogParser
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static CatalogDocument Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return YamlInput.Parse(sourceName, () => Deserializer.Deserialize<CatalogDocument?>(yaml) ?? new CatalogDocument());
    }
}
