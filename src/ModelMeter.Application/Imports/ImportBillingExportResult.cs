using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>
/// The answer of <c>modelmeter import aws-cur</c>, <c>import gcp-billing</c> and <c>import azure-cost</c> (and their
/// <c>--dry-run</c>): what was done, how the provider's rows were mapped onto FOCUS, what the files hold by the
/// provider's own rule, and the conformance report of the mapped rows (as <see cref="ImportFocusResult"/> has it).
/// </summary>
/// <param name="Outcome">What the import did.</param>
/// <param name="Kind">The export: <c>aws-cur</c>, <c>gcp-billing</c> or <c>azure-cost</c> (the import's kind in <c>modelmeter imports</c>).</param>
/// <param name="Mapping">The mapping onto FOCUS the rows went through (<c>aws-cur/1</c>), recorded with the import; docs/mapping-*.md describes it.</param>
/// <param name="FocusVersion">The FOCUS version the mapped rows follow and are checked against (<c>1.0</c>).</param>
/// <param name="ImportId">The import that now holds the rows (<c>imported</c>), or the earlier one that holds the same content (<c>already_imported</c>); null otherwise.</param>
/// <param name="ImportedAt">When that import was recorded (UTC); null when there is none.</param>
/// <param name="ReplacedRows">Rows of the same provider, billing account and billing period an earlier import (of any billing kind) held and this one replaced; 0 unless imported.</param>
/// <param name="Store">The store written to (or found to hold the content already); null for a dry run.</param>
/// <param name="RowsRead">Rows read from every file.</param>
/// <param name="RowsValid">Rows that mapped onto valid line items.</param>
/// <param name="RowsRejected">Rows refused (<see cref="RowsRead"/> minus <see cref="RowsValid"/>).</param>
/// <param name="Files">Each file read, in import order, with its format. For <c>already_imported</c> the files were not read: zero counts and a null format.</param>
/// <param name="SkippedFiles">Files found among the inputs and not read, with why (a CUR folder's earlier report versions, copies of a manifest).</param>
/// <param name="BillingPeriods">The billing periods of the valid rows, as <c>start..end</c> days.</param>
/// <param name="BillingAccounts">The <c>BillingAccountId</c>s of the valid rows.</param>
/// <param name="Providers">The <c>ProviderName</c>s of the valid rows.</param>
/// <param name="ChargeCategories">Valid rows per <c>ChargeCategory</c>.</param>
/// <param name="FirstChargeStart">The earliest <c>ChargePeriodStart</c> of the valid rows (UTC), or null.</param>
/// <param name="LastChargeEnd">The latest <c>ChargePeriodEnd</c> of the valid rows (UTC), or null.</param>
/// <param name="Totals">Per billing currency, the sum of each FOCUS cost column over the valid rows.</param>
/// <param name="ProviderTotals">The files' totals by the provider's own rule, per currency, and the FOCUS column each equals after mapping (checked to the last digit).</param>
/// <param name="Rounding">What rounding to the store's 18 decimal places changed (Azure's amortized costs carry up to 28).</param>
/// <param name="ProblemCount">Every problem found; <see cref="Problems"/> keeps the first 1,000.</param>
/// <param name="Problems">Each problem with its file, line (row for Parquet), column and value.</param>
/// <param name="RowsWithFindings">Valid rows whose mapped line item breaks at least one FOCUS rule (imported as written unless <c>--strict</c>).</param>
/// <param name="Conformance">Each FOCUS rule the mapped rows break, with the rows and their lines in the files.</param>
/// <param name="Rejects">The rejects CSVs written under <c>--skip-bad-rows</c>.</param>
/// <param name="RefusalReason">Why nothing was imported, in a sentence (<c>refused</c> only; null otherwise).</param>
public sealed record ImportBillingExportResult(
    ImportOutcome Outcome,
    string Kind,
    string Mapping,
    string FocusVersion,
    long? ImportId,
    DateTime? ImportedAt,
    long ReplacedRows,
    string? Store,
    long RowsRead,
    long RowsValid,
    long RowsRejected,
    IReadOnlyList<ExportFileDocument> Files,
    IReadOnlyList<SkippedFileDocument> SkippedFiles,
    IReadOnlyList<string> BillingPeriods,
    IReadOnlyList<string> BillingAccounts,
    IReadOnlyList<string> Providers,
    IReadOnlyDictionary<string, long> ChargeCategories,
    DateTime? FirstChargeStart,
    DateTime? LastChargeEnd,
    IReadOnlyDictionary<string, FocusCostTotals> Totals,
    IReadOnlyList<ProviderTotalDocument> ProviderTotals,
    RoundingDocument Rounding,
    long ProblemCount,
    IReadOnlyList<ImportProblemDocument> Problems,
    long RowsWithFindings,
    IReadOnlyList<ConformanceFindingDocument> Conformance,
    IReadOnlyList<string> Rejects,
    string? RefusalReason) : ILineItemImportDocument
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI: what a dataset leaves out, files left out, rounding.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    internal static ImportBillingExportResult Of(
        ImportKind kind, ImportOutcome outcome, ExportImportReport report, ImportRecord? record, string? store, IReadOnlyList<string> rejects, string? refusalReason)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Rows;
        var rounding = RoundingDocument.Of(report.Rounding);
        return new ImportBillingExportResult(
            outcome,
            kind.ToText(),
            report.Mapping,
            ExportImporter.FocusVersion,
            record?.ImportId,
            record?.ImportedAt,
            record?.ReplacedRows ?? 0,
            store,
            rows.RowsRead,
            rows.RowsValid,
            rows.RowsRejected,
            report.Files.Select(ExportFileDocument.Of).ToList(),
            report.Skipped.Select(s => new SkippedFileDocument(s.Path, s.Reason)).ToList(),
            rows.BillingPeriods.ToList(),
            rows.BillingAccounts.ToList(),
            rows.Providers.ToList(),
            new SortedDictionary<string, long>(rows.ChargeCategories, StringComparer.Ordinal),
            rows.FirstChargeStart,
            rows.LastChargeEnd,
            rows.Totals.ToDictionary(t => t.Key, t => FocusCostTotals.Of(t.Value), StringComparer.Ordinal),
            report.ProviderTotals.Select(t => new ProviderTotalDocument(t.Currency, report.Format.ProviderRule, t.Column, t.Amount, t.Rows)).ToList(),
            rounding,
            rows.ProblemCount,
            rows.Problems.Select(ImportProblemDocument.Of).ToList(),
            rows.RowsWithFindings,
            rows.Conformance.Select(ConformanceFindingDocument.Of).ToList(),
            rejects,
            refusalReason)
        {
            Warnings = WarningsOf(report, rounding),
        };
    }

    internal static ImportBillingExportResult AlreadyImported(ImportKind kind, ExportFormat format, IReadOnlyList<FocusInput> inputs, IReadOnlyList<SkippedFile> skipped, ImportRecord known, string store) => new(
        ImportOutcome.AlreadyImported,
        kind.ToText(),
        format.Mapping,
        ExportImporter.FocusVersion,
        known.ImportId,
        known.ImportedAt,
        0,
        store,
        0,
        0,
        0,
        inputs.Select(i => new ExportFileDocument(i.Path, i.Sha256, i.Bytes, null, null, 0, 0, [])).ToList(),
        skipped.Select(s => new SkippedFileDocument(s.Path, s.Reason)).ToList(),
        [],
        [],
        [],
        new Dictionary<string, long>(StringComparer.Ordinal),
        null,
        null,
        new Dictionary<string, FocusCostTotals>(StringComparer.Ordinal),
        [],
        RoundingDocument.None,
        0,
        [],
        0,
        [],
        [],
        null);

    private static List<string> WarningsOf(ExportImportReport report, RoundingDocument rounding)
    {
        var warnings = new List<string>(report.Notes);
        if (report.Skipped.Count > 0)
        {
            warnings.Add($"{report.Skipped.Count} file{(report.Skipped.Count == 1 ? " was" : "s were")} found and not read (see skipped_files): " +
                string.Join("; ", report.Skipped.Take(3).Select(s => $"{Path.GetFileName(s.Path)}: {s.Reason}")) + (report.Skipped.Count > 3 ? "; ..." : ""));
        }

        if (rounding.Values > 0)
        {
            warnings.Add(rounding.Sentence());
        }

        return warnings;
    }
}

