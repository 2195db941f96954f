using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Allocation;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>
/// Renders showback/chargeback statements (per target: direct, shared by rule, idle, unallocated, total) and the
/// <c>allocate --explain</c> listing. Column names are stable: <c>direct</c>, <c>shared:RULE</c>, <c>idle</c>,
/// <c>unallocated</c>, <c>total</c>, <c>share</c>.
/// </summary>
public static class AllocationWriter
{
    public static void WriteStatements(CliContext context, IReadOnlyList<Statement> statements, OutputFormat format, IReadOnlyDictionary<string, decimal> billed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(billed);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteRaw(Json(statements, billed));
                break;
            case OutputFormat.Csv:
                context.WriteRaw(CsvText(statements));
                break;
            case OutputFormat.Markdown:
                context.WriteRaw(Markdown(statements));
                break;
            default:
                WriteTables(context, statements);
                break;
        }
    }

    public static string Json(IReadOnlyList<Statement> statements, IReadOnlyDictionary<string, decimal> billed)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(billed);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("dimension", (statements.Count > 0 ? statements[0].Dimension : null));
            json.WriteStartArray("statements");
            foreach (var statement in statements)
            {
                json.WriteStartObject();
                json.WriteString("currency", statement.Currency);
                json.WriteStartArray("rules");
                foreach (var rule in statement.Rules)
                {
                    json.WriteStringValue(rule);
                }

                json.WriteEndArray();
                json.WriteStartArray("lines");
                foreach (var line in statement.Lines)
                {
                    json.WriteStartObject();
                    json.WriteString(statement.Dimension, line.Target);
                    json.WriteNumber("direct", line.Direct);
                    json.WriteStartObject("shared");
                    foreach (var (rule, amount) in line.SharedByRule)
                    {
                        json.WriteNumber(rule, amount);
                    }

                    json.WriteEndObject();
                    json.WriteNumber("idle", line.Idle);
                    json.WriteNumber("unallocated", line.Unallocated);
                    json.WriteNumber("total", line.Total);
                    json.WriteNumber("share", Math.Round(Share(line.Total, statement.Total), 6));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteNumber("total", statement.Total);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("totals");
            foreach (var statement in statements)
            {
                json.WriteNumber(statement.Currency, statement.Total);
            }

            json.WriteEndObject();
            json.WriteStartObject("billed_totals");
            foreach (var (currency, total) in billed.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(currency, total);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string CsvText(IReadOnlyList<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var text = new StringBuilder();
        var rules = statements.SelectMany(s => s.Rules).Distinct(StringComparer.Ordinal).ToList();
        var header = new List<string> { (statements.Count > 0 ? statements[0].Dimension : null) ?? "target", "currency", "direct" };
        header.AddRange(rules.Select(r => "shared:" + r));
        header.AddRange(["idle", "unallocated", "total", "share"]);
        text.Append(Csv.Line(header));
        foreach (var statement in statements)
        {
            foreach (var line in statement.Lines)
            {
                var fields = new List<string> { line.Target, statement.Currency, Formatting.Invariant(line.Direct) };
                fields.AddRange(rules.Select(r => Formatting.Invariant(line.SharedByRule.GetValueOrDefault(r))));
                fields.AddRange([Formatting.Invariant(line.Idle), Formatting.Invariant(line.Unallocated), Formatting.Invariant(line.Total),
                    Math.Round(Share(line.Total, statement.Total), 6).ToString(CultureInfo.InvariantCulture)]);
                text.Append(Csv.Line(fields));
            }
        }

        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var text = new StringBuilder();
        foreach (var statement in statements)
        {
            var header = Header(statement);
            text.Append(CultureInfo.InvariantCulture, $"**Showback by {statement.Dimension} ({statement.Currency})**\n\n");
            text.Append("| ").AppendJoin(" | ", header).Append(" |\n");
            text.Append("| --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", header.Count - 1))).Append('\n');
            foreach (var line in statement.Lines)
            {
                text.Append("| ").AppendJoin(" | ", Cells(statement, line).Select(Display.MarkdownCell)).Append(" |\n");
            }

            text.Append("| ").AppendJoin(" | ", TotalCells(statement).Select(c => c.Length == 0 ? c : $"**{c}**")).Append(" |\n\n");
        }

        return text.ToString();
    }

    private static void WriteTables(CliContext context, IReadOnlyList<Statement> statements)
    {
        if (statements.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        foreach (var statement in statements)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Showback by {statement.Dimension} ({statement.Currency})"));
            var header = Header(statement);
            table.AddColumn(Markup.Escape(header[0]));
            foreach (var column in header.Skip(1))
            {
                table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
            }

            foreach (var line in statement.Lines)
            {
                var cells = Cells(statement, line).Select(Markup.Escape).ToArray();
                if (line.Target.StartsWith('('))
                {
                    cells[0] = $"[grey]{cells[0]}[/]";
                }

                table.AddRow(cells);
            }

            table.AddRow(TotalCells(statement).Select(c => c.Length == 0 ? c : $"[bold]{Markup.Escape(c)}[/]").ToArray());
            context.Out.Write(table);
            context.Out.WriteLine();
        }
    }

    private static List<string> Header(Statement statement)
    {
        var header = new List<string> { statement.Dimension, "Direct" };
        header.AddRange(statement.Rules.Select(r => $"Shared: {r}"));
        header.AddRange(["Idle", "Unallocated", "Total", "Share"]);
        return header;
    }

    private static List<string> Cells(Statement statement, StatementLine line)
    {
        var currency = statement.Currency;
        var cells = new List<string> { line.Target, Formatting.Money(line.Direct, currency) };
        cells.AddRange(statement.Rules.Select(r => Formatting.Money(line.SharedByRule.GetValueOrDefault(r), currency)));
        cells.AddRange([Formatting.Money(line.Idle, currency), Formatting.Money(line.Unallocated, currency), Formatting.Money(line.Total, currency),
            Formatting.Percent(Share(line.Total, statement.Total))]);
        return cells;
    }

    private static List<string> TotalCells(Statement statement)
    {
        var currency = statement.Currency;
        var cells = new List<string> { "Total", Formatting.Money(statement.Lines.Sum(l => l.Direct), currency) };
        cells.AddRange(statement.Rules.Select(r => Formatting.Money(statement.Lines.Sum(l => l.SharedByRule.GetValueOrDefault(r)), currency)));
        cells.AddRange([Formatting.Money(statement.Lines.Sum(l => l.Idle), currency), Formatting.Money(statement.Lines.Sum(l => l.Unallocated), currency),
            Formatting.Money(statement.Total, currency), "100.0%"]);
        return cells;
    }

    private static decimal Share(decimal amount, decimal total) => total == 0m ? 0m : amount / total;

    /// <summary>
    /// <c>allocate --explain</c>: what one target received. Direct cost is summed per currency (it is the target's own
    /// bill); every shared, idle and unallocated amount is listed with its rule, pool, driver value and share.
    /// </summary>
    public static void WriteExplanation(CliContext context, string target, IReadOnlyList<AllocatedLine> lines, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lines);
        var direct = lines.Where(l => l.Kind == AllocationKind.Direct).GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Currency: g.Key, Amount: g.Sum(l => l.Amount), Lines: g.Count())).ToList();
        var received = lines.Where(l => l.Kind != AllocationKind.Direct).ToList();
        var totals = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (Currency: g.Key, Amount: g.Sum(l => l.Amount))).ToList();
        if (format == OutputFormat.Json)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("target", target);
                json.WriteStartObject("direct");
                foreach (var (currency, amount, _) in direct)
                {
                    json.WriteNumber(currency, amount);
                }

                json.WriteEndObject();
                json.WriteStartArray("received");
                foreach (var line in received)
                {
                    json.WriteStartObject();
                    json.WriteString("period", line.Period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    json.WriteString("kind", line.Kind.ToString().ToLowerInvariant());
                    json.WriteString("rule", line.Rule);
                    json.WriteString("currency", line.Currency);
                    json.WriteNumber("amount", line.Amount);
                    if (line.Explanation is { } e)
                    {
                        json.WriteString("method", e.Method.ToString().ToLowerInvariant());
                        json.WriteString("driver", e.DriverName);
                        json.WriteNumber("driver_value", e.DriverValue);
                        json.WriteNumber("driver_total", e.DriverTotal);
                        json.WriteNumber("share", e.Share);
                        json.WriteNumber("pool", e.Pool.Amount);
                        json.WriteString("explanation", e.Describe());
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartObject("totals");
                foreach (var (currency, amount) in totals)
                {
                    json.WriteNumber(currency, amount);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            context.WriteRaw(Encoding.UTF8.GetString(stream.ToArray()) + "\n");
            return;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Every amount {target} received:\n");
        foreach (var (currency, amount, count) in direct)
        {
            text.Append(CultureInfo.InvariantCulture, $"  direct cost: {currency} {Formatting.Money(amount, currency)} (its own tagged or inherited cost, {count} day x resource line(s))\n");
        }

        foreach (var rule in received.GroupBy(l => (l.Rule, l.Kind, l.Currency)).OrderBy(g => g.Key.Rule, StringComparer.Ordinal).ThenBy(g => g.Key.Kind))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {rule.Key.Kind.ToString().ToLowerInvariant()} from rule '{rule.Key.Rule}': {rule.Key.Currency} {Formatting.Money(rule.Sum(l => l.Amount), rule.Key.Currency)} in {rule.Count()} period(s)\n");
        }

        foreach (var line in received)
        {
            text.Append("    ").Append(line.Explanation?.Describe() ?? string.Create(CultureInfo.InvariantCulture, $"{line.Period:yyyy-MM-dd} {line.Kind} {line.Currency} {line.Amount}")).Append('\n');
        }

        foreach (var (currency, amount) in totals)
        {
            text.Append(CultureInfo.InvariantCulture, $"Total for {target}: {currency} {Formatting.Money(amount, currency)}\n");
        }

        if (lines.Count == 0)
        {
            text.Append("  nothing: no cost carries this value and no rule gave it a share. Check the spelling, or run `modelmeter allocate` to see the targets.\n");
        }

        context.WriteRaw(text.ToString());
    }
}
