using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Attribution;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>
/// Renders <c>report --by hierarchy</c>: the cost tree flattened depth-first, parents before children, each node with
/// its subtotal, share of its parent and share of the total. Machine columns: <c>currency</c>, <c>depth</c>,
/// <c>level</c>, <c>path</c>, <c>value</c>, <c>cost</c>, <c>share_of_parent</c>, <c>share_of_total</c>.
/// </summary>
public static class HierarchyWriter
{
    public static void Write(CliContext context, IReadOnlyList<HierarchyTree> trees, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trees);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteRaw(Json(trees));
                break;
            case OutputFormat.Csv:
                context.WriteRaw(CsvText(trees));
                break;
            case OutputFormat.Markdown:
                context.WriteRaw(Markdown(trees));
                break;
            default:
                WriteTables(context, trees);
                break;
        }
    }

    public static string Json(IReadOnlyList<HierarchyTree> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("levels");
            foreach (var level in (trees.Count > 0 ? trees[0].Levels : []))
            {
                json.WriteStringValue(level);
            }

            json.WriteEndArray();
            json.WriteStartArray("rows");
            foreach (var tree in trees)
            {
                foreach (var row in HierarchyRollup.Flatten(tree))
                {
                    json.WriteStartObject();
                    json.WriteString("currency", row.Currency);
                    json.WriteNumber("depth", row.Depth);
                    json.WriteString("level", row.Level);
                    json.WriteString("path", string.Join(" > ", row.Path));
                    json.WriteString("value", row.Value);
                    json.WriteNumber("cost", row.Amount);
                    WriteShare(json, "share_of_parent", row.ShareOfParent);
                    WriteShare(json, "share_of_total", row.ShareOfTotal);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteStartObject("totals");
            foreach (var tree in trees)
            {
                json.WriteNumber(tree.Currency, tree.Root.Amount);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string CsvText(IReadOnlyList<HierarchyTree> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var text = new StringBuilder(Csv.Line(["currency", "depth", "level", "path", "value", "cost", "share_of_parent", "share_of_total"]));
        foreach (var tree in trees)
        {
            foreach (var row in HierarchyRollup.Flatten(tree))
            {
                text.Append(Csv.Line([row.Currency, row.Depth.ToString(CultureInfo.InvariantCulture), row.Level, string.Join(" > ", row.Path), row.Value,
                    Formatting.Invariant(row.Amount), Ratio(row.ShareOfParent), Ratio(row.ShareOfTotal)]));
            }
        }

        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<HierarchyTree> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var text = new StringBuilder();
        foreach (var tree in trees)
        {
            text.Append(CultureInfo.InvariantCulture, $"**Cost hierarchy ({tree.Currency}): {string.Join(" > ", tree.Levels)}**\n\n");
            text.Append("| Node | Level | Cost | Of parent | Of total |\n| --- | --- | ---: | ---: | ---: |\n");
            foreach (var row in HierarchyRollup.Flatten(tree))
            {
                var indent = string.Concat(Enumerable.Repeat("&nbsp;&nbsp;", row.Depth - 1));
                text.Append(CultureInfo.InvariantCulture,
                    $"| {indent}{Display.MarkdownCell(row.Value)} | {row.Level} | {Formatting.Money(row.Amount, row.Currency)} | {Percent(row.ShareOfParent)} | {Percent(row.ShareOfTotal)} |\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"| **Total** | | **{Formatting.Money(tree.Root.Amount, tree.Currency)}** | | 100.0% |\n\n");
        }

        return text.ToString();
    }

    private static void WriteTables(CliContext context, IReadOnlyList<HierarchyTree> trees)
    {
        if (trees.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        foreach (var tree in trees)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"Cost hierarchy ({tree.Currency}): {string.Join(" > ", tree.Levels)}"))
                .AddColumn("Node").AddColumn("Level")
                .AddColumn(new TableColumn("Cost").RightAligned())
                .AddColumn(new TableColumn("Of parent").RightAligned())
                .AddColumn(new TableColumn("Of total").RightAligned());
            foreach (var row in HierarchyRollup.Flatten(tree))
            {
                var name = new string(' ', (row.Depth - 1) * 2) + row.Value;
                var cell = row.Depth == 1 ? $"[bold]{Markup.Escape(name)}[/]" : row.Value.StartsWith('(') ? $"[grey]{Markup.Escape(name)}[/]" : Markup.Escape(name);
                table.AddRow(cell, Markup.Escape(row.Level), Formatting.Money(row.Amount, row.Currency), Percent(row.ShareOfParent), Percent(row.ShareOfTotal));
            }

            table.AddRow("[bold]Total[/]", "", $"[bold]{Formatting.Money(tree.Root.Amount, tree.Currency)}[/]", "", "100.0%");
            context.Out.Write(table);
            context.Out.WriteLine();
        }
    }

    private static void WriteShare(Utf8JsonWriter json, string name, decimal? share)
    {
        if (share is { } value)
        {
            json.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Ratio(decimal? share) => share is { } value ? Math.Round(value, 6).ToString(CultureInfo.InvariantCulture) : "";

    private static string Percent(decimal? share) => share is { } value ? Formatting.Percent(value) : "";
}
