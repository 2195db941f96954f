using ModelMeter.Import;
using ModelMeter.Import.Focus;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>
/// The answer of <c>modelmeter import focus</c> (and <c>--dry-run</c>): what was done, and the conformance report of
/// the files read (what they hold and what is wrong with them).
/// </summary>
/// <param name="Outcome">What the import did.</param>
/// <param name="ImportId">The import that now holds the rows (<c>imported</c>), or the earlier one that holds the same content (<c>already_imported</c>); null otherwise.</param>
/// <param name="ImportedAt">When that import was recorded (UTC); null when there is none.</param>
/// <param name="ReplacedRows">Rows of the same provider, billing account and billing period an earlier import held and this one replaced (a restated bill); 0 unless imported.</param>
/// <param name="Store">The store written to (or found to hold the content already); null for a dry run, which opens no store.</param>
/// <param name="RowsRead">Line items read from every file.</param>
/// <param name="RowsValid">Line items that passed validation.</param>
/// <param name="RowsRejected">Line items refused (<see cref="RowsRead"/> minus <see cref="RowsValid"/>).</param>
/// <param name="Files">Each file read, in import order. For <c>already_imported</c> the files were not read: they are listed with their hash, a null FOCUS version and zero counts.</param>
/// <param name="BillingPeriods">The billing periods of the valid rows, as <c>start..end</c> days.</param>
/// <param name="BillingAccounts">The <c>BillingAccountId</c>s of the valid rows.</param>
/// <param name="Providers">The providers (<c>ProviderName</c>, or <c>ServiceProviderName</c> from FOCUS 1.3) of the valid rows.</param>
/// <param name="ChargeCategories">Valid rows per <c>ChargeCategory</c>.</param>
/// <param name="FirstChargeStart">The earliest <c>ChargePeriodStart</c> of the valid rows (UTC), or null.</param>
/// <param name="LastChargeEnd">The latest <c>ChargePeriodEnd</c> of the valid rows (UTC), or null.</param>
/// <param name="Totals">Per billing currency, the sum of each cost column over the valid rows; currencies are never added.</param>
/// <param name="ProblemCount">Every problem found; <see cref="Problems"/> keeps the first 1,000.</param>
/// <param name="Problems">Each problem with its file, line (row for Parquet), column and value.</param>
/// <param name="RowsWithFindings">Valid rows that break at least one FOCUS rule (imported as written unless <c>--strict</c>).</param>
/// <param name="Conformance">Each FOCUS rule the rows break, in the rule table's order, with the rows and first lines.</param>
/// <param name="Rejects">The rejects CSVs written under <c>--skip-bad-rows</c> (refused rows with their reasons).</param>
/// <param name="RefusalReason">Why nothing was imported, in a sentence (<c>refused</c> only; null otherwise).</param>
public sealed record ImportFocusResult(
    ImportOutcome Outcome,
    long? ImportId,
    DateTime? ImportedAt,
    long ReplacedRows,
    string? Store,
    long RowsRead,
    long RowsValid,
    long RowsRejected,
    IReadOnlyList<FocusFileDocument> Files,
    IReadOnlyList<string> BillingPeriods,
    IReadOnlyList<string> BillingAccounts,
    IReadOnlyList<string> Providers,
    IReadOnlyDictionary<string, long> ChargeCategories,
    DateTime? FirstChargeStart,
    DateTime? LastChargeEnd,
    IReadOnlyDictionary<string, FocusCostTotals> Totals,
    long ProblemCount,
    IReadOnlyList<ImportProblemDocument> Problems,
    long RowsWithFindings,
    IReadOnlyList<ConformanceFindingDocument> Conformance,
    IReadOnlyList<string> Rejects,
    string? RefusalReason) : ILineItemImportDocument
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The document of a read (a dry run, a refusal, an import) from the importer's report.</summary>
    internal static ImportFocusResult Of(ImportOutcome outcome, FocusImportReport report, ImportRecord? record, string? store, IReadOnlyList<string> rejects, string? refusalReason)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ImportFocusResult(
            outcome,
            record?.ImportId,
            record?.ImportedAt,
            record?.ReplacedRows ?? 0,
            store,
            report.RowsRead,
            report.RowsValid,
            report.RowsRejected,
            report.Files.Select(FocusFileDocument.Of).ToList(),
            report.BillingPeriods.ToList(),
            report.BillingAccounts.ToList(),
            report.Providers.ToList(),
            new SortedDictionary<string, long>(report.ChargeCategories, StringComparer.Ordinal),
            report.FirstChargeStart,
            report.LastChargeEnd,
            report.Totals.ToDictionary(t => t.Key, t => FocusCostTotals.Of(t.Value), StringComparer.Ordinal),
            report.ProblemCount,
            report.Problems.Select(ImportProblemDocument.Of).ToList(),
            report.RowsWithFindings,
            report.Conformance.Select(ConformanceFindingDocument.Of).ToList(),
            rejects,
            refusalReason);
    }

    /// <summary>The document of files whose content an earlier import holds: they were not read.</summary>
    internal static ImportFocusResult AlreadyImported(IReadOnlyList<FocusInput> inputs, ImportRecord known, string store) => new(
        ImportOutcome.AlreadyImported,
        known.ImportId,
        known.ImportedAt,
        0,
        store,
        0,
        0,
        0,
        inputs.Select(i => new FocusFileDocument(i.Path, i.Sha256, i.Bytes, null, 0, 0, [], [])).ToList(),
        [],
        [],
        [],
        new Dictionary<string, long>(StringComparer.Ordinal),
        null,
        null,
        new Dictionary<string, FocusCostTotals>(StringComparer.Ordinal),
        0,
        [],
        0,
        [],
        [],
        null);
}

