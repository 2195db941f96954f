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
        var config = YamlInput.Parse(sourceName, () => Deserializer.Deserialize<ModelMeterConfig?>(yaml) ?? new ModelMeterConfig());
        config.SourcePath = sourceName;
        Validate(config, sourceName);
        return config;
    }

    private static void Validate(ModelMeterConfig config, string sourceName)
    {
        if (!Monetary.Currency.IsKnown(config.Currency))
        {
            throw new UserInputException($"{sourceName}: currency '{config.Currency}' is not an ISO 4217 code such as USD or EUR.");
        }

        ValidateStore(config.Store, sourceName);

        AttributionConfigReader.Validate(config, sourceName);
        BudgetConfigReader.Validate(config, sourceName);
    }

    /// <summary>The store section names one kind of store and only that kind's fields (what each field means: the README).</summary>
    private static void ValidateStore(StoreConfig store, string sourceName)
    {
        var kind = store.Kind?.Trim().ToLowerInvariant();
        switch (kind)
        {
            case StoreConfig.DuckDb:
                if (store.Url is not null || store.Cluster is not null || store.Database is not null || store.User is not null || store.PasswordEnv is not null || store.Shards is not null)
                {
                    throw new UserInputException($"{sourceName}: store.url, cluster, database, user, password_env and shards are for kind: clickhouse; a duckdb store has only a path.");
                }

                break;
            case StoreConfig.ClickHouse:
                if (string.IsNullOrWhiteSpace(store.Url))
                {
                    throw new UserInputException($"{sourceName}: store.url is required for kind: clickhouse (the HTTP address of a node, such as http://ch-1:8123).");
                }

                if (string.IsNullOrWhiteSpace(store.Cluster))
                {
                    throw new UserInputException($"{sourceName}: store.cluster is required for kind: clickhouse (the remote_servers entry whose shards hold the store).");
                }

                foreach (var (field, value) in new[] { ("cluster", store.Cluster), ("database", store.Database), ("password_env", store.PasswordEnv) })
                {
                    if (value is not null && !IsPlainName(value))
                    {
                        throw new UserInputException($"{sourceName}: store.{field} '{value}' is not a plain name (letters, digits and _, not starting with a digit).");
                    }
                }

                if (store.Path != StoreConfig.DefaultPath)
                {
                    throw new UserInputException($"{sourceName}: store.path is for kind: duckdb; a clickhouse store is named by url, cluster and database.");
                }

                break;
            default:
                throw new UserInputException($"{sourceName}: store.kind '{store.Kind}' is not supported; use duckdb or clickhouse.");
        }
    }

    private static bool IsPlainName(string value) =>
        value.Length is > 0 and <= 64 && (char.IsAsciiLetter(value[0]) || value[0] == '_') && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
