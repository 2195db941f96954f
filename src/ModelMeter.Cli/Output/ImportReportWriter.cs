using System.Globalization;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>
/// Prints a billing import's outcome and its conformance report (FOCUS files, or a provider's export mapped onto FOCUS):
/// what the files hold and what is wrong with them.
/// </summary>
internal static class ImportReportWriter
{
    private const int ProblemsShown = 20;

    public static void Write<T>(CliContext context, T result, OutputFormat format, bool quiet)
        where T : ILineItemImportDocument
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (format == OutputFormat.Json)
        {
            context.WriteRaw(ModelMeterJson.Serialize(result));
            WriteProblems(context, result);
            return;
        }

        var out_ = context.Out;
        switch (result.Outcome)
        {
            case ImportOutcome.AlreadyImported:
                out_.MarkupLine($"[yellow]Already imported[/] as import #{result.ImportId} on {result.ImportedAt:yyyy-MM-dd HH:mm} UTC (same content); nothing to do.");
                return;
            case ImportOutcome.Imported:
                out_.MarkupLine(
                    $"[green]Imported[/] {result.RowsValid:N0} rows as import #{result.ImportId} into {Markup.Escape(result.Store ?? "")}" +
                    (result.ReplacedRows > 0 ? $"; replaced {result.ReplacedRows:N0} rows of the same billing periods (restated bill)" : "") + ".");
                break;
            case ImportOutcome.DryRun:
                out_.MarkupLine($"[green]Dry run:[/] {result.RowsValid:N0} valid rows; nothing was written.");
                break;
            case ImportOutcome.Refused:
                break;
        }

        if (!quiet || result.Outcome == ImportOutcome.DryRun)
        {
            WriteConformance(context, result);
            if (!RefusedForConformance(result))
            {
                WriteFindings(out_, result);
            }
        }
        else if (result.Conformance.Count > 0 && !RefusedForConformance(result))
        {
            out_.WriteLine(FindingsHeadline(result) + " Run with --dry-run to list them.");
        }

        if (result.Rejects.Count > 0)
        {
            out_.MarkupLine($"[yellow]{result.RowsRejected:N0} rows refused[/] and written with their reasons to {Markup.Escape(string.Join(", ", result.Rejects))}.");
        }

