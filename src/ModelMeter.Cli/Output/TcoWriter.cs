using System.Globalization;
using System.Text;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders a <see cref="TcoReport"/>: a column per TCO column with its share, a total, a totals row per currency.</summary>
internal static class TcoWriter
{
    public static void Write(CliContext context, TcoReport report, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteRaw(ModelMeterJson.Serialize(report));
                break;
            case OutputFormat.Csv:
                context.WriteRaw(CsvText(report));
                break;
            case OutputFormat.Markdown:
                context.WriteRaw(Markdown(report));
                break;
            default:
                WriteTable(context, report);
                break;
        }
    }

    private static string Title(string column) => column.Replace('_', ' ');

    private static string CsvText(TcoReport report)
    {
        var text = new StringBuilder();
        text.Append(Csv.Line([.. report.Dimensions, "currency", .. report.Columns, "total", .. report.Columns.Select(c => c + "_share")]));
        foreach (var row in report.Rows)
        {
            text.Append(Csv.Line([
                .. row.Values, row.Currency, .. report.Columns.Select(c => Formatting.Invariant(row.Amounts[c])), Formatting.Invariant(row.Total),
                .. report.Columns.Select(c => row.Shares[c].ToString(CultureInfo.InvariantCulture)),
            ]));
        }

        return text.ToString();
    }

    private static string Markdown(TcoReport report)
    {
        var text = new StringBuilder();
        var header = report.Dimensions.Concat(["Currency"]).Concat(report.Columns.Select(Title)).Append("Total").ToList();
        text.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        text.Append('|').AppendJoin('|', header.Select((_, i) => i <= report.Dimensions.Count ? " --- " : " ---: ")).Append("|\n");
        foreach (var row in report.Rows)
        {
            var cells = row.Values.Select(Display.MarkdownCell).Append(row.Currency)
                .Concat(report.Columns.Select(c => Cell(row.Amounts[c], row.Shares[c], row.Currency)))
                .Append(Formatting.Money(row.Total, row.Currency));
            text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        foreach (var (currency, totals) in report.Totals)
        {
            var cells = Enumerable.Repeat("", report.Dimensions.Count).ToList();
            if (cells.Count > 0)
            {
                cells[0] = "**Total**";
            }

            cells.Add(currency);
            cells.AddRange(report.Columns.Select(c => $"**{Formatting.Money(totals[c], currency)}**"));
            cells.Add($"**{Formatting.Money(totals["total"], currency)}**");
            text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        return text.ToString();
    }

    private static string Cell(decimal amount, decimal share, string currency) =>
        amount == 0m ? "-" : $"{Formatting.Money(amount, currency)} ({Formatting.Percent(share)})";

    private static void WriteTable(CliContext context, TcoReport report)
    {
        if (report.Rows.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus` and `modelmeter import costs`.");
            return;
        }

        var grid = new Table().Border(TableBorder.Rounded);
        foreach (var dimension in report.Dimensions)
        {
            grid.AddColumn(Markup.Escape(dimension));
        }

        grid.AddColumn("Currency");
        foreach (var column in report.Columns)
        {
            grid.AddColumn(new TableColumn(Markup.Escape(Title(column))).RightAligned());
        }

        grid.AddColumn(new TableColumn("Total").RightAligned());
        foreach (var row in report.Rows)
        {
            var cells = row.Values.Select(v => v.StartsWith('(') ? $"[grey]{Markup.Escape(v)}[/]" : Markup.Escape(v)).Append(row.Currency)
                .Concat(report.Columns.Select(c => Markup.Escape(Cell(row.Amounts[c], row.Shares[c], row.Currency))))
                .Append(Formatting.Money(row.Total, row.Currency));
            grid.AddRow(cells.ToArray());
        }

        foreach (var (currency, totals) in report.Totals)
        {
            var cells = Enumerable.Repeat("", report.Dimensions.Count).ToList();
            if (cells.Count > 0)
            {
                cells[0] = "[bold]Total[/]";
            }

            cells.Add(currency);
            cells.AddRange(report.Columns.Select(c => $"[bold]{Formatting.Money(totals[c], currency)}[/]"));
            cells.Add($"[bold]{Formatting.Money(totals["total"], currency)}[/]");
            grid.AddRow(cells.ToArray());
        }

        context.Out.Write(grid);
        context.Out.WriteLine();
    }
}
