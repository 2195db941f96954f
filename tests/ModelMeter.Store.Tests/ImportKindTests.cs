using System.Text.Json;

namespace ModelMeter.Store.Tests;

public class ImportKindTests
{
    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [Fact]
    public void EveryKind_HasItsOwnText_AndTheShippedTextsNeverChange()
    {
        // Stores and `modelmeter imports --format json` hold these texts: a change would orphan every earlier import.
        ImportKinds.All.ShouldBe(
        [
            (ImportKind.Focus, "focus"), (ImportKind.Usage, "usage"), (ImportKind.Rates, "rates"),
            (ImportKind.AwsCur, "aws-cur"), (ImportKind.GcpBilling, "gcp-billing"), (ImportKind.AzureCost, "azure-cost"),
            (ImportKind.Mlflow, "mlflow"), (ImportKind.Prometheus, "prometheus"), (ImportKind.NvidiaSmi, "nvidia-smi"),
            (ImportKind.LlmUsage, "llm-usage"), (ImportKind.Metrics, "metrics"),
        ]);
        ImportKinds.All.Select(k => k.Kind).ShouldBe(Enum.GetValues<ImportKind>());
        ImportKinds.All.Select(k => k.Text).Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(ImportKinds.All.Count);
    }

    [Fact]
    public void TheBillingKinds_HoldLineItems_AndUsageAndRatesDoNot()
    {
        ImportKinds.LineItemKinds.ShouldBe([ImportKind.Focus, ImportKind.AwsCur, ImportKind.GcpBilling, ImportKind.AzureCost]);
        ImportKind.Usage.HoldsLineItems().ShouldBeFalse();
        ImportKind.Rates.HoldsLineItems().ShouldBeFalse();
    }

    [Fact]
    public void Text_RoundTrips_AndUnknownTextIsNotAKind()
    {
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            ImportKinds.TryParse(kind.ToText(), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(kind);
        }

        ImportKinds.TryParse("cur", out _).ShouldBeFalse();
        ImportKinds.TryParse("Focus", out _).ShouldBeFalse(); // stored texts are matched exactly
        ImportKinds.TryParse(null, out _).ShouldBeFalse();
    }

    [Fact]
    public void Json_WritesAndReadsTheText()
    {
        var record = new ImportRecord(1, ImportKind.Usage, new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc), 0, 0, [], [], new Dictionary<string, decimal>(), null);

        var json = JsonSerializer.Serialize(record, CamelCase);

        JsonDocument.Parse(json).RootElement.GetProperty("kind").GetString().ShouldBe("usage");
        JsonSerializer.Deserialize<ImportKind>("\"rates\"").ShouldBe(ImportKind.Rates);
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<ImportKind>("\"oracle-cost\""));
    }
}
