using ModelMeter.Core.Monetary;

namespace ModelMeter.Import.Focus;

/// <summary>
/// The conformance report of one read of FOCUS files: what they hold (rows, periods, accounts, currencies, totals)
/// and what is wrong with them. A dry run prints it without writing; a real import prints it after committing.
/// </summary>
public sealed class FocusImportReport
{
    public List<FocusFileReport> Files { get; } = [];

    public long RowsRead { get; internal set; }

    public long RowsValid { get; internal set; }

    public long RowsRejected => RowsRead - RowsValid;

    public SortedSet<string> BillingPeriods { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> BillingAccounts { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Providers { get; } = new(StringComparer.Ordinal);

    /// <summary>Totals of valid rows per billing currency.</summary>
    public SortedDictionary<string, CurrencyTotals> Totals { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> ChargeCategories { get; } = new(StringComparer.Ordinal);

    public DateTime? FirstChargeStart { get; internal set; }

    public DateTime? LastChargeEnd { get; internal set; }

    /// <summary>The problems found, up to <see cref="FocusImporter.MaxProblemsKept"/>; <see cref="ProblemCount"/> counts them all.</summary>
    public List<ImportProblem> Problems { get; } = [];

    public long ProblemCount { get; internal set; }

    /// <summary>
    /// The FOCUS rules the imported rows break, in rule-table order (<see cref="Core.Billing.FocusConformanceRules"/>).
    /// These rows are valid and imported as written; <c>--strict</c> refuses the files instead.
    /// </summary>
    public IReadOnlyList<ConformanceFinding> Conformance { get; internal set; } = [];

    /// <summary>Valid rows that break at least one FOCUS rule.</summary>
    public long RowsWithFindings { get; internal set; }

    /// <summary>Rows refused under <c>--skip-bad-rows</c>, with their fields and reasons, for the rejects file.</summary>
    public List<RejectedRow> Rejected { get; } = [];

    /// <summary>Where a cost total first stopped fitting the store ("file: line N, column C (BilledCost)"), for the refusal.</summary>
    internal string? FirstUnfitTotal { get; set; }

    public IReadOnlyDictionary<string, decimal> BilledTotals =>
        Totals.ToDictionary(t => t.Key, t => t.Value.Billed, StringComparer.Ordinal);

    /// <summary>The billed totals as exact text (invariant, no trailing zeros): what the store's sums must equal digit for digit.</summary>
    public IReadOnlyDictionary<string, string> BilledTotalsText =>
        Totals.ToDictionary(t => t.Key, t => t.Value.BilledText, StringComparer.Ordinal);
}

/// <summary>Totals of one currency, kept exactly (<see cref="ExactSum"/>); the import refuses totals that are not decimals exactly.</summary>
public sealed class CurrencyTotals
{
    internal ExactSum BilledSum;
    internal ExactSum EffectiveSum;
    internal ExactSum ListSum;
    internal ExactSum ContractedSum;

    public decimal Billed => Value(BilledSum);

    internal bool AllFit => BilledSum.Fits && EffectiveSum.Fits && ListSum.Fits && ContractedSum.Fits;

    public decimal Effective => Value(EffectiveSum);

    public decimal List => Value(ListSum);

    public decimal Contracted => Value(ContractedSum);

    /// <summary>The billed total as exact text, as the store is asked to match it digit for digit.</summary>
    public string BilledText => BilledSum.ToString();

    public long Rows { get; internal set; }

    // Only a refused import (its totals checked in FocusImporter.CheckTotals) can reach the fallback, to be shown.
    private static decimal Value(ExactSum sum) =>
        sum.TryToDecimal(out var value) ? value : decimal.TryParse(sum.ToString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out value) ? value : 0m;
}

/// <summary>What the read found in one file.</summary>
/// <param name="Input">The file; its <see cref="FocusInput.Sha256"/> is the one its reading took.</param>
public sealed record FocusFileReport(FocusInput Input, string FocusVersion, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<string> CustomColumns)
{
    public string Path => Input.Path;

    public long Bytes => Input.Bytes;

    /// <summary>The SHA-256 of the file's bytes (asked for once the file has been read, it costs nothing more).</summary>
    public string Sha256 => Input.Sha256;

    public long Rows { get; internal set; }

    public long Rejected { get; internal set; }

    /// <summary>The (provider, billing account, billing period start) of the file's valid rows: what a re-import replaces.</summary>
    public HashSet<(string? Provider, string? Account, DateTime BillingPeriodStart)> Keys { get; } = [];

    /// <summary>The values of the file's first valid row, to tell a copy of an export from a part of one.</summary>
    public string? FirstRow { get; internal set; }

    /// <summary>The argument (file or folder) the file came from: the files of one folder are parts of one export.</summary>
    public string Export => Input.Export;
}

public sealed record RejectedRow(string File, long Line, IReadOnlyList<string> Header, IReadOnlyList<string> Fields, string Reasons);
