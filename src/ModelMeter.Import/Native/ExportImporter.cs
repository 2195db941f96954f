using System.Globalization;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Native;

/// <summary>
/// Reads a provider's own billing export (<see cref="ExportFormat"/>), maps every row onto a FOCUS line item, validates
/// it, checks the mapped rows against the FOCUS rules as the FOCUS import does, and streams the valid ones into a sink.
/// Like <see cref="FocusImporter"/> it never writes partial data on its own: the caller commits only when the report
/// says so. Inputs are found and fingerprinted by <see cref="FocusImporter.ExpandInputs(IEnumerable{string}, IReadOnlyList{string})"/>
/// and <see cref="FocusImporter.Inspect"/>, and files are read by the same CSV, gzip and Parquet sources.
/// </summary>
public static class ExportImporter
{
    /// <summary>The FOCUS version mapped rows follow, and whose rules check them.</summary>
    public const string FocusVersion = MappedRows.FocusVersion;

    /// <summary>The export's files among the paths (files or folders), in reading order, and the files left out with why.</summary>
    public static (IReadOnlyList<string> DataFiles, IReadOnlyList<SkippedFile> Skipped) Plan(ExportFormat format, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(format);
        var plan = format.Plan(FocusImporter.ExpandInputs(paths, format.Extensions));
        return (plan.DataFiles, plan.Skipped);
    }

