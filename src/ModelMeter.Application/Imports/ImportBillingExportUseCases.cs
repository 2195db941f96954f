using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Import.AwsCur;
using ModelMeter.Import.AzureCost;
using ModelMeter.Import.Focus;
using ModelMeter.Import.GcpBilling;
using ModelMeter.Import.Native;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>An import of a provider's own billing export: the files or folders, and how to treat bad rows (as <c>import focus</c>).</summary>
public sealed record ImportBillingExportRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Export files or folders holding them, as the user wrote them; all are imported together.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Read, map and validate everything, write nothing (and open no store).</summary>
    public bool DryRun { get; init; }

    /// <summary>Import the valid rows and write the refused ones, with their reasons, to a rejects CSV.</summary>
    public bool SkipBadRows { get; init; }

    /// <summary>Where refused rows go (<c>--rejects</c>), as for <c>import focus</c>.</summary>
    public string? Rejects { get; init; }

    /// <summary>Refuse the files when any mapped row breaks a FOCUS rule.</summary>
    public bool Strict { get; init; }
}

/// <summary><c>modelmeter import aws-cur</c>: AWS Cost and Usage Reports (CUR 2.0 and legacy) mapped onto FOCUS line items.</summary>
public sealed class ImportAwsCurUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportBillingExportResult Run(ImportBillingExportRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        new BillingExportImport(stores, environment, AwsCurFormat.Instance, ImportKind.AwsCur).Run(request, progress, cancellationToken);
}

/// <summary><c>modelmeter import gcp-billing</c>: the Google Cloud billing export mapped onto FOCUS line items.</summary>
public sealed class ImportGcpBillingUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportBillingExportResult Run(ImportBillingExportRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        new BillingExportImport(stores, environment, GcpBillingFormat.Instance, ImportKind.GcpBilling).Run(request, progress, cancellationToken);
}

/// <summary><c>modelmeter import azure-cost</c>: Azure Cost Management exports (actual or amortized) mapped onto FOCUS line items.</summary>
public sealed class ImportAzureCostUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportBillingExportResult Run(ImportBillingExportRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        new BillingExportImport(stores, environment, AzureCostFormat.Instance, ImportKind.AzureCost).Run(request, progress, cancellationToken);
}

/// <summary>
/// The import of one provider's export: its files found and fingerprinted as FOCUS files are, read through its mapping,
/// and imported by the flow every billing import shares (<see cref="LineItemImports"/>), with the mapping recorded.
/// </summary>
internal sealed class BillingExportImport(StoreProvider stores, ModelMeterEnvironment environment, ExportFormat format, ImportKind kind)
{
    public ImportBillingExportResult Run(ImportBillingExportRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Paths.Count == 0)
        {
            throw new UserInputException($"Name at least one {format.Name} file or folder.");
        }

        var (files, skipped) = ExportImporter.Plan(format, request.Paths.Select(environment.ResolvePath));
        if (files.Count == 0)
        {
            throw new UserInputException($"No {format.Name} data files to import: {string.Join("; ", skipped.Select(s => $"{Path.GetFileName(s.Path)}: {s.Reason}"))}.");
        }

        var options = new LineItemImportOptions(request.Store, request.DryRun, request.SkipBadRows, request.Rejects, request.Strict);
        return new LineItemImports(stores, environment).Run(options, new ExportReading(format, kind, FocusImporter.Inspect(files), skipped), progress, cancellationToken);
    }

    private sealed class ExportReading(ExportFormat format, ImportKind kind, IReadOnlyList<FocusInput> inputs, IReadOnlyList<SkippedFile> skipped)
        : LineItemReading<ImportBillingExportResult>
    {
        private ExportImportReport? _report;

        public override IReadOnlyList<FocusInput> Inputs => inputs;

        public override ImportKind Kind => kind;

        public override string Mapping => format.Mapping;

        public override FocusImportReport Read(ILineItemSink sink, bool skipBadRows, IProgress<double>? progress, CancellationToken cancellationToken)
        {
            _report = ExportImporter.Read(format, inputs, skipped, sink, skipBadRows, progress, cancellationToken);
            return _report.Rows;
        }

        public override IReadOnlyList<ImportedFile> ImportedFiles() =>
            _report!.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList();

        public override string? Refusal() => _report!.FileRefusals.Count == 0
            ? null
            : string.Join(" ", _report.FileRefusals) + " Nothing was imported and the store is unchanged.";

        public override ImportBillingExportResult Result(ImportOutcome outcome, ImportRecord? record, string? store, IReadOnlyList<string> rejects, string? refusalReason)
        {
            var result = ImportBillingExportResult.Of(kind, outcome, _report!, record, store, rejects, refusalReason);
            return result with { Warnings = [.. result.Warnings, .. Warnings] };
        }

        public override ImportBillingExportResult AlreadyImported(ImportRecord known, string store) =>
            ImportBillingExportResult.AlreadyImported(kind, format, inputs, skipped, known, store);
    }
}
