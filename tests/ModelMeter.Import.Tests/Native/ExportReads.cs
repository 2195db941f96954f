using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;
using ModelMeter.Import.Tests.Focus;

namespace ModelMeter.Import.Tests.Native;

/// <summary>Reads files of a provider's export as an import does (plan, fingerprint, read), keeping every mapped row.</summary>
internal static class ExportReads
{
    public static ExportImportReport Read(ExportFormat format, CapturingSink sink, params string[] paths) => Read(format, sink, skipBadRows: false, paths);

    public static ExportImportReport Read(ExportFormat format, CapturingSink sink, bool skipBadRows, params string[] paths)
    {
        var (files, skipped) = ExportImporter.Plan(format, paths);
        return ExportImporter.Read(format, FocusImporter.Inspect(files), skipped, sink, skipBadRows);
    }

    public static DateTime Utc(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
}
