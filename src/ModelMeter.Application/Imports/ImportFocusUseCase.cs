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
/// no store, none is left behind. Files whose content was imported before are recognised by their SHA-256. The flow is
/// every billing import's (<see cref="LineItemImports"/>).
/// </summary>
public sealed class ImportFocusUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
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
        var reading = new FocusReading(OncePerContent(FocusImporter.Inspect(collected.Files), out var once));
        reading.Warnings.AddRange(collected.Warnings);
        reading.Warnings.AddRange(once);
        var options = new LineItemImportOptions(request.Store, request.DryRun, request.SkipBadRows, request.Rejects, request.Strict);
        return new LineItemImports(stores, environment).Run(options, reading, progress, cancellationToken);
    }

    /// <summary>
    /// Files with the same SHA-256 in one import are one file: the first (in argument and name order) is read, the
    /// others are named in a warning. Reading both would count the same bill twice. Only files of the same size can
    /// have the same bytes, so only those are fingerprinted before the read (the others are as they are read).
    /// </summary>
    private static List<FocusInput> OncePerContent(IReadOnlyList<FocusInput> inputs, out List<string> warnings)
    {
        warnings = [];
        var sizes = inputs.CountBy(i => i.Bytes).Where(s => s.Value > 1).Select(s => s.Key).ToHashSet();
        var first = new Dictionary<string, FocusInput>(StringComparer.Ordinal);
        var kept = new List<FocusInput>();
        foreach (var input in inputs)
        {
            if (!sizes.Contains(input.Bytes))
            {
                kept.Add(input);
                continue;
            }

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

    /// <summary>FOCUS files, read by the FOCUS importer.</summary>
    private sealed class FocusReading(IReadOnlyList<FocusInput> inputs) : LineItemReading<ImportFocusResult>
    {
        private FocusImportReport? _report;
        private FocusReadAhead? _ahead;

        public override IReadOnlyList<FocusInput> Inputs => inputs;

        public override ImportKind Kind => ImportKind.Focus;

        public override IDisposable ReadAhead(CancellationToken cancellationToken) => _ahead = FocusImporter.ReadAhead(inputs, cancellationToken);

        public override FocusImportReport Read(ILineItemSink sink, bool skipBadRows, IProgress<double>? progress, CancellationToken cancellationToken) =>
            _report = FocusImporter.Read(inputs, sink, skipBadRows, progress, _ahead, cancellationToken);

        // Provenance records each file's row count as read from it.
        public override IReadOnlyList<ImportedFile> ImportedFiles() =>
            _report!.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList();

        public override ImportFocusResult Result(ImportOutcome outcome, ImportRecord? record, string? store, IReadOnlyList<string> rejects, string? refusalReason)
        {
            var result = ImportFocusResult.Of(outcome, _report!, record, store, rejects, refusalReason);
            return result with { Warnings = [.. Warnings, .. result.Warnings] };
        }

        public override ImportFocusResult AlreadyImported(ImportRecord known, string store) =>
            ImportFocusResult.AlreadyImported(inputs, known, store) with { Warnings = [.. Warnings] };
    }
}
