using ModelMeter.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ModelMeter.Core.Configuration;

/// <summary>Parses <c>modelmeter.yaml</c> text. Unknown keys are errors, so a typo never passes silently.</summary>
public static class ConfigParser
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static ModelMeterConfig Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            var config = Deserializer.Deserialize<ModelMeterConfig?>(yaml) ?? new ModelMeterConfig();
            config.SourcePath = sourceName;
            Validate(config, sourceName);
            return config;
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw new UserInputException(
                $"{sourceName}: line {e.Start.Line}, column {e.Start.Column}: {inner}", e);
        }
    }

    private static void Validate(ModelMeterConfig config, string sourceName)
    {
        if (!Monetary.Currency.IsKnown(config.Currency))
        {
            throw new UserInputException($"{sourceName}: currency '{config.Currency}' is not an ISO 4217 code such as USD or EUR.");
        }

        if (!string.Equals(config.Store.Kind, "duckdb", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"{sourceName}: store.kind '{config.Store.Kind}' is not supported; use duckdb.");
        }

        AttributionConfigReader.Validate(config, sourceName);
        BudgetConfigReader.Validate(config, sourceName);
    }
}
