using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Native;

/// <summary>
/// What one read of a provider's export found: the mapped rows' report (rows, periods, accounts, totals, problems,
/// FOCUS conformance: the same as a FOCUS import's), each file's format, the provider's own totals, what rounding
/// changed, and the files left out.
/// </summary>
public sealed class ExportImportReport
{
    internal ExportImportReport(ExportFormat format)
    {
        Format = format;
    }

    public ExportFormat Format { get; }

    /// <summary>The mapping the rows went through (<see cref="ExportFormat.Mapping"/>).</summary>
    public string Mapping => Format.Mapping;

    /// <summary>The mapped rows, as the FOCUS import reports its rows. Its <c>Files</c> list stays empty: see <see cref="Files"/>.</summary>
    public FocusImportReport Rows { get; } = new();

    public List<ExportFileReport> Files { get; } = [];

    public List<SkippedFile> Skipped { get; } = [];

    /// <summary>The provider's own total per billing currency and the FOCUS column it equals, by its documented rule.</summary>
    public List<ProviderTotal> ProviderTotals { get; } = [];

    public RoundingReport Rounding { get; } = new();

    /// <summary>Why files cannot be imported as a whole, found once they were read (each names its file).</summary>
    public List<string> FileRefusals { get; } = [];

    /// <summary>Notes about what the files hold, for the person importing them.</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>One file of a provider's export that was read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Sha256">The SHA-256 of its bytes.</param>
/// <param name="Bytes">Its size.</param>
public sealed record ExportFileReport(string Path, string Sha256, long Bytes)
{
    /// <summary>What the file is: <c>CUR 2.0</c>, <c>legacy CUR</c>, <c>EA (CostInBillingCurrency, BillingCurrencyCode)</c> ...</summary>
    public string Format { get; internal set; } = "";

    /// <summary>Azure: <c>actual</c>, <c>amortized</c>, or <c>actual or amortized</c> when no row tells; null for other exports.</summary>
    public string? Dataset { get; internal set; }

    public long Rows { get; internal set; }

    public long Rejected { get; internal set; }

    public IReadOnlyList<string> IgnoredColumns { get; internal set; } = [];
}

/// <summary>A provider's own total of the rows read, and the FOCUS column it equals after mapping.</summary>
/// <param name="Currency">The billing currency.</param>
/// <param name="Column">The FOCUS column the rule's amounts became (<c>BilledCost</c>, or <c>EffectiveCost</c> for Azure's amortized exports).</param>
/// <param name="Amount">The total by the provider's rule, each row's amount at the store's scale.</param>
/// <param name="Rows">Rows counted.</param>
public sealed record ProviderTotal(string Currency, string Column, decimal Amount, long Rows);

/// <summary>What rounding to the store's 18 decimal places changed.</summary>
public sealed class RoundingReport
{
    /// <summary>Values that had more than 18 decimal places and were rounded half to even.</summary>
    public long Values { get; internal set; }

    /// <summary>The FOCUS columns whose values were rounded.</summary>
    public SortedSet<string> Columns { get; } = new(StringComparer.Ordinal);

    /// <summary>The largest change to one value.</summary>
    public decimal LargestChange { get; internal set; }

    /// <summary>Per billing currency, what rounding changed the BilledCost total by (stored minus as written).</summary>
    public SortedDictionary<string, decimal> BilledCostChange { get; } = new(StringComparer.Ordinal);

    /// <summary>Per billing currency, what rounding changed the EffectiveCost total by.</summary>
    public SortedDictionary<string, decimal> EffectiveCostChange { get; } = new(StringComparer.Ordinal);
}
