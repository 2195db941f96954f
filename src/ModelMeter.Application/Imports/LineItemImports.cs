using System.Globalization;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>How a billing import treats its files: the options every line-item import takes, as the CLI spells them.</summary>
internal sealed record LineItemImportOptions(StoreOptions Store, bool DryRun, bool SkipBadRows, string? Rejects, bool Strict);

/// <summary>
/// One kind of billing file read for import (FOCUS, or a provider's own export mapped onto FOCUS): the files, how they
/// are read into a sink, and the document the import answers with.
/// </summary>
internal abstract class LineItemReading<TResult>
{
    /// <summary>The files, fingerprinted.</summary>
    public abstract IReadOnlyList<FocusInput> Inputs { get; }

    /// <summary>What the rows are stored as.</summary>
    public abstract ImportKind Kind { get; }

    /// <summary>The mapping onto FOCUS recorded with the import, or null for FOCUS files.</summary>
    public virtual string? Mapping => null;

    /// <summary>
    /// Begins, on another thread, what reading the files needs no store for, while the store opens; <see cref="Read"/>
    /// takes it. Disposed once the import is over (it stops a reading not taken). Null for a kind that reads nothing ahead.
    /// </summary>
    public virtual IDisposable? ReadAhead(CancellationToken cancellationToken) => null;

    /// <summary>Reads every file into the sink; returns the report of the rows (kept for <see cref="Result"/>).</summary>
    public abstract FocusImportReport Read(ILineItemSink sink, bool skipBadRows, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>The files as provenance records them, once read: each with the rows imported from it.</summary>
    public abstract IReadOnlyList<ImportedFile> ImportedFiles();

    /// <summary>
    /// Warnings about the inputs (a folder link skipped, a file read once for two names) and about the import (stopped
    /// after its commit), which <see cref="Result"/> and <see cref="AlreadyImported"/> put in the document.
    /// </summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Why the files cannot be imported for a reason of their own format (read once they are), or null.</summary>
    public virtual string? Refusal() => null;

    /// <summary>The document of a read: a dry run, a refusal or an import.</summary>
    public abstract TResult Result(ImportOutcome outcome, ImportRecord? record, string? store, IReadOnlyList<string> rejects, string? refusalReason);

    /// <summary>The document of files an earlier import of this kind holds: they were not read.</summary>
    public abstract TResult AlreadyImported(ImportRecord known, string store);
}

/// <summary>
/// The flow every billing import shares: a dry run reads without opening a store; an import of files already imported
/// (same SHA-256, same kind) does nothing; otherwise every file is read into one import session, which commits only
/// when nothing refuses the files (bad rows without <c>--skip-bad-rows</c>, broken FOCUS rules under <c>--strict</c>, a
/// format's own refusal, no rows at all). A refused or cancelled import leaves the store exactly as it was, and where
/// there was no store, none is left behind.
/// </summary>
internal sealed class LineItemImports(StoreProvider stores, ModelMeterEnvironment environment)
{
    private static readonly string[] RejectColumns = ["x_SourceFile", "x_SourceLine", "x_RejectReasons"];

    public TResult Run<TResult>(LineItemImportOptions options, LineItemReading<TResult> reading, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reading);
        if (options.DryRun)
        {
            var dry = reading.Read(NullSink.Instance, options.SkipBadRows, progress, cancellationToken);
            CheckExports(dry);
            var refused = RefusalReason(dry, options, dryRun: true) ?? reading.Refusal();
            return reading.Result(refused is null ? ImportOutcome.DryRun : ImportOutcome.Refused, null, null, [], refused);
        }

        using var ahead = reading.ReadAhead(cancellationToken);
        var opened = stores.Open(options.Store, StoreAccess.Write);
        var keep = false;
        try
        {
            var (result, kept) = Import(options, reading, opened, progress, cancellationToken);
            keep = kept;
            return result;
        }
        finally
        {
            opened.Dispose();
            if (!keep && opened.Created)
            {
                // "Left exactly as it was" includes not creating a store where there was none (refused or cancelled).
                stores.Factory.Discard(opened.Location);
            }
        }
    }

