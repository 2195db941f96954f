using System.Globalization;
using System.Text.Json;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.AwsCur;

/// <summary>
/// The AWS Cost and Usage Report: CUR 2.0 (AWS Data Exports) and legacy CUR, as CSV, gzip CSV or Parquet, one file or
/// a whole export folder. In a folder, the manifests (<c>&lt;report&gt;-Manifest.json</c>) say which files make up the
/// current version of each month: legacy CUR keeps earlier versions in other assembly folders, and a month's report
/// is split into parts. Only the parts the current manifest lists are read; a part it lists that is missing refuses
/// the import, as a month without one of its parts would be short.
/// </summary>
public sealed class AwsCurFormat : ExportFormat
{
    public static readonly AwsCurFormat Instance = new();

    private const string ManifestSuffix = "-Manifest.json";

    private AwsCurFormat()
    {
    }

    public override string Name => "AWS Cost and Usage Report";

    public override string Mapping => "aws-cur/1";

    public override string ProviderRule => "the sum of line_item_unblended_cost over every row (usage, fees, credits, refunds, discounts and tax)";

    public override IReadOnlyList<string> Extensions { get; } = [".csv", ".csv.gz", ".parquet", ManifestSuffix];

    internal override ExportMapper CreateMapper(string file, IFocusRecordSource source) => new CurMapper(file, source.Header, source.LineWord);

    internal override ExportPlan Plan(IReadOnlyList<string> files)
    {
        var manifests = files.Where(IsManifest).ToList();
        var data = files.Where(f => !IsManifest(f)).ToList();
        if (manifests.Count == 0)
        {
            return new ExportPlan(data, []);
        }

        var byFullPath = data.ToDictionary(Path.GetFullPath, f => f, StringComparer.Ordinal);
        var chosen = new List<string>();
        var skipped = new List<SkippedFile>();
        foreach (var period in manifests.Select(Manifest.Read).GroupBy(m => (m.Report, m.PeriodStart)).OrderBy(g => g.Key.PeriodStart).ThenBy(g => g.Key.Report, StringComparer.Ordinal))
        {
            var current = Current(period.ToList());
            foreach (var other in period.Where(m => m != current))
            {
                skipped.Add(new SkippedFile(other.Path, other.AssemblyId == current.AssemblyId
                    ? $"a copy of {Path.GetFileName(current.Path)}"
                    : $"the manifest of an earlier version of the report (assembly {other.AssemblyId}); {Relative(current.Path)} names the current one"));
            }

            foreach (var key in current.DataFiles)
            {
                var found = Resolve(current.Path, key, byFullPath)
                    ?? throw new UserInputException(
                        $"{Relative(current.Path)} lists {key}, which is not among the files given: the {period.Key.Report} report for {period.Key.PeriodStart:yyyy-MM} is incomplete. Download every file its manifest lists, then import the folder again.");
                if (!chosen.Contains(found, StringComparer.Ordinal))
                {
                    chosen.Add(found);
                }
            }
        }

        foreach (var file in data.Where(f => !chosen.Contains(f, StringComparer.Ordinal)))
        {
            skipped.Add(new SkippedFile(file, "not listed by a current manifest (an earlier version of the report, or a file that is not part of it)"));
        }

        return new ExportPlan(chosen, skipped);
    }

    private static bool IsManifest(string file) => file.EndsWith(ManifestSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The manifest naming the current version of a month's report: the only one, or the copies of one assembly, or the
    /// one closest to the export's root (legacy CUR writes the current manifest at the month's folder and a copy in each
    /// assembly's folder).
    /// </summary>
    private static Manifest Current(List<Manifest> manifests)
    {
        if (manifests.Select(m => m.AssemblyId).Distinct(StringComparer.Ordinal).Count() == 1)
        {
            return manifests.OrderBy(Depth).First();
        }

        var shallowest = manifests.Min(Depth);
        var top = manifests.Where(m => Depth(m) == shallowest).ToList();
        if (top.Select(m => m.AssemblyId).Distinct(StringComparer.Ordinal).Count() == 1)
        {
            return top[0];
        }

        throw new UserInputException(
            $"{manifests.Count} manifests of the {manifests[0].Report} report for {manifests[0].PeriodStart:yyyy-MM} name different versions of it " +
            $"(assemblies {string.Join(", ", manifests.Select(m => m.AssemblyId).Distinct(StringComparer.Ordinal))}) and none is the month's own: " +
            "import the folder of one version, or the month's folder with its manifest.");
    }

    private static int Depth(Manifest manifest) => Path.GetFullPath(manifest.Path).Count(c => c == Path.DirectorySeparatorChar);

    /// <summary>
    /// The local file a manifest's key (an S3 key or <c>s3://</c> URI) names: its last path segments under the manifest's
    /// folder or one of its parents (CUR 2.0 keeps manifests in <c>metadata/</c> and data in <c>data/</c>), the longest
    /// match first. Only files among the inputs count.
    /// </summary>
    private static string? Resolve(string manifest, string key, Dictionary<string, string> files)
    {
        var segments = key.Replace("s3://", "", StringComparison.OrdinalIgnoreCase).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifest));
        for (var level = 0; level < 4 && folder is not null; level++, folder = Path.GetDirectoryName(folder))
        {
            for (var take = segments.Length; take >= 1; take--)
            {
                var candidate = Path.GetFullPath(Path.Combine([folder, .. segments[^take..]]));
                if (files.TryGetValue(candidate, out var found))
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static string Relative(string path) => Path.GetFileName(path);

    /// <summary>What the import needs of a CUR manifest (legacy <c>reportKeys</c>, CUR 2.0 <c>dataFiles</c>).</summary>
    private sealed record Manifest(string Path, string Report, DateTime PeriodStart, string AssemblyId, IReadOnlyList<string> DataFiles)
    {
        public static Manifest Read(string path)
        {
            var name = System.IO.Path.GetFileName(path);
            var report = name[..^ManifestSuffix.Length];
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = document.RootElement;
                var keys = root.TryGetProperty("dataFiles", out var dataFiles) ? dataFiles
                    : root.TryGetProperty("reportKeys", out var reportKeys) ? reportKeys
                    : throw new UserInputException($"{name}: a CUR manifest lists its files under reportKeys (legacy CUR) or dataFiles (CUR 2.0); this one has neither.");
                var start = root.TryGetProperty("billingPeriod", out var period) && period.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.String
                    ? ParsePeriod(name, s.GetString()!)
                    : throw new UserInputException($"{name}: a CUR manifest names its month in billingPeriod.start; this one does not.");
                var assembly = root.TryGetProperty("assemblyId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
                return new Manifest(path, report, start, assembly, keys.EnumerateArray().Select(k => k.GetString() ?? "").Where(k => k.Length > 0).ToList());
            }
            catch (JsonException e)
            {
                throw new UserInputException($"{name}: is not a readable CUR manifest: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                throw new UserInputException($"{name}: is not a readable CUR manifest: {e.Message}", e);
            }
        }

        /// <summary>Legacy manifests write <c>20231001T000000.000Z</c>, CUR 2.0 ones ISO 8601.</summary>
        private static DateTime ParsePeriod(string name, string text)
        {
            string[] formats = ["yyyyMMdd'T'HHmmss.fff'Z'", "yyyyMMdd'T'HHmmss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd"];
            return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
                ? DateTime.SpecifyKind(start, DateTimeKind.Utc)
                : throw new UserInputException($"{name}: billingPeriod.start '{text}' is not a date such as 20231001T000000.000Z.");
        }
    }
}
