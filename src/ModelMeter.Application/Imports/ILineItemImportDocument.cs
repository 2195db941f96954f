namespace ModelMeter.Application.Imports;

/// <summary>
/// What every billing import's document says (<see cref="ImportFocusResult"/>, <see cref="ImportBillingExportResult"/>):
/// what was done, and the report of the rows read. Hosts render any of them the same way.
/// </summary>
public interface ILineItemImportDocument
{
    ImportOutcome Outcome { get; }

    long? ImportId { get; }

    DateTime? ImportedAt { get; }

    long ReplacedRows { get; }

    string? Store { get; }

    long RowsRead { get; }

    long RowsValid { get; }

    long RowsRejected { get; }

    IReadOnlyList<string> BillingPeriods { get; }

    IReadOnlyList<string> BillingAccounts { get; }

    IReadOnlyList<string> Providers { get; }

    IReadOnlyDictionary<string, long> ChargeCategories { get; }

    DateTime? FirstChargeStart { get; }

    DateTime? LastChargeEnd { get; }

    IReadOnlyDictionary<string, FocusCostTotals> Totals { get; }

    long ProblemCount { get; }

    IReadOnlyList<ImportProblemDocument> Problems { get; }

    long RowsWithFindings { get; }

    IReadOnlyList<ConformanceFindingDocument> Conformance { get; }

    IReadOnlyList<string> Rejects { get; }

    string? RefusalReason { get; }

    IReadOnlyList<string> Warnings { get; }
}
