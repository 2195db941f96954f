using System.Globalization;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>An <c>import focus</c>: the files or folders, and how to treat bad rows.</summary>
public sealed record ImportFocusRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>FOCUS files (.csv, .csv.gz, .parquet) or folders holding them, as the user wrote them; all are imported together.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Read and validate everything, write nothing (and open no store).</summary>
    public bool DryRun { get; init; }

    /// <summary>Import the valid rows and write the refused ones, with their reasons, to a rejects CSV.</summary>
    public bool SkipBadRows { get; init; }

    /// <summary>
    /// Where refused rows go (<c>--rejects</c>): that file when they come from one file; with bad rows in several files,
    /// one <c>&lt;file&gt;.rejects.csv</c> each in its folder. Default: <c>&lt;file&gt;.rejects.csv</c> in the working folder.
    /// </summary>
    public string? Rejects { get; init; }

    /// <summary>Refuse the files when any row breaks a FOCUS rule (by default such rows are imported as written and the rules listed).</summary>
    public bool Strict { get; init; }
}

/// <summary>
/// Imports FOCUS exports: validates every row, then writes all files in one transaction. A bad row refuses the whole
/// import (unless <see cref="ImportFocusRequest.SkipBadRows"/>) and leaves the store exactly as it was; where there was
/// no store, none is left behind. Files whose content was imported before are recognised by their SHA-256.
/// </summary>
public sealed class ImportFocusUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    private static readonly string[] RejectColumns = ["x_SourceFile", "x_SourceLine", "x_RejectReasons"];

    /// <param name="request">What to import.</param>
    /// <param name="progress">Share of the bytes read, 0 to 1.</param>
    /// <param name="cancellationToken">Stops the read; nothing is written (the transaction is rolled back).</param>
    public ImportFocusResult Run(ImportFocusRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Paths.Count == 0)
        {
            throw new UserInputException("Name at least one FOCUS file or folder.");
        }

        var collected = FocusImporter.Collect(request.Paths.Select(environment.ResolvePath));
        var warnings = collected.Warnings.ToList();
        var inputs = OncePerContent(FocusImporter.Inspect(collected.Files), warnings);
        if (request.DryRun)
        {
            var dry = FocusImporter.Read(inputs, NullSink.Instance, request.SkipBadRows, progress, cancellationToken);
            CheckExports(dry);
            var refused = RefusalReason(dry, request.SkipBadRows, request.Strict, dryRun: true);
            return ImportFocusResult.Of(refused is null ? ImportOutcome.DryRun : ImportOutcome.Refused, dry, null, null, [], refused) with { Warnings = warnings };
        }

        var opened = stores.Open(request.Store, StoreAccess.Write);
        var keep = false;
        try
        {
            var result = Import(request, inputs, opened, progress, cancellationToken);
            keep = result.Outcome != ImportOutcome.Refused;
            return result with { Warnings = [.. warnings, .. result.Warnings] };
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

    private ImportFocusResult Import(ImportFocusRequest request, IReadOnlyList<FocusInput> inputs, OpenedStore opened, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var store = opened.Store;
        var location = opened.Location.ToString();
        var known = inputs.Select(i => store.FindImportByContentHash(i.Sha256)).ToList();
        if (known.All(k => k is not null))
        {
            return ImportFocusResult.AlreadyImported(inputs, known[0]!, location);
        }

        using var session = store.BeginLineItemImport(ImportKind.Focus);
        var report = FocusImporter.Read(inputs, session, request.SkipBadRows, progress, cancellationToken);
        CheckExports(report);
        if (RefusalReason(report, request.SkipBadRows, request.Strict, dryRun: false) is { } refused)
        {
            return ImportFocusResult.Of(ImportOutcome.Refused, report, null, location, [], refused);
        }

        // Ctrl-C while the last rows were written or the rejects saved still rolls back: the commit is the point of no return.
        cancellationToken.ThrowIfCancellationRequested();

        // Written before the commit: an import whose refused rows could not be saved is not made.
        var rejects = WriteRejects(request.Rejects, report.Rejected);

        // Provenance records each file's row count as read from it.
        var files = report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList();
        var record = session.Commit(files, report.BilledTotals, cancellationToken);
        var result = ImportFocusResult.Of(ImportOutcome.Imported, report, record, location, rejects, null);
        return cancellationToken.IsCancellationRequested
            ? result with { Warnings = [$"Interrupted after the commit: import #{record.ImportId} had already been written in full, and it stays."] }
            : result;
    }

    /// <summary>
    /// Files with the same SHA-256 in one import are one file: the first (in argument and name order) is read, the
    /// others are named in a warning. Reading both would count the same bill twice.
    /// </summary>
    private static List<FocusInput> OncePerContent(IReadOnlyList<FocusInput> inputs, List<string> warnings)
    {
        var first = new Dictionary<string, FocusInput>(StringComparer.Ordinal);
        var kept = new List<FocusInput>();
        foreach (var input in inputs)
        {
            if (first.TryGetValue(input.Sha256, out var earlier))
            {
                warnings.Add($"{input.Path} has the same content as {earlier.Path} (SHA-256 {input.Sha256[..12]}...); it is read once.");
                continue;
            }

            first[input.Sha256] = input;
            kept.Add(input);
        }

        return kept;
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
    private static string? RefusalReason(FocusImportReport report, bool skipBadRows, bool strict, bool dryRun)
    {
        if (report.ProblemCount > 0 && !skipBadRows)
        {
            return Problems(report);
        }

        if (strict && report.Conformance.Count > 0)
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

    /// <summary>A dry run's sink: the rows are validated and counted, and go nowhere.</summary>
    private sealed class NullSink : ILineItemSink
    {
        public static readonly NullSink Instance = new();

        public void Append(LineItemRow row)
        {
        }
    }
}
