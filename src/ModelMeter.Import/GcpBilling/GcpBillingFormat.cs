using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.GcpBilling;

/// <summary>
/// The Google Cloud billing export to BigQuery (standard and detailed usage cost), as BigQuery exports a table: CSV
/// (a query's flattened columns, <c>credits</c> and <c>labels</c> as JSON text), newline-delimited JSON or Parquet
/// (nested records), plain or gzip.
/// </summary>
public sealed class GcpBillingFormat : ExportFormat
{
    public static readonly GcpBillingFormat Instance = new();

    private GcpBillingFormat()
    {
    }

    public override string Name => "Google Cloud billing export";

    public override string Mapping => "gcp-billing/1";

    public override string ProviderRule => "the sum of cost plus the amounts of its credits";

    public override IReadOnlyList<string> Extensions { get; } = [".csv", ".csv.gz", ".parquet", ".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"];

    internal override IFocusRecordSource Open(string file) =>
        IsJsonLines(file) ? new GcpRecordSource(new JsonLinesRecordSource(file, GcpRecordSource.TopLevel)) : new GcpRecordSource(base.Open(file));

    internal override ExportMapper CreateMapper(string file, IFocusRecordSource source)
    {
        var gcp = (GcpRecordSource)source;
        return new GcpMapper(file, gcp, gcp.Inner as JsonLinesRecordSource);
    }

    private static readonly string[] JsonLines = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"];

    private static bool IsJsonLines(string file) => JsonLines.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
