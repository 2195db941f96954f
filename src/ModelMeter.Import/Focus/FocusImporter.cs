using System.Security.Cryptography;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Files;

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
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> paths) => Collect(paths).Files.Select(f => f.Path).ToList();

    /// <summary>
    /// The files to read: each path named (a link is followed), and every FOCUS file (.csv, .csv.gz, .parquet) under a
    /// folder named. Folders are walked without following the links inside them: a link to a folder is skipped with a
    /// warning (<c>loop -> .</c> would import the folder again and again, <c>up -> ..</c> would never end); a link to a
    /// file is read, and its content counted once if it is also there under another name (see the use case). A FIFO,
    /// device or socket with a FOCUS file's name, a dangling link, a link loop and an unreadable folder are refused by
    /// name. Each file remembers the argument it came from: the files of one folder are the parts of one export.
    /// </summary>
    /// <param name="paths">Files and folders as the user named them.</param>
    /// <param name="extensions">The file names to read (default: FOCUS's .csv, .csv.gz and .parquet).</param>
    public static CollectedInputs Collect(IEnumerable<string> paths, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var names = new FileNames(extensions ?? Extensions);
        var files = new List<CollectedFile>();
        var warnings = new List<string>();
        foreach (var path in paths)
        {
            var kind = FileKinds.Of(path);
            var target = path;
            if (kind == FileKind.SymbolicLink)
            {
                target = UserFiles.FinalTarget(path, path);
                kind = FileKinds.Of(target);
                if (kind == FileKind.Missing)
                {
                    throw new UserInputException($"{path} is a link to {target}, which does not exist (a dangling link).");
                }
            }

            switch (kind)
            {
                case FileKind.Directory:
                    var found = new List<CollectedFile>();
                    Walk(path, path, names, found, warnings);
                    if (found.Count == 0)
                    {
                        throw new UserInputException($"The folder {path} holds no {names.Accepted} files.");
                    }

                    files.AddRange(found.OrderBy(f => f.Path, StringComparer.Ordinal));
                    break;
                case FileKind.Missing:
                    throw new UserInputException($"{path}: no such file or folder.");
                default:
                    if (!names.Match(path))
                    {
                        throw new UserInputException($"{path}: expected a {names.Accepted} file.");
                    }

                    UserFiles.RequireRegularFile(path, path);
                    files.Add(new CollectedFile(path, path));
                    break;
            }
        }

        return new CollectedInputs(files.DistinctBy(f => f.Path, StringComparer.Ordinal).ToList(), warnings);
    }

    private static void Walk(string folder, string export, FileNames names, List<CollectedFile> found, List<string> warnings)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot read the folder {folder}: {UserFiles.Reason(e)}", e);
        }

        foreach (var entry in entries)
        {
            var path = entry.FullName;
            var kind = FileKinds.Of(path);
            switch (kind)
            {
                case FileKind.Directory:
                    Walk(path, export, names, found, warnings);
                    break;
                case FileKind.SymbolicLink:
                    string target;
                    try
                    {
                        target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
                    }
                    catch (IOException)
                    {
                        if (names.Match(path))
                        {
                            throw new UserInputException($"{path} is a link that never reaches a file (a link loop).");
                        }

                        warnings.Add($"Skipped {path}: a link loop.");
                        break;
                    }

                    var targetKind = FileKinds.Of(target);
                    if (targetKind == FileKind.Directory)
                    {
                        warnings.Add($"Skipped {path}: a link to the folder {target}; links to folders inside a folder are not followed (they can loop). Name that folder itself to import it.");
                    }
                    else if (names.Match(path))
                    {
                        if (targetKind == FileKind.Missing)
                        {
                            throw new UserInputException($"{path} is a link to {target}, which does not exist (a dangling link).");
                        }

                        UserFiles.RequireRegularFile(target, path);
                        found.Add(new CollectedFile(path, export));
                    }

                    break;
                case FileKind.Regular or FileKind.Unknown:
                    if (names.Match(path))
                    {
                        found.Add(new CollectedFile(path, export));
                    }

                    break;
                default:
                    if (names.Match(path))
                    {
                        throw new UserInputException($"{path} is {FileKinds.Describe(kind)}, not a regular file; ModelMeter reads only regular files.");
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Sizes each file. Its fingerprint (SHA-256 of its bytes), by which an import already recorded is recognised, is
    /// taken while a plain CSV file is read, or by a pass over the file when something asks for it first
    /// (<see cref="FocusInput.Sha256"/>).
    /// </summary>
    public static IReadOnlyList<FocusInput> Inspect(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Inspect(files.Select(f => new CollectedFile(f, f)).ToList());
    }

    public static IReadOnlyList<FocusInput> Inspect(IReadOnlyList<CollectedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.Select(f =>
        {
            try
            {
                // Opened (not read) now, so a file that cannot be read is refused by name before anything else happens.
                using var handle = File.OpenHandle(f.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
                return new FocusInput(f.Path, RandomAccess.GetLength(handle)) { Export = f.Export };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"Cannot read {f.Path}: {UserFiles.Reason(e)}", e);
            }
        }).ToList();
    }

    /// <summary>The lower-case hex SHA-256 of a file's bytes, by a pass over it; a file that cannot be read is the user's error.</summary>
    public static string Sha256(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot read {path}: {UserFiles.Reason(e)}", e);
        }
    }

    /// <summary>
    /// Reads every file. Valid rows go to <paramref name="sink"/> only while the import can still succeed: without
    /// <paramref name="skipBadRows"/> the first bad row stops the writing (the caller rolls back) but reading goes on,
    /// so the report lists every problem at once. The first file's reading by columns comes from <paramref name="ahead"/>
    /// when it was begun there (<see cref="ReadAhead"/>).
    /// </summary>
    public static FocusImportReport Read(
        IReadOnlyList<FocusInput> files,
        ILineItemSink sink,
        bool skipBadRows,
        IProgress<double>? progress = null,
        FocusReadAhead? ahead = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(sink);
        if (sink is not IColumnarFactSink)
        {
            ahead?.Stop();
        }

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
            FocusFileReport NewFileReport(FocusHeader header)
            {
                var fileReport = new FocusFileReport(
                    input, header.Version, header.Ignored, header.Names.Where((_, i) => header.IsCustom[i]).ToList());
                report.Files.Add(fileReport);
                return fileReport;
            }

            if (sink is IColumnarFactSink columnar && IsParquet(file))
            {
                if (ReadColumns(input, ahead, report, NewFileReport, conformance, ref lastPeriod, cancellationToken) is { } facts)
                {
                    // The rows of earlier files reach the sink first; the store then loads this file's by itself.
                    pipeline.Drain();
                    if (skipBadRows || report.ProblemCount == 0)
                    {
                        columnar.AppendFacts(facts);
                    }

                    doneBytes += bytes;
                    progress?.Report((double)doneBytes / totalBytes);
                    continue;
                }
            }

            ReadRows(input, report, NewFileReport, pipeline, problems, conformance, skipBadRows, ref lastPeriod, doneBytes, totalBytes, progress, cancellationToken);
            doneBytes += bytes;
            progress?.Report((double)doneBytes / totalBytes);
        }

        pipeline.Complete();
        CheckTotals(report);
        report.Conformance = conformance.Findings();
        report.RowsWithFindings = conformance.RowsWithFindings;
        return report;
    }

    private static bool IsParquet(string file) => file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Begins reading the first of <paramref name="files"/> by columns on another thread, when it is Parquet, for
    /// <see cref="Read"/> to take (<see cref="FocusReadAhead"/>): called before the store is open, which the reading does not need.
    /// </summary>
    public static FocusReadAhead ReadAhead(IReadOnlyList<FocusInput> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.Count > 0 && IsParquet(files[0].Path)
            ? FocusReadAhead.Start(files[0], (input, stop) => ReadByColumns(input.Path, stop), cancellationToken)
            : FocusReadAhead.None();
    }

    /// <summary>
    /// Reads a Parquet file by columns (<see cref="ParquetColumns"/>), or takes that reading from <paramref name="ahead"/>,
    /// into the report; null, with the report untouched, when the file is to be read row by row.
    /// </summary>
    private static ColumnarFacts? ReadColumns(
        FocusInput input, FocusReadAhead? ahead, FocusImportReport report, Func<FocusHeader, FocusFileReport> newFileReport, ConformanceTally conformance,
        ref (DateTime Start, string? Text) lastPeriod, CancellationToken cancellationToken)
    {
        var file = input.Path;
        var (header, read) = ahead?.Take(input) ?? ReadByColumns(file, cancellationToken);
        if (read is null)
        {
            return null;
        }

        var rules = conformance.For(file, header);
        var fileReport = newFileReport(header);
        (string? Provider, string? Account, DateTime Start) lastKey = default;
        foreach (var group in read.Groups)
        {
            report.RowsRead += group.Rows;
            report.RowsValid += group.Rows;
            fileReport.Rows += group.Rows;
            rules.Record(group.Broken, group.Rows, group.FirstLines);
            var totals = TotalsOf(report, group.Row);
            totals.Rows += group.Rows;
            group.AddTo(totals);
            TallyDescription(report, group.Row, group.Rows, ref lastPeriod);
            TallyPeriod(report, group.FirstStart!.Value, group.LastEnd!.Value);
            TallyFile(fileReport, group.Row, ref lastKey);
        }

        if (report.Totals.Values.Any(t => !t.AllFit))
        {
            report.FirstUnfitTotal ??= $"{file}, with the files before it";
        }

        return read.Facts;
    }

    /// <summary>
    /// A Parquet file's header and its groups of rows, read and checked by columns (<see cref="ParquetColumns.TryRead"/>).
    /// </summary>
    private static ColumnarRead ReadByColumns(string file, CancellationToken cancellationToken)
    {
        using var connection = ParquetRecordSource.Connect();
        var columns = ParquetRecordSource.Describe(connection, file);
        var header = FocusHeader.Parse(file, columns.Select(c => c.Name).ToList());
        var types = columns.Select(c => c.Type).ToList();

        // The reading asks the rules which ones each group's first row breaks, and counts nothing: rules bound to a tally
        // of their own, so that a reading ahead touches nothing of the import's; ReadColumns counts the findings.
        var rules = new ConformanceTally().For(file, header);
        var parser = new FocusRowParser(file, header, "row");
        return new ColumnarRead(header, ParquetColumns.TryRead(connection, file, header, types, rules, parser, cancellationToken));
    }

    /// <summary>Reads a file row by row, each valid row into <paramref name="pipeline"/>.</summary>
    private static void ReadRows(
        FocusInput input, FocusImportReport report, Func<FocusHeader, FocusFileReport> newFileReport, RowPipeline pipeline, List<ImportProblem> problems,
        ConformanceTally conformance, bool skipBadRows, ref (DateTime Start, string? Text) lastPeriod, long doneBytes, long totalBytes,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var file = input.Path;
        var bytes = input.Bytes;
        using var source = Open(file, fingerprint: !input.Fingerprinted);
        var header = FocusHeader.Parse(file, source.Header);
        var fileReport = newFileReport(header);
        var parser = new FocusRowParser(file, header, source.LineWord);
        var rules = conformance.For(file, header);
        (string? Provider, string? Account, DateTime Start) lastKey = default;
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
                if (Tally(report, row, ref lastPeriod) is { } unfit && report.FirstUnfitTotal is null)
                {
                    var column = header.Names.ToList().FindIndex(n => string.Equals(n, unfit, StringComparison.OrdinalIgnoreCase)) + 1;
                    report.FirstUnfitTotal = $"{file}: line {source.Line}, column {column} ({unfit})";
                }

                TallyFile(fileReport, row, ref lastKey);
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

        if (source is CsvRecordSource { Sha256: { } sha256 })
        {
            input.Fingerprint(sha256);
        }
    }

    internal static double EstimateFraction(IFocusRecordSource source) =>
        source is IPositioned positioned ? positioned.Fraction : 0.5;

    /// <param name="fingerprint">Have a plain CSV source take the file's SHA-256 as it reads it.</param>
    internal static IFocusRecordSource Open(string file, bool fingerprint = false) =>
        IsParquet(file)
            ? new ParquetRecordSource(file, names => FocusHeader.Parse(file, names).Describes)
            : new CsvRecordSource(file, fingerprint: fingerprint);

    /// <summary>The file names an import reads, by their endings.</summary>
    private sealed class FileNames(IReadOnlyList<string> extensions)
    {
        /// <summary>The endings for messages: ".csv, .csv.gz or .parquet".</summary>
        public string Accepted { get; } =
            extensions.Count == 1 ? extensions[0] : string.Join(", ", extensions.Take(extensions.Count - 1)) + " or " + extensions[^1];

        public bool Match(string path) => extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

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
    /// <returns>The cost column whose total stopped fitting the store with this row, if one did.</returns>
    internal static string? Tally(FocusImportReport report, LineItemRow row, ref (DateTime Start, string? Text) lastPeriod)
    {
        var totals = TotalsOf(report, row);
        totals.Rows++;
        var fitted = totals.AllFit;
        totals.BilledSum.Add(row.Decimals[BilledSlot] ?? 0m);
        totals.EffectiveSum.Add(row.Decimals[EffectiveSlot] ?? 0m);
        totals.ListSum.Add(row.Decimals[ListSlot] ?? 0m);
        totals.ContractedSum.Add(row.Decimals[ContractedSlot] ?? 0m);
        var unfit = fitted && !totals.AllFit
            ? !totals.BilledSum.Fits ? "BilledCost" : !totals.EffectiveSum.Fits ? "EffectiveCost" : !totals.ListSum.Fits ? "ListCost" : "ContractedCost"
            : null;
        TallyDescription(report, row, 1, ref lastPeriod);
        TallyPeriod(report, row.Timestamps[ChargeStartSlot]!.Value, row.Timestamps[ChargeEndSlot]!.Value);
        return unfit;
    }

    /// <summary>The totals of the row's currency, added to the report at its first row.</summary>
    private static CurrencyTotals TotalsOf(FocusImportReport report, LineItemRow row)
    {
        var currency = row.Text[CurrencySlot]!;
        if (!report.Totals.TryGetValue(currency, out var totals))
        {
            report.Totals[currency] = totals = new CurrencyTotals();
        }

        return totals;
    }

    /// <summary>Adds <paramref name="rows"/> rows of <paramref name="row"/>'s description: accounts, providers, charge categories, billing periods.</summary>
    private static void TallyDescription(FocusImportReport report, LineItemRow row, long rows, ref (DateTime Start, string? Text) lastPeriod)
    {
        if (row.Text[AccountSlot] is { } account)
        {
            report.BillingAccounts.Add(account);
        }

        if (row.Text[ProviderSlot] is { } provider)
        {
            report.Providers.Add(provider);
        }

        var category = row.Text[CategorySlot] ?? NoCategory;
        report.ChargeCategories[category] = report.ChargeCategories.GetValueOrDefault(category) + rows;
        var billingStart = row.Timestamps[BillingStartSlot]!.Value;
        if (billingStart != lastPeriod.Start || lastPeriod.Text is null)
        {
            // Formatting the period on every row would dominate a large import; consecutive rows share it.
            lastPeriod = (billingStart, $"{billingStart:yyyy-MM-dd}..{row.Timestamps[BillingEndSlot]!.Value:yyyy-MM-dd}");
        }

        report.BillingPeriods.Add(lastPeriod.Text);
    }

    /// <summary>Widens the report's span of charge periods to take in <paramref name="start"/> to <paramref name="end"/>.</summary>
    private static void TallyPeriod(FocusImportReport report, DateTime start, DateTime end)
    {
        if (report.FirstChargeStart is null || start < report.FirstChargeStart)
        {
            report.FirstChargeStart = start;
        }

        if (report.LastChargeEnd is null || end > report.LastChargeEnd)
        {
            report.LastChargeEnd = end;
        }
    }

    /// <summary>
    /// Which provider, billing account and billing period a file's rows carry (consecutive rows share them, so the set is
    /// touched only when they change), and a fingerprint of its first valid row: what the use case compares across files.
    /// </summary>
    private static void TallyFile(FocusFileReport file, LineItemRow row, ref (string? Provider, string? Account, DateTime Start) last)
    {
        var key = (row.Text[ProviderSlot], row.Text[AccountSlot], row.Timestamps[BillingStartSlot]!.Value);
        if (file.Keys.Count == 0 || !ReferenceEquals(key.Item1, last.Provider) || !ReferenceEquals(key.Item2, last.Account) || key.Value != last.Start)
        {
            file.Keys.Add(key);
            last = key;
        }

        file.FirstRow ??= Fingerprint(row);
    }

    /// <summary>A row's values as one text: two files whose first line items are equal are copies of one export.</summary>
    private static string Fingerprint(LineItemRow row)
    {
        var text = new System.Text.StringBuilder();
        foreach (var value in row.Text)
        {
            text.Append(value).Append('\u001f');
        }

        foreach (var value in row.Decimals)
        {
            // 1.50 and 1.5 are one amount (a CSV and a Parquet copy may write them differently).
            text.Append(value is { } d ? (d / 1.000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture) : null).Append('\u001f');
        }

        foreach (var value in row.Timestamps)
        {
            text.Append(value?.Ticks).Append('\u001f');
        }

        foreach (var map in row.KeyValues)
        {
            for (var i = 0; i < map.Count; i++)
            {
                text.Append(map.Keys[i]).Append('=').Append(map.Values[i]).Append('\u001e');
            }

            text.Append('\u001f');
        }

        return text.ToString();
    }

    /// <summary>
    /// Every total the import records, and every total a report can later take of its rows, must fit the store and be
    /// exact: the sum of absolute values of each cost column per currency below 10^20 (DECIMAL(38,18)), and each total a
    /// <see cref="decimal"/> exactly. Otherwise the import is refused, naming the column and currency.
    /// </summary>
    internal static void CheckTotals(FocusImportReport report)
    {
        foreach (var (currency, totals) in report.Totals)
        {
            foreach (var (column, sum) in new[] { ("BilledCost", totals.BilledSum), ("EffectiveCost", totals.EffectiveSum), ("ListCost", totals.ListSum), ("ContractedCost", totals.ContractedSum) })
            {
                if (!sum.Fits)
                {
                    throw new UserInputException(
                        $"{report.FirstUnfitTotal ?? column}: the {column} amounts in {currency} reach 10^20 or more with this row (counting credits as positive), more than the store's DECIMAL(38,18) can total; no bill is that large, so the file is likely damaged. Nothing was imported.");
                }

                if (!sum.TryToDecimal(out _))
                {
                    throw new UserInputException(
                        $"The {column} total in {currency}, {sum}, has more significant digits than ModelMeter keeps exactly ({Core.Monetary.ExactDecimal.MaxSignificantDigits}): amounts with 18 decimal places and amounts in the billions do not add up exactly. Nothing was imported.");
                }
            }
        }
    }
}

/// <summary>A record source that knows how far through its file it is.</summary>
internal interface IPositioned
{
    double Fraction { get; }
}

/// <summary>
/// A file to import: its size, its fingerprint, and the argument it came from (a folder's files are parts of one export).
/// </summary>
public sealed class FocusInput(string path, long bytes)
{
    private string? _sha256;

    public string Path { get; } = path;

    public long Bytes { get; } = bytes;

    public string Export { get; init; } = path;

    /// <summary>
    /// The SHA-256 of the file's bytes (lower-case hex): the one taken while the file was read, or, asked for before
    /// that, one taken by a pass over the file now. Either way the same digest of the same bytes.
    /// </summary>
    public string Sha256 => _sha256 ??= FocusImporter.Sha256(Path);

    /// <summary>Whether <see cref="Sha256"/> is known without another pass over the file.</summary>
    public bool Fingerprinted => _sha256 is not null;

    /// <summary>Keeps the SHA-256 a reading of the whole file took.</summary>
    internal void Fingerprint(string sha256) => _sha256 ??= sha256;
}

/// <summary>A file found for import and the path argument (file or folder) it came from.</summary>
public sealed record CollectedFile(string Path, string Export);

/// <summary>The files an import reads, and what was skipped on the way (folder links) for the result's warnings.</summary>
public sealed record CollectedInputs(IReadOnlyList<CollectedFile> Files, IReadOnlyList<string> Warnings);
