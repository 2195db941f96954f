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

    public IReadOnlyDictionary<string, decimal> BilledTotals =>
        Totals.ToDictionary(t => t.Key, t => t.Value.Billed, StringComparer.Ordinal);
}

public sealed class CurrencyTotals
{
    public decimal Billed { get; internal set; }

    public decimal Effective { get; internal set; }

    public decimal List { get; internal set; }

    public decimal Contracted { get; internal set; }

    public long Rows { get; internal set; }
}

public sealed record FocusFileReport(string Path, string Sha256, long Bytes, string FocusVersion, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<string> CustomColumns)
{
    public long Rows { get; internal set; }

    public long Rejected { get; internal set; }
}

public sealed record RejectedRow(string File, long Line, IReadOnlyList<string> Header, IReadOnlyList<string> Fields, string Reasons);
