using System.Globalization;
using System.Text;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders a <see cref="CostReport"/> in every output format. Column names are stable: scripts rely on them.</summary>
internal static class CostTableWriter
{
    public static void Write(CliContext context, CostReport table, OutputFormat format, bool chart, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(table);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteRaw(Json(table));
                break;
            case OutputFormat.Csv:
                context.WriteRaw(CsvText(table));
                break;
            case OutputFormat.Markdown:
                context.WriteRaw(Markdown(table));
                break;
            default:
                WriteTable(context, table, title);
                if (chart)
                {
                    WriteChart(context, table);
                }

                break;
        }
    }

    public static string Json(CostReport table) => ModelMeterJson.Serialize(table);

    public static string CsvText(CostReport table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        var header = new List<string>();
        if (table.Grain is not null)
        {
            header.Add("period");
        }

        header.AddRange(table.Dimensions);
        header.AddRange(["currency", "cost", "share"]);
        text.Append(Csv.Line(header));
        foreach (var line in table.Rows)
        {
            var fields = new List<string>();
            if (line.Period is { } period)
            {
                fields.Add(period);
            }

            fields.AddRange(line.Values);
            fields.Add(line.Currency);
            fields.Add(Formatting.Invariant(line.Cost));
            fields.Add(line.Share.ToString(CultureInfo.InvariantCulture));
            text.Append(Csv.Line(fields));
        }

        return text.ToString();
    }

    public static string Markdown(CostReport table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        var header = new List<string>();
        if (table.Grain is not null)
        {
            header.Add("Period");
        }

        header.AddRange(table.Dimensions);
        header.AddRange([table.Cost, "Currency", "Share"]);
        text.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        text.Append('|').AppendJoin('|', header.Select((_, i) => i >= header.Count - 3 && i != header.Count - 2 ? " ---: " : " --- ")).Append("|\n");
        foreach (var line in table.Rows)
        {
            var cells = new List<string>();
            if (line.Period is { } period)
            {
                cells.Add(period);
            }

            cells.AddRange(line.Values.Select(Display.MarkdownCell));
            cells.Add(Formatting.Money(line.Cost, line.Currency));
            cells.Add(line.Currency);
            cells.Add(Formatting.Percent(line.Share));
            text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        foreach (var (currency, total) in table.Totals)
        {
            var cells = Enumerable.Repeat("", header.Count - 3).ToList();
            if (cells.Count > 0)
            {
                cells[0] = "**Total**";
            }

            cells.Add($"**{Formatting.Money(total, currency)}**");
            cells.Add(currency);
            cells.Add("100.0%");
            text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        return text.ToString();
    }

    private static void WriteTable(CliContext context, CostReport table, string? title)
    {
        var grid = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            grid.Title(title);
        }

        if (table.Grain is not null)
        {
            grid.AddColumn("Period");
        }

        foreach (var dimension in table.Dimensions)
        {
            grid.AddColumn(Markup.Escape(dimension));
        }

        var currencies = table.Totals.Keys.ToList();
        var single = currencies.Count == 1 ? currencies[0] : null;
        grid.AddColumn(new TableColumn(Markup.Escape(table.Cost + (single is null ? "" : $" ({single})"))).RightAligned());
        if (single is null)
        {
            grid.AddColumn("Currency");
        }

        grid.AddColumn(new TableColumn("Share").RightAligned());
        foreach (var line in table.Rows)
        {
            var cells = new List<string>();
            if (line.Period is { } period)
            {
                cells.Add(period);
            }

            cells.AddRange(line.Values.Select(v => v.StartsWith('(') ? $"[grey]{Markup.Escape(v)}[/]" : Markup.Escape(v)));
            cells.Add(Formatting.Money(line.Cost, line.Currency));
            if (single is null)
            {
                cells.Add(line.Currency);
            }

            cells.Add(Formatting.Percent(line.Share));
            grid.AddRow(cells.ToArray());
        }

        foreach (var (currency, total) in table.Totals)
        {
            var cells = Enumerable.Repeat("", (table.Grain is null ? 0 : 1) + table.Dimensions.Count).ToList();
            if (cells.Count > 0)
            {
                cells[0] = "[bold]Total[/]";
            }

            cells.Add($"[bold]{Formatting.Money(total, currency)}[/]");
            if (single is null)
            {
                cells.Add(currency);
            }

            cells.Add("100.0%");
            grid.AddRow(cells.ToArray());
        }

        if (table.Rows.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        context.Out.Write(grid);
        context.Out.WriteLine();
    }

    /// <summary>A bar per group; for a time series, a bar per period (the trend), per currency.</summary>
    public static void WriteChart(CliContext context, CostReport table)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(table);
        foreach (var currency in table.Totals.Keys)
        {
            var bars = table.Grain is null
                ? table.Rows.Where(l => l.Currency == currency).Select(l => (Label: string.Join(" / ", l.Values), l.Cost))
                : table.Rows.Where(l => l.Currency == currency).GroupBy(l => l.Period!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (Label: g.Key, Cost: g.Sum(l => l.Cost)));
            var chart = new BarChart()
                .Width(Math.Min(100, context.Out.Profile.Width))
                .Label($"[bold]{table.Cost} ({currency})[/]")
                .ShowValues();
            var colors = new[] { Color.SteelBlue1, Color.Orange1, Color.SeaGreen2, Color.MediumPurple1, Color.Gold1, Color.IndianRed1 };
            var index = 0;
            foreach (var (label, cost) in bars.Take(62))
            {
                chart.AddItem(Markup.Escape(label.Length > 40 ? label[..37] + "..." : label), (double)Math.Round(cost, 2), table.Grain is null ? colors[index++ % colors.Length] : Color.SteelBlue1);
            }

            context.Out.Write(chart);
            context.Out.WriteLine();
        }
    }
}
