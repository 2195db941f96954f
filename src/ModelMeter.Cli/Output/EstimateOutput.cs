using System.Globalization;
using System.Text;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.CostModels;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders an estimate report as tables, Markdown or JSON. The JSON field names are a contract.</summary>
internal static class EstimateOutput
{
    public static void WriteTable(CliContext context, EstimateReport report, bool explain)
    {
        var e = report.Estimate;
        var console = context.Out;
        console.Write(new Rule($"[bold]{Markup.Escape(e.Title)}[/] ({Markup.Escape(e.Kind)})").LeftJustified());

        var results = new Table().AddColumn("Figure").AddColumn(new TableColumn("Value").RightAligned());
        foreach (var r in e.Results)
        {
            var label = r.Key == e.HeadlineKey ? $"[bold]{Markup.Escape(r.Label)}[/]" : Markup.Escape(r.Label);
            results.AddRow(label, Markup.Escape(Display.Value(r.Value, r.Unit)));
        }

        console.Write(results);

        if (report.Scenarios is { } set)
        {
            var scenarios = new Table().Title("Scenarios").AddColumn("Figure")
                .AddColumn(new TableColumn("Optimistic").RightAligned())
                .AddColumn(new TableColumn("Expected").RightAligned())
                .AddColumn(new TableColumn("Pessimistic").RightAligned());
            foreach (var r in set.Expected.Results)
            {
                scenarios.AddRow(
                    Markup.Escape(r.Label),
                    Markup.Escape(ScenarioValue(set.Optimistic, r)),
                    Markup.Escape(Display.Value(r.Value, r.Unit)),
                    Markup.Escape(ScenarioValue(set.Pessimistic, r)));
            }

            foreach (var choice in set.Choices)
            {
                scenarios.AddRow(
                    $"[grey]input {Markup.Escape(choice.Input)}[/]",
                    Markup.Escape(Fmt.Number(choice.Optimistic)),
                    Markup.Escape(Fmt.Number(ExpectedOf(report, choice.Input))),
                    Markup.Escape(Fmt.Number(choice.Pessimistic)));
            }

            console.Write(scenarios);
        }

        foreach (var note in e.Notes)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }

        if (!explain)
        {
            console.MarkupLine("[grey]Run with --explain to see the inputs, the working and the prices used.[/]");
            return;
        }

        var inputs = new Table().Title("Inputs").AddColumn("Input").AddColumn("Value").AddColumn("Unit").AddColumn("From");
        foreach (var i in e.Inputs)
        {
            inputs.AddRow(Markup.Escape(i.Name), Markup.Escape(i.Value), Markup.Escape(i.Unit), Markup.Escape(i.Origin));
        }

        foreach (var d in report.Defaults)
        {
            inputs.AddRow(Markup.Escape(d.Name), Markup.Escape(d.Value), string.Empty, Markup.Escape(d.Origin));
        }

        console.Write(inputs);

        var working = new Table().Title("Working").AddColumn("Step").AddColumn("Formula").AddColumn(new TableColumn("Value").RightAligned());
        foreach (var s in e.Steps)
        {
            working.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Formula), Markup.Escape(Display.Value(s.Value, s.Unit)));
        }

        console.Write(working);

        if (report.PricesUsed.Count > 0)
        {
            var prices = new Table().Title("Prices used").AddColumn("Kind").AddColumn("Key").AddColumn("Source").AddColumn("As of").AddColumn("From");
            foreach (var p in report.PricesUsed)
            {
                prices.AddRow(
                    Markup.Escape(p.Kind),
                    Markup.Escape(p.Key),
                    Markup.Escape(p.Provenance.Source),
                    p.Provenance.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(p.Provenance.Origin));
            }

            console.Write(prices);
        }
    }

    public static string ToMarkdown(EstimateReport report)
    {
        var e = report.Estimate;
        var md = new StringBuilder();
        md.Append("### ").Append(Display.MarkdownCell(e.Title)).Append(" (").Append(e.Kind).AppendLine(")").AppendLine();
        md.AppendLine("| figure | value |").AppendLine("| --- | ---: |");
        foreach (var r in e.Results)
        {
            var label = r.Key == e.HeadlineKey ? $"**{Display.MarkdownCell(r.Label)}**" : Display.MarkdownCell(r.Label);
            md.Append("| ").Append(label).Append(" | ").Append(Display.Value(r.Value, r.Unit)).AppendLine(" |");
        }

        if (report.Scenarios is { } set)
        {
            md.AppendLine().AppendLine("| scenario | optimistic | expected | pessimistic |").AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var r in set.Expected.Results)
            {
                md.Append("| ").Append(Display.MarkdownCell(r.Label)).Append(" | ").Append(ScenarioValue(set.Optimistic, r))
                    .Append(" | ").Append(Display.Value(r.Value, r.Unit)).Append(" | ").Append(ScenarioValue(set.Pessimistic, r)).AppendLine(" |");
            }
        }

        md.AppendLine().AppendLine("<details><summary>Working</summary>").AppendLine();
        md.AppendLine("| step | formula | value |").AppendLine("| --- | --- | ---: |");
        foreach (var s in e.Steps)
        {
            md.Append("| ").Append(Display.MarkdownCell(s.Name)).Append(" | ").Append(Display.MarkdownCell(s.Formula)).Append(" | ")
                .Append(Display.Value(s.Value, s.Unit)).AppendLine(" |");
        }

        if (report.PricesUsed.Count > 0)
        {
            md.AppendLine().AppendLine("Prices used:").AppendLine();
            foreach (var p in report.PricesUsed)
            {
                md.Append("- ").Append(p.Kind).Append(" `").Append(p.Key).Append("`: ").Append(Display.MarkdownCell(p.Provenance.Source))
                    .Append(", as of ").AppendLine(p.Provenance.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        md.AppendLine().AppendLine("</details>");
        foreach (var note in e.Notes)
        {
            md.AppendLine().Append("> ").AppendLine(note);
        }

        return md.ToString();
    }

    private static string ScenarioValue(Estimate scenario, EstimateFigure expected) =>
        scenario.Has(expected.Key) ? Display.Value(scenario.Value(expected.Key), expected.Unit) : "n/a";

    private static decimal ExpectedOf(EstimateReport report, string input) =>
        report.Spec.Inputs.TryGetValue(input, out var v) && v.Range is { } r ? r.Expected : 0;
}