    /// <summary>
    /// Reads every file. Valid rows go to <paramref name="sink"/> only while the import can still succeed: without
    /// <paramref name="skipBadRows"/> the first bad row stops the writing (the caller rolls back) but reading goes on,
    /// so the report lists every problem at once.
    /// </summary>
    public static ExportImportReport Read(
        ExportFormat format,
        IReadOnlyList<FocusInput> files,
        IReadOnlyList<SkippedFile> skipped,
        ILineItemSink sink,
        bool skipBadRows,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(sink);
        var report = new ExportImportReport(format);
        report.Skipped.AddRange(skipped);
        var rows = report.Rows;
        var totalBytes = Math.Max(1, files.Sum(f => f.Bytes));
        long doneBytes = 0;
        var problems = new List<ImportProblem>();
        var conformance = new ConformanceTally();
        var providerTotals = new Dictionary<(string Currency, string Column), (decimal Amount, long Rows)>();
        (DateTime Start, string? Text) lastPeriod = default;
        using var pipeline = new RowPipeline(sink);
        foreach (var input in files)
        {
            using var source = format.Open(input.Path);
            var mapper = format.CreateMapper(input.Path, source);
            var fileReport = new ExportFileReport(input.Path, input.Sha256, input.Bytes) { Format = mapper.Format };
            report.Files.Add(fileReport);
            var rules = conformance.For(input.Path, MappedRows.Header(input.Path));
            var view = new MappedRowView { LineWord = source.LineWord };
            var sums = new FileSums();
            while (source.Read())
            {
                rows.RowsRead++;
                fileReport.Rows++;
                problems.Clear();
                var row = pipeline.Current;
                if (mapper.Map(source, row, problems))
                {
                    rows.RowsValid++;
                    view.Bind(row, source.Line);
                    rules.Check(view, row, view.Nulls);
                    if (FocusImporter.Tally(rows, row, ref lastPeriod) is { } unfit && rows.FirstUnfitTotal is null)
                    {
                        rows.FirstUnfitTotal = $"{input.Path}: line {source.Line} ({unfit})";
                    }
                    sums.Add(row, mapper, report.Rounding);
                    if (skipBadRows || rows.ProblemCount == 0)
                    {
                        pipeline.Accept();
                    }
                }
                else
                {
                    fileReport.Rejected++;
                    Reject(rows, source, input.Path, problems, skipBadRows);
                }

                if ((rows.RowsRead & 0x3FFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report((doneBytes + (input.Bytes * Math.Min(1.0, FocusImporter.EstimateFraction(source)))) / totalBytes);
                }
            }

            fileReport.Dataset = mapper.Dataset;
            fileReport.IgnoredColumns = mapper.IgnoredColumns;
            if (fileReport.Rows == 0)
            {
                report.Notes.Add($"{Path.GetFileName(input.Path)} holds only a header line: no line items.");
            }

            if (mapper.Complete() is { } refusal)
            {
                report.FileRefusals.Add(refusal);
            }
            else
            {
                report.Notes.AddRange(mapper.Notes);
                sums.CheckAndAdd(mapper, providerTotals);
            }
            doneBytes += input.Bytes;
            progress?.Report((double)doneBytes / totalBytes);
        }

        pipeline.Complete();
        FocusImporter.CheckTotals(rows);
        rows.Conformance = conformance.Findings();
        rows.RowsWithFindings = conformance.RowsWithFindings;
        report.ProviderTotals.AddRange(providerTotals
            .OrderBy(t => t.Key.Currency, StringComparer.Ordinal).ThenBy(t => t.Key.Column, StringComparer.Ordinal)
            .Select(t => new ProviderTotal(t.Key.Currency, t.Key.Column, t.Value.Amount, t.Value.Rows)));
        return report;
    }

    private static void Reject(FocusImportReport rows, IFocusRecordSource source, string file, List<ImportProblem> problems, bool skipBadRows)
    {
        rows.ProblemCount += problems.Count;
        foreach (var problem in problems)
        {
            if (rows.Problems.Count < FocusImporter.MaxProblemsKept)
            {
                rows.Problems.Add(problem);
            }
        }

        if (skipBadRows)
        {
            var fields = new string[source.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = new string(source[i]);
            }

            rows.Rejected.Add(new RejectedRow(file, source.Line, source.Header, fields, string.Join("; ", problems.Select(p => p.ToString()))));
        }
    }

    /// <summary>
    /// One file's sums per currency: the provider's amounts, and the mapped BilledCost and EffectiveCost, so that the
    /// provider's total can be checked against the column it should have become, digit for digit.
    /// </summary>
    private sealed class FileSums
    {
        private readonly Dictionary<string, (decimal Provider, decimal Billed, decimal Effective, long Rows)> _byCurrency = new(StringComparer.Ordinal);

        public void Add(LineItemRow row, ExportMapper mapper, RoundingReport rounding)
        {
            var currency = row.Text[FocusSlots.BillingCurrency]!;
            var sums = _byCurrency.GetValueOrDefault(currency);
            _byCurrency[currency] = (
                sums.Provider + mapper.ProviderAmount,
                sums.Billed + (row.Decimals[FocusSlots.BilledCost] ?? 0m),
                sums.Effective + (row.Decimals[FocusSlots.EffectiveCost] ?? 0m),
                sums.Rows + 1);
            if (mapper.RowRounded == 0)
            {
                return;
            }

            rounding.Values += mapper.RowRounded;
            rounding.Columns.UnionWith(mapper.RoundedColumns);
            rounding.LargestChange = Math.Max(rounding.LargestChange, mapper.RowLargestChange);
            rounding.BilledCostChange[currency] = rounding.BilledCostChange.GetValueOrDefault(currency) + mapper.RowBilledChange;
            rounding.EffectiveCostChange[currency] = rounding.EffectiveCostChange.GetValueOrDefault(currency) + mapper.RowEffectiveChange;
        }

        /// <summary>
        /// The mapping must not lose or invent money: the file's provider total equals the column it maps to. A difference
        /// is a defect of the mapping, never of the file, so it stops the import rather than being reported as a finding.
        /// </summary>
        public void CheckAndAdd(ExportMapper mapper, Dictionary<(string Currency, string Column), (decimal Amount, long Rows)> totals)
        {
            var column = mapper.ProviderColumn;
            foreach (var (currency, sums) in _byCurrency)
            {
                var mapped = column == "EffectiveCost" ? sums.Effective : sums.Billed;
                if (mapped != sums.Provider)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"{Path.GetFileName(mapper.File)}: the mapped {column} ({mapped} {currency}) differs from the provider's total ({sums.Provider} {currency}); nothing was imported."));
                }

                var key = (currency, column);
                var total = totals.GetValueOrDefault(key);
                totals[key] = (total.Amount + sums.Provider, total.Rows + sums.Rows);
            }
        }
    }
}
