using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.AzureCost;

/// <summary>
/// Azure Cost Management exports ("Cost and usage details": actual or amortized cost, EA, MCA or legacy column sets),
/// as CSV, gzip CSV or Parquet, one file or a folder of an export's daily or monthly files.
/// </summary>
public sealed class AzureCostFormat : ExportFormat
{
    public static readonly AzureCostFormat Instance = new();

    private AzureCostFormat()
    {
    }

    public override string Name => "Azure cost export";

    public override string Mapping => "azure-cost/1";

    public override string ProviderRule => "the sum of the cost in billing currency, CostInBillingCurrency (Cost or PreTaxCost in older exports)";

    public override IReadOnlyList<string> Extensions { get; } = [".csv", ".csv.gz", ".parquet"];

    internal override ExportMapper CreateMapper(string file, IFocusRecordSource source) => new AzureMapper(file, source.Header, source.LineWord);
}
