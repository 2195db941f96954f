using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Prints an import's outcome and its conformance report: what the files hold and what is wrong with them.</summary>
public static class ImportReportWriter
{
    private const int ProblemsShown = 20;

    public static void Write(CliContext context, ImportFocusResult result, OutputFormat format, bool quiet)
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
        }

        if (result.Rejects.Count > 0)
        {
            out_.MarkupLine($"[yellow]{result.RowsRejected:N0} rows refused[/] and written with their reasons to {Markup.Escape(string.Join(", ", result.Rejects))}.");
        }

        WriteProblems(context, result);
    }

    private static void WriteConformance(CliContext context, ImportFocusResult report)
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
                $"BilledCost {Formatting.Money(totals.BilledCost, currency)} · EffectiveCost {Formatting.Money(totals.EffectiveCost, currency)} · ListCost {Formatting.Money(totals.ListCost, currency)}");
        }

        if (report.Totals.Count > 1)
        {
            grid.AddRow("[yellow]Currencies[/]", "several billing currencies: reports keep them apart and never add them");
        }

        grid.AddRow("Problems", report.ProblemCount == 0 ? "[green]none[/]" : $"[red]{report.ProblemCount:N0}[/]");
        context.Out.Write(grid);
        context.Out.WriteLine();
    }

    /// <summary>On stderr: why the import was refused, and the first problems with their file, line and column.</summary>
    private static void WriteProblems(CliContext context, ImportFocusResult result)
    {
        var error = context.Error;
        if (result.Outcome == ImportOutcome.Refused && result.RefusalReason is { } reason)
        {
            error.MarkupLine($"[red]error:[/] {Markup.Escape(reason)}");
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
}
