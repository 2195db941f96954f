using System.Security.Cryptography;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Reads FOCUS cost-and-usage exports (CSV, gzip CSV, Parquet), validates every row and streams the valid ones into a
/// sink. It never writes partial data on its own: the caller commits the sink only when the report says so.
/// </summary>
public static class FocusImporter
{
    public const int MaxProblemsKept = 1000;

    private static readonly string[] Extensions = [".csv", ".csv.gz", ".parquet"];

    /// <summary>A file, or every FOCUS file (.csv, .csv.gz, .parquet) under a folder, as providers split exports into parts.</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> paths) => ExpandInputs(paths, Extensions);

    /// <summary>
    /// A file, or every file under a folder whose name ends with one of <paramref name="extensions"/> (another export
    /// format's files: a CUR folder's <c>.csv.gz</c> parts and manifests, a BigQuery export's <c>.json</c> lines).
    /// </summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> paths, IReadOnlyList<string> extensions)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(extensions);
        var accepted = Describe(extensions);
        bool IsFocusFile(string path) => extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(IsFocusFile)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new UserInputException($"The folder {path} holds no {accepted} files.");
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                if (!IsFocusFile(path))
                {
                    throw new UserInputException($"{path}: expected a {accepted} file.");
                }

                files.Add(path);
            }
            else
            {
                throw new UserInputException($"{path}: no such file or folder.");
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Fingerprints each file (SHA-256 of its bytes) so an import already recorded can be recognised.</summary>
    public static IReadOnlyList<FocusInput> Inspect(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.Select(f => new FocusInput(f, Sha256(f), new FileInfo(f).Length)).ToList();
    }

    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Reads every file. Valid rows go to <paramref name="sink"/> only while the import can still succeed: without
    /// <paramref name="skipBadRows"/> the first bad row stops the writing (the caller rolls back) but reading goes on,
    /// so the report lists every problem at once.
    /// </summary>
    public static FocusImportReport Read(
        IReadOnlyList<FocusInput> files,
        ILineItemSink sink,
        bool skipBadRows,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(sink);
        var report = new FocusImportReport();
        var totalBytes = Math.Max(1, files.Sum(f => f.Bytes));
        long doneBytes = 0;
        using var pipeline = new RowPipeline(sink);
        var problems = new List<ImportProblem>();
        var conformance = new ConformanceTally();
        (DateTime Start, string? Text) lastPeriod = default;
        foreach (var input in files)
        {
            var file = input.Path;
            var bytes = input.Bytes;
            using var source = Open(file);
            var header = FocusHeader.Parse(file, source.Header);
            var fileReport = new FocusFileReport(
                file, input.Sha256, bytes, header.Version, header.Ignored,
                header.Names.Where((_, i) => header.IsCustom[i]).ToList());
            report.Files.Add(fileReport);
            var parser = new FocusRowParser(file, header, source.LineWord);
            var rules = conformance.For(file, header);
            while (source.Read())
            {
                report.RowsRead++;
                fileReport.Rows++;
                problems.Clear();
                var row = pipeline.Current;
                if (parser.Parse(source, row, problems))
                {
                    report.RowsValid++;
                    rules.Check(source, row, parser.NullFields);
                    Tally(report, row, ref lastPeriod);
                    if (skipBadRows || report.ProblemCount == 0)
                    {
                        pipeline.Accept();
                    }
                }
                else
                {
                    fileReport.Rejected++;
                    report.ProblemCount += problems.Count;
                    foreach (var problem in problems)
                    {
                        if (report.Problems.Count < MaxProblemsKept)
                        {
                            report.Problems.Add(problem);
                        }
                    }

                    if (skipBadRows)
                    {
                        var fields = new string[source.FieldCount];
                        for (var i = 0; i < fields.Length; i++)
                        {
                            fields[i] = new string(source[i]);
                        }

                        report.Rejected.Add(new RejectedRow(file, source.Line, header.Names, fields, string.Join("; ", problems.Select(p => p.ToString()))));
                    }
                }

                if ((report.RowsRead & 0x3FFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report((doneBytes + (bytes * Math.Min(1.0, EstimateFraction(source)))) / totalBytes);
                }
            }

            doneBytes += bytes;
            progress?.Report((double)doneBytes / totalBytes);
        }

        pipeline.Complete();
        report.Conformance = conformance.Findings();
        report.RowsWithFindings = conformance.RowsWithFindings;
        return report;
    }

    internal static double EstimateFraction(IFocusRecordSource source) =>
        source is IPositioned positioned ? positioned.Fraction : 0.5;

    internal static IFocusRecordSource Open(string file) =>
        file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? new ParquetRecordSource(file) : new CsvRecordSource(file);

    private static string Describe(IReadOnlyList<string> extensions) =>
        extensions.Count == 1 ? extensions[0] : string.Join(", ", extensions.Take(extensions.Count - 1)) + " or " + extensions[^1];

    private static readonly int CurrencySlot = FocusSchema.Get("BillingCurrency").Slot;
    private static readonly int AccountSlot = FocusSchema.Get("BillingAccountId").Slot;
    private static readonly int ProviderSlot = FocusSchema.Get("ProviderName").Slot;
    private static readonly int CategorySlot = FocusSchema.Get("ChargeCategory").Slot;
    private static readonly int BillingStartSlot = FocusSchema.Get("BillingPeriodStart").Slot;
    private static readonly int BillingEndSlot = FocusSchema.Get("BillingPeriodEnd").Slot;
    private static readonly int ChargeStartSlot = FocusSchema.Get("ChargePeriodStart").Slot;
    private static readonly int ChargeEndSlot = FocusSchema.Get("ChargePeriodEnd").Slot;
    private static readonly int BilledSlot = FocusSchema.Get("BilledCost").Slot;
    private static readonly int EffectiveSlot = FocusSchema.Get("EffectiveCost").Slot;
    private static readonly int ListSlot = FocusSchema.Get("ListCost").Slot;
    private static readonly int ContractedSlot = FocusSchema.Get("ContractedCost").Slot;

    /// <summary>How the report counts rows without a ChargeCategory (ChargeCategory-C-002-M findings).</summary>
    public const string NoCategory = "(none)";

    /// <summary>Adds a valid row to the report's totals, periods, accounts, providers and charge categories.</summary>
    internal static void Tally(FocusImportReport report, LineItemRow row, ref (DateTime Start, string? Text) lastPeriod)
    {
        var currency = row.Text[CurrencySlot]!;
        if (!report.Totals.TryGetValue(currency, out var totals))
        {
            report.Totals[currency] = totals = new CurrencyTotals();
        }

        totals.Rows++;
        totals.Billed += row.Decimals[BilledSlot] ?? 0m;
        totals.Effective += row.Decimals[EffectiveSlot] ?? 0m;
        totals.List += row.Decimals[ListSlot] ?? 0m;
        totals.Contracted += row.Decimals[ContractedSlot] ?? 0m;
        if (row.Text[AccountSlot] is { } account)
        {
            report.BillingAccounts.Add(account);
        }

        if (row.Text[ProviderSlot] is { } provider)
        {
            report.Providers.Add(provider);
        }

        var category = row.Text[CategorySlot] ?? NoCategory;
        report.ChargeCategories[category] = report.ChargeCategories.GetValueOrDefault(category) + 1;
        var billingStart = row.Timestamps[BillingStartSlot]!.Value;
        if (billingStart != lastPeriod.Start || lastPeriod.Text is null)
        {
            // Formatting the period on every row would dominate a large import; consecutive rows share it.
            lastPeriod = (billingStart, $"{billingStart:yyyy-MM-dd}..{row.Timestamps[BillingEndSlot]!.Value:yyyy-MM-dd}");
        }

        report.BillingPeriods.Add(lastPeriod.Text);
        var start = row.Timestamps[ChargeStartSlot]!.Value;
        var end = row.Timestamps[ChargeEndSlot]!.Value;
        if (report.FirstChargeStart is null || start < report.FirstChargeStart)
        {
            report.FirstChargeStart = start;
        }

        if (report.LastChargeEnd is null || end > report.LastChargeEnd)
        {
            report.LastChargeEnd = end;
        }
    }
}

/// <summary>A record source that knows how far through its file it is.</summary>
internal interface IPositioned
{
    double Fraction { get; }
}

/// <summary>A file to import with its fingerprint.</summary>
public sealed record FocusInput(string Path, string Sha256, long Bytes);
