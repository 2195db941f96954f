using System.Globalization;
using System.Text;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Contracts;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>
/// Renders <c>report --by hierarchy</c>: the cost tree flattened depth-first, parents before children, each node with
/// its subtotal, share of its parent and share of the total. Machine columns: <c>currency</c>, <c>depth</c>,
/// <c>level</c>, <c>path</c>, <c>value</c>, <c>cost</c>, <c>share_of_parent</c>, <c>share_of_total</c>.
/// </summary>
internal static class HierarchyWriter
{
    public static void Write(CliContext context, HierarchyReport report, OutputFormat format)
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
                WriteTables(context, report);
                break;
        }
    }

    public static string CsvText(HierarchyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder(Csv.Line(["currency", "depth", "level", "path", "value", "cost", "share_of_parent", "share_of_total"]));
        foreach (var row in report.Rows)
        {
            text.Append(Csv.Line([row.Currency, row.Depth.ToString(CultureInfo.InvariantCulture), row.Level, row.Path, row.Value,
                Formatting.Invariant(row.Cost), Ratio(row.ShareOfParent), Ratio(row.ShareOfTotal)]));
        }

        return text.ToString();
    }

    public static string Markdown(HierarchyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        foreach (var (currency, total) in report.Totals)
        {
            text.Append(CultureInfo.InvariantCulture, $"**Cost hierarchy ({currency}): {string.Join(" > ", report.Levels)}**\n\n");
            text.Append("| Node | Level | Cost | Of parent | Of total |\n| --- | --- | ---: | ---: | ---: |\n");
            foreach (var row in report.Rows.Where(r => r.Currency == currency))
            {
                var indent = string.Concat(Enumerable.Repeat("&nbsp;&nbsp;", row.Depth - 1));
                text.Append(CultureInfo.InvariantCulture,
                    $"| {indent}{Display.MarkdownCell(row.Value)} | {row.Level} | {Formatting.Money(row.Cost, row.Currency)} | {Percent(row.ShareOfParent)} | {Percent(row.ShareOfTotal)} |\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"| **Total** | | **{Formatting.Money(total, currency)}** | | 100.0% |\n\n");
        }

        return text.ToString();
    }

    private static void WriteTables(CliContext context, HierarchyReport report)
    {
        if (report.Totals.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        foreach (var (currency, total) in report.Totals)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"Cost hierarchy ({currency}): {string.Join(" > ", report.Levels)}"))
                .AddColumn("Node").AddColumn("Level")
                .AddColumn(new TableColumn("Cost").RightAligned())
                .AddColumn(new TableColumn("Of parent").RightAligned())
                .AddColumn(new TableColumn("Of total").RightAligned());
            foreach (var row in report.Rows.Where(r => r.Currency == currency))
            {
                var name = new string(' ', (row.Depth - 1) * 2) + row.Value;
                var cell = row.Depth == 1 ? $"[bold]{Markup.Escape(name)}[/]" : row.Value.StartsWith('(') ? $"[grey]{Markup.Escape(name)}[/]" : Markup.Escape(name);
                table.AddRow(cell, Markup.Escape(row.Level), Formatting.Money(row.Cost, row.Currency), Percent(row.ShareOfParent), Percent(row.ShareOfTotal));
            }

            table.AddRow("[bold]Total[/]", "", $"[bold]{Formatting.Money(total, currency)}[/]", "", "100.0%");
            context.Out.Write(table);
            context.Out.WriteLine();
        }
    }

    private static string Ratio(decimal? share) => share is { } value ? value.ToString(CultureInfo.InvariantCulture) : "";

    private static string Percent(decimal? share) => share is { } value ? Formatting.Percent(value) : "";
}
