using ModelMeter.Application.Stores;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>The answer of <c>modelmeter import usage</c>. A bad file is an error (exit 2), not a document.</summary>
/// <param name="Outcome"><c>imported</c>, or <c>already_imported</c> when the same content was imported before.</param>
/// <param name="File">The usage CSV (absolute path).</param>
/// <param name="Sha256">The SHA-256 of its bytes.</param>
/// <param name="ImportId">The import holding the samples (the earlier one when already imported).</param>
/// <param name="ImportedAt">When that import was recorded (UTC).</param>
/// <param name="Samples">Samples stored: one per day, metric and dimension values (a window spanning days is spread over them).</param>
/// <param name="Replaced">Samples of earlier imports, of the same metric and days, this one replaced (0 when already imported).</param>
/// <param name="Metrics">Each metric with its days: <c>gpu_hours 2026-10-01..2026-11-01</c>.</param>
/// <param name="Store">The store written to.</param>
public sealed record ImportUsageResult(
    ImportOutcome Outcome,
    string File,
    string Sha256,
    long ImportId,
    DateTime ImportedAt,
    long Samples,
    long Replaced,
    IReadOnlyList<string> Metrics,
    string Store)
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    internal static ImportUsageResult Of(ImportOutcome outcome, string path, string sha256, ImportRecord record, StoreLocation store) => new(
        outcome, path, sha256, record.ImportId, record.ImportedAt, record.Rows, outcome == ImportOutcome.AlreadyImported ? 0 : record.ReplacedRows, record.BillingPeriods, store.ToString());
}