/// <summary>One file of a provider's export.</summary>
/// <param name="Path">Its absolute path.</param>
/// <param name="Sha256">The SHA-256 of its bytes (lower-case hex).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Format">What it is: <c>CUR 2.0</c>, <c>legacy CUR</c>, <c>legacy CUR (Athena column names)</c>, <c>BigQuery export</c>, <c>EA (CostInBillingCurrency, BillingCurrencyCode)</c>, <c>MCA (costInBillingCurrency, billingCurrency)</c>, <c>legacy (PreTaxCost, Currency)</c> ...; null when not read.</param>
/// <param name="Dataset">Azure: <c>actual</c>, <c>amortized</c>, or <c>actual or amortized</c> when no commitment row tells; null for other exports.</param>
/// <param name="Rows">Rows read from it.</param>
/// <param name="Rejected">Of those, the ones refused.</param>
/// <param name="IgnoredColumns">Its columns the mapping does not read.</param>
public sealed record ExportFileDocument(string Path, string Sha256, long Bytes, string? Format, string? Dataset, long Rows, long Rejected, IReadOnlyList<string> IgnoredColumns)
{
    internal static ExportFileDocument Of(ExportFileReport file) =>
        new(file.Path, file.Sha256, file.Bytes, file.Format, file.Dataset, file.Rows, file.Rejected, file.IgnoredColumns);
}

