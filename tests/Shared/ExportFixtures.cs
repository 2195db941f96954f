namespace ModelMeter.Tests.Support;

/// <summary>
/// The provider export fixtures in tests/Shared/Exports, written for these tests from each provider's documented
/// column sets (AWS CUR 2.0 and legacy CUR, the Google Cloud billing export, Azure EA and MCA cost exports), with the
/// charges every format must get right: usage, credits, a savings plan or reservation, tax and a refund. Every figure
/// a test expects is worked out by hand from these files in the test.
/// </summary>
internal static class ExportFixtures
{
    public const string AwsCur2 = "aws-cur2-2026-10.csv";
    public const string AwsLegacyCur = "aws-legacy-cur-2026-09.csv";
    public const string GcpCsv = "gcp-billing-2026-10.csv";
    public const string GcpJsonLines = "gcp-billing-2026-10.jsonl";
    public const string AzureEaAmortized = "azure-ea-amortized-2026-10.csv";
    public const string AzureMcaActual = "azure-mca-actual-2026-10.csv";

    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Exports", name);

    /// <summary>Copies a fixture into a folder (under another name when given) and returns its path there.</summary>
    public static string CopyTo(string folder, string name, string? saveAs = null)
    {
        var target = System.IO.Path.Combine(folder, saveAs ?? name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Copy(PathOf(name), target, overwrite: true);
        return target;
    }
}
