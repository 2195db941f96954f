using System.Globalization;
using System.Text;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>
/// Renders showback/chargeback statements (per target: direct, shared by rule, idle, unallocated, total) and the
/// <c>allocate --explain</c> listing. Column names are stable: <c>direct</c>, <c>shared:RULE</c>, <c>idle</c>,
/// <c>unallocated</c>, <c>total</c>, <c>share</c>.
/// </summary>
internal static class AllocationWriter
{
    public static void WriteStatements(CliContext context, ShowbackReport report, OutputFormat format)
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
                WriteCheck(context, report.Conservation);
                break;
        }
    }

    /// <summary>Prints the conservation check: what was allocated equals what was billed, per currency.</summary>
    public static void WriteCheck(CliContext context, IReadOnlyList<ConservationCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(checks);
        foreach (var check in checks)
        {
            var currency = check.Currency;
            context.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Allocated total {currency} {Formatting.Money(check.Allocated, currency)} {(check.Equal ? "[green]=[/]" : "[red]≠[/]")} billed total {currency} {Formatting.Money(check.Billed, currency)}{(check.Equal ? " (to the cent)" : " (the --where conditions leave some out)")}."));
        }
    }

    public static string CsvText(ShowbackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var rules = report.Statements.SelectMany(s => s.Rules).Distinct(StringComparer.Ordinal).ToList();
        var header = new List<string> { report.Dimension ?? "target", "currency", "direct" };
        header.AddRange(rules.Select(r => "shared:" + r));
        header.AddRange(["idle", "unallocated", "total", "share"]);
        text.Append(Csv.Line(header));
        foreach (var statement in report.Statements)
        {
            foreach (var line in statement.Lines)
            {
                var fields = new List<string> { line.Target, statement.Currency, Formatting.Invariant(line.Direct) };
                fields.AddRange(rules.Select(r => Formatting.Invariant(line.Shared.GetValueOrDefault(r))));
                fields.AddRange([Formatting.Invariant(line.Idle), Formatting.Invariant(line.Unallocated), Formatting.Invariant(line.Total),
                    line.Share.ToString(CultureInfo.InvariantCulture)]);
                text.Append(Csv.Line(fields));
            }
        }

        return text.ToString();
    }

    public static string Markdown(ShowbackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        foreach (var statement in report.Statements)
        {
            var header = Header(report, statement);
            text.Append(CultureInfo.InvariantCulture, $"**Showback by {report.Dimension} ({statement.Currency})**\n\n");
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

    private static void WriteTables(CliContext context, ShowbackReport report)
    {
        if (report.Statements.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        foreach (var statement in report.Statements)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Showback by {report.Dimension} ({statement.Currency})"));
            var header = Header(report, statement);
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

    private static List<string> Header(ShowbackReport report, CurrencyStatement statement)
    {
        var header = new List<string> { report.Dimension ?? "target", "Direct" };
        header.AddRange(statement.Rules.Select(r => $"Shared: {r}"));
        header.AddRange(["Idle", "Unallocated", "Total", "Share"]);
        return header;
    }

    private static List<string> Cells(CurrencyStatement statement, StatementRow line)
    {
        var currency = statement.Currency;
        var cells = new List<string> { line.Target, Formatting.Money(line.Direct, currency) };
        cells.AddRange(statement.Rules.Select(r => Formatting.Money(line.Shared.GetValueOrDefault(r), currency)));
        cells.AddRange([Formatting.Money(line.Idle, currency), Formatting.Money(line.Unallocated, currency), Formatting.Money(line.Total, currency),
            Formatting.Percent(line.Share)]);
        return cells;
    }

    private static List<string> TotalCells(CurrencyStatement statement)
    {
        var currency = statement.Currency;
        var cells = new List<string> { "Total", Formatting.Money(statement.Lines.Sum(l => l.Direct), currency) };
        cells.AddRange(statement.Rules.Select(r => Formatting.Money(statement.Lines.Sum(l => l.Shared.GetValueOrDefault(r)), currency)));
        cells.AddRange([Formatting.Money(statement.Lines.Sum(l => l.Idle), currency), Formatting.Money(statement.Lines.Sum(l => l.Unallocated), currency),
            Formatting.Money(statement.Total, currency), "100.0%"]);
        return cells;
    }

    /// <summary>
    /// <c>allocate --explain</c>: what one target received. Direct cost is summed per currency (it is the target's own
    /// bill); every shared, idle and unallocated amount is listed with its rule, pool, driver value and share.
    /// </summary>
    public static void WriteExplanation(CliContext context, AllocationExplanationReport report, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        if (format == OutputFormat.Json)
        {
            context.WriteRaw(ModelMeterJson.Serialize(report));
            return;
        }

        var target = report.Target;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Every amount {target} received:\n");
        foreach (var direct in report.Direct)
        {
            text.Append(CultureInfo.InvariantCulture, $"  direct cost: {direct.Currency} {Formatting.Money(direct.Amount, direct.Currency)} (its own tagged or inherited cost, {direct.Lines} day x resource line(s))\n");
        }

        foreach (var rule in report.Received.GroupBy(l => (l.Rule, l.Kind, l.Currency)).OrderBy(g => g.Key.Rule, StringComparer.Ordinal).ThenBy(g => g.Key.Kind))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {rule.Key.Kind.ToString().ToLowerInvariant()} from rule '{rule.Key.Rule}': {rule.Key.Currency} {Formatting.Money(rule.Sum(l => l.Amount), rule.Key.Currency)} in {rule.Count()} period(s)\n");
        }

        foreach (var line in report.Received)
        {
            text.Append("    ").Append(line.Explanation).Append('\n');
        }

        foreach (var (currency, amount) in report.Totals)
        {
            text.Append(CultureInfo.InvariantCulture, $"Total for {target}: {currency} {Formatting.Money(amount, currency)}\n");
        }

        if (report.Direct.Count == 0 && report.Received.Count == 0)
        {
            text.Append("  nothing: no cost carries this value and no rule gave it a share. Check the spelling, or run `modelmeter allocate` to see the targets.\n");
        }

        context.WriteRaw(text.ToString());
    }
}
