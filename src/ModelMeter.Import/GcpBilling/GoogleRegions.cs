using System.Collections.Frozen;

namespace ModelMeter.Import.GcpBilling;

/// <summary>The display names of Google Cloud regions (FOCUS RegionName), as Google's region list gives them.</summary>
internal static class GoogleRegions
{
    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["africa-south1"] = "Johannesburg",
        ["asia-east1"] = "Taiwan",
        ["asia-east2"] = "Hong Kong",
        ["asia-northeast1"] = "Tokyo",
        ["asia-northeast2"] = "Osaka",
        ["asia-northeast3"] = "Seoul",
        ["asia-south1"] = "Mumbai",
        ["asia-south2"] = "Delhi",
        ["asia-southeast1"] = "Singapore",
        ["asia-southeast2"] = "Jakarta",
        ["australia-southeast1"] = "Sydney",
        ["australia-southeast2"] = "Melbourne",
        ["europe-central2"] = "Warsaw",
        ["europe-north1"] = "Finland",
        ["europe-southwest1"] = "Madrid",
        ["europe-west1"] = "Belgium",
        ["europe-west2"] = "London",
        ["europe-west3"] = "Frankfurt",
        ["europe-west4"] = "Netherlands",
        ["europe-west6"] = "Zurich",
        ["europe-west8"] = "Milan",
        ["europe-west9"] = "Paris",
        ["europe-west10"] = "Berlin",
        ["europe-west12"] = "Turin",
        ["me-central1"] = "Doha",
        ["me-central2"] = "Dammam",
        ["me-west1"] = "Tel Aviv",
        ["northamerica-northeast1"] = "Montréal",
        ["northamerica-northeast2"] = "Toronto",
        ["southamerica-east1"] = "São Paulo",
        ["southamerica-west1"] = "Santiago",
        ["us-central1"] = "Iowa",
        ["us-east1"] = "South Carolina",
        ["us-east4"] = "Northern Virginia",
        ["us-east5"] = "Columbus",
        ["us-south1"] = "Dallas",
        ["us-west1"] = "Oregon",
        ["us-west2"] = "Los Angeles",
        ["us-west3"] = "Salt Lake City",
        ["us-west4"] = "Las Vegas",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static string? NameOf(string region) => Names.GetValueOrDefault(region);
}
