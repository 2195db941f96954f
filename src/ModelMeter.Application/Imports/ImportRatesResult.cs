using ModelMeter.Application.Stores;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>The answer of <c>modelmeter import rates</c>. A bad file is an error (exit 2), not a document.</summary>
/// <param name="Outcome"><c>imported</c>, or <c>already_imported</c> when the same content was imported before.</param>
/// <param name="File">The rates CSV (absolute path).</param>
/// <param name="Sha256">The SHA-256 of its bytes.</param>
/// <param name="ImportId">The import holding the rates (the earlier one when already imported).</param>
/// <param name="ImportedAt">When that import was recorded (UTC).</param>
/// <param name="Rates">Rates stored: one per day and currency pair.</param>
/// <param name="Replaced">Rates of the same pair and day stored before that this import replaced (0 when already imported).</param>
/// <param name="Pairs">Each currency pair with its days: <c>EUR-&gt;USD 2026-10-01..2026-10-31</c>.</param>
/// <param name="Store">The store written to.</param>
public sealed record ImportRatesResult(
    ImportOutcome Outcome,
    string File,
    string Sha256,
    long ImportId,
    DateTime ImportedAt,
    long Rates,
    long Replaced,
    IReadOnlyList<string> Pairs,
    string Store)
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    internal static ImportRatesResult Of(ImportOutcome outcome, ImportFile file, ImportRecord record, StoreLocation store) => new(
        outcome, file.Path, file.Sha256, record.ImportId, record.ImportedAt, record.Rows, outcome == ImportOutcome.AlreadyImported ? 0 : record.ReplacedRows, record.BillingPeriods, store.ToString());
}
