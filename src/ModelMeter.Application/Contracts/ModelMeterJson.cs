using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelMeter.Application.Contracts;

/// <summary>
/// The one JSON form of every document ModelMeter returns (CLI <c>--format json</c>, the HTTP API): snake_case names,
/// decimals as JSON numbers at full precision (never rounded through a double), instants as ISO 8601 UTC with
/// <c>Z</c>, days as <c>YYYY-MM-DD</c>, enums as snake_case strings. docs/json.md documents each document.
/// </summary>
public static class ModelMeterJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static string Serialize<T>(T document) => JsonSerializer.Serialize(document, Options) + "\n";

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
                CompiledDocuments.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcInstantConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Instants are always written as UTC (<c>2026-10-01T00:00:00Z</c>), whatever their <see cref="DateTimeKind"/>.</summary>
    private sealed class UtcInstantConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
            writer.WriteStringValue(utc.ToString(utc.TimeOfDay.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>
/// The billing import documents, whose shapes System.Text.Json's source generator compiles ahead of time (and
/// <see cref="ModelMeterJson.Options"/> applies its own options to); every other document's shape is found by reflection
/// the first time one is written. Found by reflection, the first FOCUS import document took 34 ms to write: a twentieth of
/// a 1M-row Parquet import.
/// </summary>
[JsonSerializable(typeof(Imports.ImportFocusResult))]
[JsonSerializable(typeof(Imports.ImportBillingExportResult))]
internal sealed partial class CompiledDocuments : JsonSerializerContext;
