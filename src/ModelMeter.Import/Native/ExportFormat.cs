using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Native;

/// <summary>
/// A provider's own billing export (AWS CUR, the Google Cloud billing export, Azure Cost Management exports): the files
/// it is made of, how they are opened, and how each file's columns map onto the FOCUS line items the rest of ModelMeter
/// uses. The mapping rules themselves live in each provider's mapper and in its <c>docs/mapping-*.md</c> page.
/// </summary>
public abstract class ExportFormat
{
    private protected ExportFormat()
    {
    }

    /// <summary>The export's name in messages: <c>AWS Cost and Usage Report</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The mapping onto FOCUS, recorded with every import (<c>aws-cur/1</c>). The number changes whenever a rule changes
    /// what a row becomes, so rows mapped by different rules can be told apart.
    /// </summary>
    public abstract string Mapping { get; }

    /// <summary>The provider's rule for what the files bill, in words, for the report: <c>the sum of line_item_unblended_cost</c>.</summary>
    public abstract string ProviderRule { get; }

    /// <summary>File name endings this export's files have; a folder is searched for them.</summary>
    public abstract IReadOnlyList<string> Extensions { get; }

    /// <summary>
    /// Which of the files found are to be read, in order, and which are left out and why (a CUR folder's manifests
    /// name the current version of each month's report). Throws <see cref="Core.Errors.UserInputException"/> when the
    /// files cannot make a complete export (a split part a manifest lists is missing).
    /// </summary>
    internal virtual ExportPlan Plan(IReadOnlyList<string> files) => new(files, []);

    /// <summary>Opens one data file as text records: CSV (plain or gzip) or Parquet by default.</summary>
    internal virtual IFocusRecordSource Open(string file) =>
        file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? new ParquetRecordSource(file) : new CsvRecordSource(file, "an export");

    /// <summary>The mapper of one opened file, bound to its header; refuses a header that is not this export's.</summary>
    internal abstract ExportMapper CreateMapper(string file, IFocusRecordSource source);
}

/// <summary>The files of an import: the ones read, in order, and the ones left out with the reason.</summary>
internal sealed record ExportPlan(IReadOnlyList<string> DataFiles, IReadOnlyList<SkippedFile> Skipped);

/// <summary>A file found among the inputs that the import does not read, and why.</summary>
public sealed record SkippedFile(string Path, string Reason);