/// <summary>A FOCUS rule broken by readable values, as the FOCUS validator reports it.</summary>
/// <param name="Rule">The rule's id (the validator's, such as <c>ContractedCost-C-003-M</c>, where it has one).</param>
/// <param name="Columns">The columns the rule is about.</param>
/// <param name="Message">The requirement, in the specification's words.</param>
/// <param name="Rows">How many rows break it.</param>
/// <param name="FirstLines">The first few of them (file and line; row for Parquet).</param>
public sealed record ConformanceFindingDocument(string Rule, IReadOnlyList<string> Columns, string Message, long Rows, IReadOnlyList<SourceLineDocument> FirstLines)
{
    internal static ConformanceFindingDocument Of(ConformanceFinding finding) =>
        new(finding.Rule, finding.Columns, finding.Message, finding.Rows, finding.FirstLines.Select(l => new SourceLineDocument(l.File, l.Line)).ToList());
}

/// <param name="File">The file's path.</param>
/// <param name="Line">The line (CSV, header = 1) or row (Parquet).</param>
public sealed record SourceLineDocument(string File, long Line);

/// <summary>One file of an import.</summary>
/// <param name="Path">Its absolute path.</param>
/// <param name="Sha256">The SHA-256 of its bytes (lower-case hex): the same content is recognised under any name.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="FocusVersion">The FOCUS version its columns match (<c>1.0</c> ... <c>1.4</c>), or null when it was not read.</param>
/// <param name="Rows">Line items read from it.</param>
/// <param name="Rejected">Of those, the ones refused.</param>
/// <param name="CustomColumns">Its <c>x_</c> columns, which are kept.</param>
/// <param name="IgnoredColumns">Its columns that are neither FOCUS nor <c>x_</c>, which are not imported.</param>
public sealed record FocusFileDocument(
    string Path,
    string Sha256,
    long Bytes,
    string? FocusVersion,
    long Rows,
    long Rejected,
    IReadOnlyList<string> CustomColumns,
    IReadOnlyList<string> IgnoredColumns)
{
    internal static FocusFileDocument Of(FocusFileReport file) =>
        new(file.Path, file.Sha256, file.Bytes, file.FocusVersion, file.Rows, file.Rejected, file.CustomColumns, file.IgnoredColumns);
}

/// <summary>The FOCUS cost columns summed over the valid rows of one billing currency.</summary>
/// <param name="BilledCost">Sum of <c>BilledCost</c> (what the invoice charges).</param>
/// <param name="EffectiveCost">Sum of <c>EffectiveCost</c> (amortised commitments and discounts included; what reports use).</param>
/// <param name="ListCost">Sum of <c>ListCost</c> (at public prices).</param>
/// <param name="ContractedCost">Sum of <c>ContractedCost</c> (at negotiated prices).</param>
/// <param name="Rows">Valid rows in this currency.</param>
public sealed record FocusCostTotals(decimal BilledCost, decimal EffectiveCost, decimal ListCost, decimal ContractedCost, long Rows)
{
    internal static FocusCostTotals Of(CurrencyTotals totals) =>
        new(totals.Billed, totals.Effective, totals.List, totals.Contracted, totals.Rows);
}

/// <summary>One thing wrong with an input file, located exactly.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Line">The line (CSV, header = 1) or row (Parquet) it is on.</param>
/// <param name="Column">The 1-based column, or 0 when the problem is the whole line (a missing mandatory column, a wrong field count at the end).</param>
/// <param name="ColumnName">The column's name as the header spells it, or null.</param>
/// <param name="Value">The offending value as written, or null.</param>
/// <param name="Message">What is wrong and what would be valid.</param>
/// <param name="LineWord"><c>line</c> for CSV, <c>row</c> for Parquet: how <see cref="Line"/> is named in messages.</param>
public sealed record ImportProblemDocument(string File, long Line, int Column, string? ColumnName, string? Value, string Message, string LineWord)
{
    internal static ImportProblemDocument Of(ImportProblem problem) =>
        new(problem.File, problem.Line, problem.Column, problem.ColumnName, problem.Value, problem.Message, problem.LineWord);

    /// <summary>The problem in one line, as messages show it: <c>bad.csv: line 3, column 12 (BilledCost): '12,50' is not a number ...</c>.</summary>
    public override string ToString() => new ImportProblem(File, Line, Column, ColumnName, Value, Message, LineWord).ToString();
}
