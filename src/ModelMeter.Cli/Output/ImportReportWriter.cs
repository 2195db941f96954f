using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMeter.Cli.Commands;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Prints an import's outcome and its conformance report: what the files hold and what is wrong with them.</summary>
public static class ImportReportWriter
{
    private const int ProblemsShown = 20;

    public static void Write(CliContext context, ImportResult result, OutputFormat format, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (format == OutputFormat.Json)
        {
            context.WriteRaw(Json(result));
            WriteProblems(context, result);
            return;
        }

        var out_ = context.Out;
        var report = result.Report;
        switch (result.Outcome)
        {
            case ImportOutcome.AlreadyImported:
                out_.MarkupLine($"[yellow]Already imported[/] as import #{result.Record!.ImportId} on {result.Record.ImportedAt:yyyy-MM-dd HH:mm} UTC (same content); nothing to do.");
                return;
            case ImportOutcome.Imported:
                var record = result.Record!;
                out_.MarkupLine(
                    $"[green]Imported[/] {report!.RowsValid:N0} rows as import #{record.ImportId} into {Markup.Escape(result.StorePath ?? "")}" +
                    (record.ReplacedRows > 0 ? $"; replaced {record.ReplacedRows:N0} rows of the same billing periods (restated bill)" : "") + ".");
                break;
            case ImportOutcome.DryRun:
                out_.MarkupLine($"[green]Dry run:[/] {report!.RowsValid:N0} valid rows; nothing was written.");
                break;
            case ImportOutcome.Refused:
                break;
        }

        if (report is null)
        {
            return;
        }

        if (!quiet || result.Outcome == ImportOutcome.DryRun)
        {
            WriteConformance(context, report);
            if (!RefusedForConformance(result))
            {
                WriteFindings(out_, report);
            }
        }
        else if (report.Conformance.Count > 0 && !RefusedForConformance(result))
        {
            out_.WriteLine(FindingsHeadline(report) + " Run with --dry-run to list them.");
        }

        if (result.RejectsPaths.Count > 0)
        {
            out_.MarkupLine($"[yellow]{report.RowsRejected:N0} rows refused[/] and written with their reasons to {Markup.Escape(string.Join(", ", result.RejectsPaths))}.");
        }

        WriteProblems(context, result);
    }
    private static void WriteConformance(CliContext context, Import.Focus.FocusImportReport report)
    {
        var grid = new Table().Border(TableBorder.Rounded).Title("FOCUS conformance report").HideHeaders();
        grid.AddColumn("What");
        grid.AddColumn("Found");
        foreach (var file in report.Files)
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
                $"BilledCost {Formatting.Money(totals.Billed, currency)} · EffectiveCost {Formatting.Money(totals.Effective, currency)} · ListCost {Formatting.Money(totals.List, currency)}");
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
    private static void WriteProblems(CliContext context, ImportResult result)
    {
        var report = result.Report;
        if (report is null)
        {
            return;
        }

        var error = context.Error;
        var refused = result.Outcome == ImportOutcome.Refused;
        if (refused && report.RowsValid == 0 && report.ProblemCount == 0)
        {
            error.MarkupLine("[red]error:[/] the files hold no line items; nothing was imported.");
            return;
        }

        if (RefusedForConformance(result))
        {
            error.MarkupLine(
                $"[red]error:[/] --strict: {Markup.Escape(FindingsHeadline(report))} Nothing was imported and the store is unchanged. " +
                "Import without --strict to keep those rows as written.");
            WriteFindingLines(error, report);
            return;
        }

        if (report.ProblemCount == 0)
        {
            return;
        }

        if (refused)
        {
            error.MarkupLine(
                $"[red]error:[/] {report.ProblemCount:N0} problem{(report.ProblemCount == 1 ? "" : "s")} in {report.RowsRejected:N0} row{(report.RowsRejected == 1 ? "" : "s")}; " +
                "nothing was imported and the store is unchanged. Fix the file, or import the valid rows with --skip-bad-rows.");
        }

        foreach (var problem in report.Problems.Take(ProblemsShown))
        {
            error.WriteLine("  " + problem);
        }

        if (report.ProblemCount > ProblemsShown)
        {
            error.WriteLine($"  ... and {report.ProblemCount - ProblemsShown:N0} more.");
        }
    }
    /// <summary>Refused by --strict alone: every row readable, some breaking FOCUS rules.</summary>
    private static bool RefusedForConformance(ImportResult result) =>
        result is { Outcome: ImportOutcome.Refused, Report: { ProblemCount: 0, RowsValid: > 0 } report } && report.Conformance.Count > 0;

