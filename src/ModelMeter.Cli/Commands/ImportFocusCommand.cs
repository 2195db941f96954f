using System.Globalization;
using System.Text;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Billing;
using ModelMeter.Import;
using ModelMeter.Import.Focus;
using ModelMeter.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>
/// <c>modelmeter import focus</c>: validates every row, then writes all files in one transaction. A bad row refuses
/// the whole import (unless <c>--skip-bad-rows</c>) and leaves the store exactly as it was.
/// </summary>
public sealed class ImportFocusCommand(CliContext cli) : Command<ImportFocusSettings>
{
    private static readonly string[] RejectColumns = ["x_SourceFile", "x_SourceLine", "x_RejectReasons"];

    public override int Execute(CommandContext context, ImportFocusSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var files = FocusImporter.ExpandInputs(settings.Paths.Select(cli.ResolvePath));
        var inputs = FocusImporter.Inspect(files);
        var result = Run(cli, settings, inputs, cancellationToken);
        ImportReportWriter.Write(cli, result, format, settings.Quiet);
        return result.Outcome is ImportOutcome.Refused ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    /// <summary>The import itself, shared with <c>modelmeter demo</c> so demo data goes through the user's path.</summary>
    internal static ImportResult Run(CliContext context, ImportFocusSettings settings, IReadOnlyList<FocusInput> inputs, CancellationToken cancellationToken)
    {
        if (settings.DryRun)
        {
            var dry = WithProgress(context, settings.Quiet, progress => FocusImporter.Read(inputs, NullSink.Instance, settings.SkipBadRows, progress, cancellationToken));
            var dryRefused = (dry.ProblemCount > 0 && !settings.SkipBadRows) || (settings.Strict && dry.Conformance.Count > 0);
            return new ImportResult(dryRefused ? ImportOutcome.Refused : ImportOutcome.DryRun, dry, null, null, []);
        }

        var existed = File.Exists(Configuration.ConfigLoader.ResolveStorePath(context, Configuration.ConfigLoader.Load(context, settings.Config), settings.Store));
        var (_, store, storePath) = StoreOpener.Open(context, settings);
        var result = Import(context, settings, inputs, store, storePath, cancellationToken, out var refused);
        if (refused && !existed)
        {
            // "Left exactly as it was" includes not creating a store where there was none.
            foreach (var path in new[] { storePath, storePath + ".wal" })
            {
                File.Delete(path);
            }
        }

        return result;
    }

    private static ImportResult Import(CliContext context, ImportFocusSettings settings, IReadOnlyList<FocusInput> inputs, ICostStore store, string storePath, CancellationToken cancellationToken, out bool refused)
    {
        refused = true;
        using (store)
        {
            var known = inputs.Select(i => store.FindImportByContentHash(i.Sha256)).ToList();
            if (known.All(k => k is not null))
            {
                refused = false;
                return new ImportResult(ImportOutcome.AlreadyImported, null, known[0], storePath, []);
            }

            using var session = store.BeginLineItemImport(ImportKind.Focus);
            var report = WithProgress(context, settings.Quiet, progress => FocusImporter.Read(inputs, session, settings.SkipBadRows, progress, cancellationToken));
            if ((report.ProblemCount > 0 && !settings.SkipBadRows) || (settings.Strict && report.Conformance.Count > 0))
            {
                return new ImportResult(ImportOutcome.Refused, report, null, storePath, []);
            }

            if (report.RowsValid == 0)
            {
                return new ImportResult(ImportOutcome.Refused, report, null, storePath, []);
            }

            var rejectsPaths = WriteRejects(context, settings.Rejects, report.Rejected);

            // Provenance records each file's row count as read from it.
            var files = report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList();
            var record = session.Commit(files, report.BilledTotals);
            refused = false;
            return new ImportResult(ImportOutcome.Imported, report, record, storePath, rejectsPaths);
        }
    }

    private static FocusImportReport WithProgress(CliContext context, bool quiet, Func<IProgress<double>?, FocusImportReport> read)
    {
        if (quiet || !context.Interactive)
        {
            return read(null);
        }

        FocusImportReport? report = null;
        context.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progressContext =>
            {
                var task = progressContext.AddTask("Importing FOCUS rows", maxValue: 1.0);
                report = read(new Progress(task));
                task.Value = 1.0;
            });
        return report!;
    }

    /// <summary>
    /// Writes refused rows with their reasons: to <c>--rejects</c> (default <c>&lt;file&gt;.rejects.csv</c>) when they
    /// come from one file; one <c>&lt;file&gt;.rejects.csv</c> per file (in <c>--rejects</c>' folder) when from several,
    /// as their headers may differ.
    /// </summary>
    private static List<string> WriteRejects(CliContext context, string? option, List<RejectedRow> rejected)
    {
        var byFile = rejected.GroupBy(r => r.File, StringComparer.Ordinal).ToList();
        var folder = option is null ? context.WorkingDirectory : Path.GetDirectoryName(context.ResolvePath(option))!;
        var paths = new List<string>();
        foreach (var file in byFile)
        {
            var path = byFile.Count == 1 && option is not null
                ? context.ResolvePath(option)
                : Path.Combine(folder, Path.GetFileName(file.Key) + ".rejects.csv");
            WriteRejectsFile(path, file.ToList());
            paths.Add(path);
        }

        return paths;
    }

    private static void WriteRejectsFile(string path, List<RejectedRow> rejected)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        var header = rejected[0].Header;
        writer.Write(Csv.Line(RejectColumns.Concat(header)));
        foreach (var row in rejected)
        {
            var fields = new List<string> { row.File, row.Line.ToString(CultureInfo.InvariantCulture), row.Reasons };
            fields.AddRange(row.Fields);
            writer.Write(Csv.Line(fields));
        }
    }

    private sealed class Progress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Min(1.0, value);
    }

    private sealed class NullSink : ILineItemSink
    {
        public static readonly NullSink Instance = new();

        public void Append(LineItemRow row)
        {
        }
    }
}

public enum ImportOutcome
{
    Imported,
    DryRun,
    AlreadyImported,
    Refused,
}

public sealed record ImportResult(ImportOutcome Outcome, FocusImportReport? Report, ImportRecord? Record, string? StorePath, IReadOnlyList<string> RejectsPaths);