    private (TResult Result, bool Kept) Import<TResult>(
        LineItemImportOptions options, LineItemReading<TResult> reading, OpenedStore opened, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var store = opened.Store;
        var location = opened.Location.ToString();
        if (FindAlreadyImported(store, reading) is { } known)
        {
            return (reading.AlreadyImported(known, location), true);
        }

        using var session = store.BeginLineItemImport(reading.Kind);
        var report = reading.Read(session, options.SkipBadRows, progress, cancellationToken);
        CheckExports(report);
        if ((RefusalReason(report, options, dryRun: false) ?? reading.Refusal()) is { } refused)
        {
            return (reading.Result(ImportOutcome.Refused, null, location, [], refused), false);
        }

        // Ctrl-C while the last rows were written or the rejects saved still rolls back: the commit is the point of no return.
        cancellationToken.ThrowIfCancellationRequested();

        // Written before the commit: an import whose refused rows could not be saved is not made.
        var rejects = WriteRejects(options.Rejects, report.Rejected);
        var record = session.Commit(reading.ImportedFiles(), report.BilledTotals, reading.Mapping, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            reading.Warnings.Add($"Interrupted after the commit: import #{record.ImportId} had already been written in full, and it stays.");
        }

        return (reading.Result(ImportOutcome.Imported, record, location, rejects, null), true);
    }

    /// <summary>
    /// The live import of this kind that holds every one of the files (same SHA-256), or null. The same bytes imported
    /// as another kind are another reading of them: they are imported (they replace the same bill). Only a file of a
    /// size some live import of this kind recorded can be one of its files, so the files are fingerprinted here only
    /// when every one of them has such a size; otherwise their SHA-256 is taken as they are read, not by a pass before.
    /// </summary>
    private static ImportRecord? FindAlreadyImported<TResult>(ICostStore store, LineItemReading<TResult> reading)
    {
        var sizes = store.ListImports()
            .Where(i => i.SupersededBy is null && i.Kind == reading.Kind)
            .SelectMany(i => i.Files)
            .Select(f => f.Bytes)
            .ToHashSet();
        if (!reading.Inputs.All(i => sizes.Contains(i.Bytes)))
        {
            return null;
        }

        var known = reading.Inputs.Select(i => store.FindImportByContentHash(i.Sha256)).ToList();
        return known.Count > 0 && known.All(k => k is not null && k.Kind == reading.Kind) ? known[0] : null;
    }