    private static string FindingsHeadline(Import.Focus.FocusImportReport report) =>
        $"{report.RowsWithFindings:N0} row{(report.RowsWithFindings == 1 ? "" : "s")} break{(report.RowsWithFindings == 1 ? "s" : "")} " +
        $"{report.Conformance.Count:N0} FOCUS rule{(report.Conformance.Count == 1 ? "" : "s")}.";

    private static void WriteFindings(IAnsiConsole out_, Import.Focus.FocusImportReport report)
    {
        if (report.Conformance.Count == 0)
        {
            return;
        }

        out_.WriteLine($"FOCUS conformance: {FindingsHeadline(report)} The rows were imported as written (--strict refuses them):");
        WriteFindingLines(out_, report);
    }

    /// <summary>One finding per rule, as the FOCUS validator lists them: id, columns, rows, the first lines, the requirement.</summary>
    private static void WriteFindingLines(IAnsiConsole console, Import.Focus.FocusImportReport report)
    {
        foreach (var finding in report.Conformance)
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

    public static string Json(ImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("outcome", result.Outcome.ToString().ToLowerInvariant());
            if (result.Record is { } record)
            {
                json.WriteNumber("importId", record.ImportId);
                json.WriteNumber("replacedRows", record.ReplacedRows);
            }

            if (result.Report is { } report)
            {
                json.WriteNumber("rowsRead", report.RowsRead);
                json.WriteNumber("rowsValid", report.RowsValid);
                json.WriteNumber("rowsRejected", report.RowsRejected);
                json.WriteStartArray("files");
                foreach (var file in report.Files)
                {
                    json.WriteStartObject();
                    json.WriteString("path", file.Path);
                    json.WriteString("sha256", file.Sha256);
                    json.WriteString("focusVersion", file.FocusVersion);
                    json.WriteNumber("rows", file.Rows);
                    json.WriteNumber("rejected", file.Rejected);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                WriteStrings(json, "billingPeriods", report.BillingPeriods);
                WriteStrings(json, "billingAccounts", report.BillingAccounts);
                WriteStrings(json, "providers", report.Providers);
                json.WriteStartObject("totals");
                foreach (var (currency, totals) in report.Totals)
                {
                    json.WriteStartObject(currency);
                    json.WriteNumber("BilledCost", totals.Billed);
                    json.WriteNumber("EffectiveCost", totals.Effective);
                    json.WriteNumber("ListCost", totals.List);
                    json.WriteNumber("ContractedCost", totals.Contracted);
                    json.WriteNumber("rows", totals.Rows);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteNumber("problemCount", report.ProblemCount);
                json.WriteStartArray("problems");
                foreach (var problem in report.Problems)
                {
                    json.WriteStartObject();
                    json.WriteString("file", problem.File);
                    json.WriteNumber("line", problem.Line);
                    json.WriteNumber("column", problem.Column);
                    json.WriteString("columnName", problem.ColumnName);
                    json.WriteString("value", problem.Value);
                    json.WriteString("message", problem.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteNumber("rowsWithFindings", report.RowsWithFindings);
                json.WritePropertyName("conformance");
                JsonSerializer.Serialize(json, report.Conformance, Display.Json);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