/// <param name="Path">A file found among the inputs.</param>
/// <param name="Reason">Why it was not read.</param>
public sealed record SkippedFileDocument(string Path, string Reason);

/// <summary>A total of the files by the provider's own rule, and the FOCUS column it equals after mapping.</summary>
/// <param name="Currency">The billing currency.</param>
/// <param name="Rule">The provider's rule, in words (<c>the sum of line_item_unblended_cost over every row ...</c>).</param>
/// <param name="Column">The FOCUS column whose total equals it: <c>BilledCost</c> (the invoice), or <c>EffectiveCost</c> for Azure's amortized exports.</param>
/// <param name="Amount">The total, each row's amount at the store's 18 decimal places.</param>
/// <param name="Rows">Rows counted.</param>
public sealed record ProviderTotalDocument(string Currency, string Rule, string Column, decimal Amount, long Rows);

/// <summary>What rounding to the store's 18 decimal places changed; all zero when no value had more.</summary>
/// <param name="Values">Values rounded (half to even).</param>
/// <param name="Columns">The FOCUS columns they were in.</param>
/// <param name="LargestChange">The largest change to one value.</param>
/// <param name="BilledCostChange">Per currency, the change to the BilledCost total (stored minus as written).</param>
/// <param name="EffectiveCostChange">Per currency, the change to the EffectiveCost total.</param>
public sealed record RoundingDocument(
    long Values,
    IReadOnlyList<string> Columns,
    decimal LargestChange,
    IReadOnlyDictionary<string, decimal> BilledCostChange,
    IReadOnlyDictionary<string, decimal> EffectiveCostChange)
{
    internal static readonly RoundingDocument None = new(0, [], 0m, new Dictionary<string, decimal>(StringComparer.Ordinal), new Dictionary<string, decimal>(StringComparer.Ordinal));

    internal static RoundingDocument Of(RoundingReport rounding) => new(
        rounding.Values,
        rounding.Columns.ToList(),
        rounding.LargestChange,
        new SortedDictionary<string, decimal>(rounding.BilledCostChange, StringComparer.Ordinal),
        new SortedDictionary<string, decimal>(rounding.EffectiveCostChange, StringComparer.Ordinal));

    /// <summary>The rounding in one sentence, for the warning.</summary>
    internal string Sentence()
    {
        var changes = BilledCostChange.Keys.Union(EffectiveCostChange.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"BilledCost {BilledCostChange.GetValueOrDefault(c):0.############################} {c}, EffectiveCost {EffectiveCostChange.GetValueOrDefault(c):0.############################} {c}"));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Values:N0} value{(Values == 1 ? "" : "s")} ({string.Join(", ", Columns)}) had more than 18 decimal places, the store's scale, and {(Values == 1 ? "was" : "were")} rounded half to even; the largest change was {LargestChange:0.############################}, the totals changed by {string.Join("; ", changes)}.");
    }
}