    /// <summary>
    /// Two different files that carry the same provider, billing account and billing period are two exports of one bill
    /// (a restatement and its original, a CSV and its .gz copy), and importing both would count it twice; the import is
    /// refused naming both. The exception is the parts of one export: files found in the same folder argument, as
    /// providers split a large export into part files in one folder. Even then, two parts whose first line items are
    /// equal are copies, not parts, and are refused. (Rows are not compared one by one: that would need every row kept.)
    /// </summary>
    private static void CheckExports(FocusImportReport report)
    {
        var copies = report.Files.Where(f => f.FirstRow is not null).GroupBy(f => f.FirstRow, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (copies is not null)
        {
            var pair = copies.Take(2).ToList();
            throw new UserInputException(
                $"{pair[0].Path} and {pair[1].Path} start with the same line item: they look like two copies of one export (the same bill written twice), not two parts of it, and importing both would count it twice. Import one of them.");
        }

        var seen = new Dictionary<(string? Provider, string? Account, DateTime BillingPeriodStart), FocusFileReport>();
        foreach (var file in report.Files)
        {
            foreach (var key in file.Keys)
            {
                if (!seen.TryGetValue(key, out var other))
                {
                    seen[key] = file;
                    continue;
                }

                if (ReferenceEquals(other, file))
                {
                    continue;
                }

                var what = string.Create(CultureInfo.InvariantCulture,
                    $"provider {key.Provider ?? "(none)"}, billing account {key.Account ?? "(none)"}, billing period starting {key.BillingPeriodStart:yyyy-MM-dd}");
                if (!string.Equals(other.Export, file.Export, StringComparison.Ordinal))
                {
                    throw new UserInputException(
                        $"{other.Path} and {file.Path} both hold the bill of {what}: they are two exports of one bill, and importing both would count it twice. Import one of them (a later import of the same bill replaces the earlier), or put the parts of one export in one folder and import the folder.");
                }
            }
        }
    }

    /// <summary>
    /// Why a read cannot be imported: bad rows without <c>--skip-bad-rows</c>, FOCUS rules broken under
    /// <c>--strict</c>, or no valid row at all; null when it can.
    /// </summary>
    private static string? RefusalReason(FocusImportReport report, LineItemImportOptions options, bool dryRun)
    {
        if (report.ProblemCount > 0 && !options.SkipBadRows)
        {
            return Problems(report);
        }

        if (options.Strict && report.Conformance.Count > 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"--strict: {report.RowsWithFindings:N0} row{(report.RowsWithFindings == 1 ? "" : "s")} break{(report.RowsWithFindings == 1 ? "s" : "")} {report.Conformance.Count:N0} FOCUS rule{(report.Conformance.Count == 1 ? "" : "s")}. Nothing was imported and the store is unchanged. Import without --strict to keep those rows as written.");
        }

        // A dry run reports what an import would do; an import of no valid row has nothing to write.
        if (dryRun || report.RowsValid > 0)
        {
            return null;
        }

        return report.ProblemCount > 0 ? Problems(report) : "the files hold no line items; nothing was imported.";

        static string Problems(FocusImportReport report) => string.Create(CultureInfo.InvariantCulture,
            $"{report.ProblemCount:N0} problem{(report.ProblemCount == 1 ? "" : "s")} in {report.RowsRejected:N0} row{(report.RowsRejected == 1 ? "" : "s")}; nothing was imported and the store is unchanged. Fix the file, or import the valid rows with --skip-bad-rows.");
    }

    /// <summary>
    /// Writes refused rows with their reasons: to <c>--rejects</c> (default <c>&lt;file&gt;.rejects.csv</c>) when they
    /// come from one file; one <c>&lt;file&gt;.rejects.csv</c> per file (in <c>--rejects</c>' folder) when from several,
    /// as their headers may differ.
    /// </summary>
    private List<string> WriteRejects(string? option, List<RejectedRow> rejected)
    {
        var byFile = rejected.GroupBy(r => r.File, StringComparer.Ordinal).ToList();
        var folder = option is null ? environment.WorkingDirectory : Path.GetDirectoryName(environment.ResolvePath(option))!;
        var paths = new List<string>();
        foreach (var file in byFile)
        {
            var path = byFile.Count == 1 && option is not null
                ? environment.ResolvePath(option)
                : Path.Combine(folder, Path.GetFileName(file.Key) + ".rejects.csv");
            WriteRejectsFile(path, file.ToList());
            paths.Add(path);
        }

        return paths;
    }

    private static void WriteRejectsFile(string path, List<RejectedRow> rejected)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        writer.Write(Core.Text.CsvLine.Format(RejectColumns.Concat(rejected[0].Header)));
        foreach (var row in rejected)
        {
            var fields = new List<string> { row.File, row.Line.ToString(CultureInfo.InvariantCulture), row.Reasons };
            fields.AddRange(row.Fields);
            writer.Write(Core.Text.CsvLine.Format(fields));
        }
    }

    /// <summary>A dry run's sink: the rows are validated and counted, and go nowhere (a Parquet file's, read by columns, too).</summary>
    private sealed class NullSink : IColumnarFactSink
    {
        public static readonly NullSink Instance = new();

        public void Append(LineItemRow row)
        {
        }

        public long AppendFacts(ColumnarFacts facts) => facts.Rows;
    }
}