        WriteProblems(context, result);
    }

    private static void WriteConformance(CliContext context, ILineItemImportDocument report)
    {
        var title = report is ImportBillingExportResult export
            ? $"{export.Kind} import report: mapped onto FOCUS {export.FocusVersion} ({export.Mapping})"
            : "FOCUS conformance report";
        var grid = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).HideHeaders();
        grid.AddColumn("What");
        grid.AddColumn("Found");
        switch (report)
        {
            case ImportFocusResult focus:
                foreach (var file in focus.Files)
                {
                    var notes = new List<string> { $"FOCUS {file.FocusVersion}", $"{file.Rows:N0} rows" };
                    if (file.Rejected > 0)
                    {
                        notes.Add($"[red]{file.Rejected:N0} bad[/]");
                    }

                    if (file.CustomColumns.Count > 0)
                    {
                        notes.Add($"kept {file.CustomColumns.Count} x_ columns");
                    }

                    if (file.IgnoredColumns.Count > 0)
                    {
                        notes.Add($"[yellow]ignored non-FOCUS columns: {Markup.Escape(string.Join(", ", file.IgnoredColumns))}[/]");
                    }

                    grid.AddRow(Markup.Escape(Path.GetFileName(file.Path)), string.Join(", ", notes));
                }

                break;
            case ImportBillingExportResult exported:
                foreach (var file in exported.Files)
                {
                    var notes = new List<string> { Markup.Escape(file.Format ?? "not read") };
                    if (file.Dataset is { } dataset)
                    {
                        notes.Add(Markup.Escape(dataset));
                    }

                    notes.Add($"{file.Rows:N0} rows");
                    if (file.Rejected > 0)
                    {
                        notes.Add($"[red]{file.Rejected:N0} bad[/]");
                    }

                    if (file.IgnoredColumns.Count > 0)
                    {
                        notes.Add($"{file.IgnoredColumns.Count:N0} columns not mapped");
                    }

                    grid.AddRow(Markup.Escape(Path.GetFileName(file.Path)), string.Join(", ", notes));
                }

                if (exported.SkippedFiles.Count > 0)
                {
                    grid.AddRow("Not read", $"[yellow]{exported.SkippedFiles.Count:N0} files[/] (earlier report versions, manifest copies: see the warning)");
                }

                break;
        }

        grid.AddRow("Rows", $"{report.RowsRead:N0} read, {report.RowsValid:N0} valid, {report.RowsRejected:N0} refused");
        grid.AddRow("Billing periods", Markup.Escape(string.Join(", ", report.BillingPeriods)));
        if (report.FirstChargeStart is { } first && report.LastChargeEnd is { } last)
        {
            grid.AddRow("Charges", $"{first:yyyy-MM-dd HH:mm} to {last:yyyy-MM-dd HH:mm} UTC");
        }

        grid.AddRow("Providers", Markup.Escape(string.Join(", ", report.Providers)));
        grid.AddRow("Billing accounts", Markup.Escape(string.Join(", ", report.BillingAccounts)));
        grid.AddRow("Charge categories", string.Join(", ", report.ChargeCategories.Select(c => $"{c.Key} {c.Value:N0}")));
        foreach (var (currency, totals) in report.Totals)
        {
            grid.AddRow(
                $"Totals ({currency})",
                $"BilledCost {Formatting.Money(totals.BilledCost, currency)} · EffectiveCost {Formatting.Money(totals.EffectiveCost, currency)} · ListCost {Formatting.Money(totals.ListCost, currency)}");
        }

        if (report is ImportBillingExportResult provider)
        {
            foreach (var total in provider.ProviderTotals)
            {
                grid.AddRow(
                    $"Provider total ({total.Currency})",
                    $"{Formatting.Money(total.Amount, total.Currency)} = {total.Column}, by the provider's rule: {Markup.Escape(total.Rule)}");
            }

            grid.AddRow("Rounding", provider.Rounding.Values == 0
                ? "none (every value fits the store's 18 decimal places)"
                : $"[yellow]{provider.Rounding.Values:N0} value{(provider.Rounding.Values == 1 ? "" : "s")} rounded to 18 decimal places[/] ({Markup.Escape(string.Join(", ", provider.Rounding.Columns))}; see the warning)");
        }

        if (report.Totals.Count > 1)
        {
            grid.AddRow("[yellow]Currencies[/]", "several billing currencies: reports keep them apart and never add them");
        }

        grid.AddRow("Problems", report.ProblemCount == 0 ? "[green]none[/]" : $"[red]{report.ProblemCount:N0}[/]");
        grid.AddRow("FOCUS rules", report.Conformance.Count == 0
            ? "[green]no checked rule broken[/]"
            : $"[yellow]{report.Conformance.Count:N0} broken in {report.RowsWithFindings:N0} rows[/] (listed below)");
        context.Out.Write(grid);
        context.Out.WriteLine();
    }

    /// <summary>On stderr: why the import was refused, and the first problems with their file, line and column.</summary>
    private static void WriteProblems(CliContext context, ILineItemImportDocument result)
    {
        var error = context.Error;
        if (result.Outcome == ImportOutcome.Refused && result.RefusalReason is { } reason)
        {
            error.MarkupLine($"[red]error:[/] {Markup.Escape(reason)}");
            if (RefusedForConformance(result))
            {
                WriteFindingLines(error, result);
                return;
            }
        }

        foreach (var problem in result.Problems.Take(ProblemsShown))
        {
            error.WriteLine("  " + problem);
        }

        if (result.ProblemCount > ProblemsShown)
        {
            error.WriteLine($"  ... and {result.ProblemCount - ProblemsShown:N0} more.");
        }
    }

    /// <summary>Refused by --strict alone: every row readable, some breaking FOCUS rules.</summary>
    private static bool RefusedForConformance(ILineItemImportDocument result) =>
        result is { Outcome: ImportOutcome.Refused, ProblemCount: 0, RowsValid: > 0 } && result.Conformance.Count > 0;

    private static string FindingsHeadline(ILineItemImportDocument result) =>
        $"{result.RowsWithFindings:N0} row{(result.RowsWithFindings == 1 ? "" : "s")} break{(result.RowsWithFindings == 1 ? "s" : "")} " +
        $"{result.Conformance.Count:N0} FOCUS rule{(result.Conformance.Count == 1 ? "" : "s")}.";

    private static void WriteFindings(IAnsiConsole out_, ILineItemImportDocument result)
    {
        if (result.Conformance.Count == 0)
        {
            return;
        }

        out_.WriteLine($"FOCUS conformance: {FindingsHeadline(result)} The rows were imported as written (--strict refuses them):");
        WriteFindingLines(out_, result);
    }

    /// <summary>One finding per rule, as the FOCUS validator lists them: id, columns, rows, the first lines, the requirement.</summary>
    private static void WriteFindingLines(IAnsiConsole console, ILineItemImportDocument result)
    {
        foreach (var finding in result.Conformance)
        {
            var where = string.Join("; ", finding.FirstLines
                .GroupBy(l => l.File, StringComparer.Ordinal)
                .Select(g => $"{Path.GetFileName(g.Key)}: {LineWord(g.Key)}{(g.Count() == 1 ? "" : "s")} {string.Join(", ", g.Select(l => l.Line.ToString(CultureInfo.InvariantCulture)))}"));
            var more = finding.Rows > finding.FirstLines.Count ? ", ..." : "";
            console.WriteLine($"  {finding.Rule} ({string.Join(", ", finding.Columns)}): {finding.Rows:N0} row{(finding.Rows == 1 ? "" : "s")}, {where}{more}");
            console.WriteLine($"      {finding.Message}");
        }
    }

    private static string LineWord(string file) => file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "row" : "line";
}
