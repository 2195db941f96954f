using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>The answer of <c>modelmeter imports</c>: every import recorded in the store, oldest first.</summary>
/// <param name="Store">The store listed (it may not exist yet: then there are no imports).</param>
/// <param name="Imports">Each import, with its files and what it covers.</param>
public sealed record ImportsResult(string Store, IReadOnlyList<ImportDocument> Imports)
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Provenance of one import.</summary>
/// <param name="ImportId">Its number, in order of import.</param>
/// <param name="Kind">What was imported: <c>focus</c> (billing line items), <c>aws-cur</c>, <c>gcp-billing</c>, <c>azure-cost</c> (a provider's own export mapped onto FOCUS line items), <c>usage</c> (allocation drivers) or <c>rates</c> (exchange rates).</param>
/// <param name="ImportedAt">When it was made (UTC).</param>
/// <param name="Rows">Rows it stored: line items, usage samples or rates.</param>
/// <param name="ReplacedRows">Rows of earlier imports it replaced (a restated bill, a re-measured usage range, re-quoted rates).</param>
/// <param name="Files">The files it read, with their content hash.</param>
/// <param name="BillingPeriods">What it covers: billing periods (<c>2026-10-01..2026-11-01</c>) for <c>focus</c>, metrics with their days for <c>usage</c>, currency pairs with their days for <c>rates</c>.</param>
/// <param name="BilledTotals">Its <c>BilledCost</c> per billing currency (billing imports only; empty otherwise).</param>
/// <param name="SupersededBy">The import that replaced all of its rows, or null while it is live.</param>
/// <param name="Mapping">For a provider's own export, the mapping onto FOCUS its rows went through (<c>aws-cur/1</c>, see docs/mapping-*.md); null otherwise.</param>
public sealed record ImportDocument(
    long ImportId,
    string Kind,
    DateTime ImportedAt,
    long Rows,
    long ReplacedRows,
    IReadOnlyList<ImportedFileDocument> Files,
    IReadOnlyList<string> BillingPeriods,
    IReadOnlyDictionary<string, decimal> BilledTotals,
    long? SupersededBy,
    string? Mapping)
{
    internal static ImportDocument Of(ImportRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ImportDocument(
            record.ImportId,
            record.Kind.ToText(),
            record.ImportedAt,
            record.Rows,
            record.ReplacedRows,
            record.Files.Select(f => new ImportedFileDocument(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(),
            record.BillingPeriods,
            record.BilledTotals,
            record.SupersededBy,
            record.Mapping);
    }
}

/// <summary>One file an import read.</summary>
/// <param name="Path">Its absolute path when imported.</param>
/// <param name="Sha256">The SHA-256 of its bytes (lower-case hex).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Rows">Rows imported from it (refused rows excluded).</param>
public sealed record ImportedFileDocument(string Path, string Sha256, long Bytes, long Rows);
