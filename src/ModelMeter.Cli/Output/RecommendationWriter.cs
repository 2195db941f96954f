using System.Globalization;
using System.Text;
using ModelMeter.Application.Recommendations;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Text;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Recommendations for people: the ranked table with its total, one finding explained, or Markdown.</summary>
internal static class RecommendationWriter
{
    public static void Table(CliContext cli, RecommendationsReport report)
    {
        cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{report.Findings.Count} finding(s) from {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}, saving at least {report.MinSaving:0.##} a month ({report.Hidden} smaller left out).")));
        if (report.Findings.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Id").AddColumn("Rule").AddColumn("Resource").AddColumn("Team")
            .AddColumn(new TableColumn("Saving/month").RightAligned()).AddColumn(new TableColumn("Cost/month").RightAligned()).AddColumn("Effort").AddColumn("Risk").AddColumn("Action");
        foreach (var f in report.Findings)
        {
            table.AddRow(Markup.Escape(f.Id), Markup.Escape(f.Rule), Markup.Escape(Short(f.Resources[0])), Markup.Escape(f.Team ?? "-"),
                Markup.Escape(Formatting.Money(f.MonthlySaving, f.Currency)), Markup.Escape(Formatting.Money(f.MonthlyCost, f.Currency)),
                f.Effort, f.Risk, Markup.Escape(f.Action));
        }

        foreach (var total in report.Totals)
        {
            table.AddRow("[bold]Total[/]", "", "", "", "[bold]" + Markup.Escape(Formatting.Money(total.MonthlySaving, total.Currency)) + "[/]", "", "", "", "");
        }

        cli.Out.Write(table);
    }

    public static void Explain(CliContext cli, RecommendationsReport report)
    {
        foreach (var f in report.Findings)
        {
            cli.Out.MarkupLine($"[bold]{Markup.Escape(f.Id)}[/] {Markup.Escape(f.Rule)}: {Markup.Escape(string.Join(", ", f.Resources))}");
            cli.Out.MarkupLine($"  owner {Markup.Escape(f.Owner ?? "-")}, team {Markup.Escape(f.Team ?? "-")}; effort {f.Effort}, risk {f.Risk}{(f.State is null ? "" : ", idle policy " + f.State)}{(f.DueDate is { } due ? due.ToString(" 'due' yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}");
            cli.Out.MarkupLine("  evidence:");
            foreach (var e in f.Evidence)
            {
                cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"    {e.Metric}: {e.Value} ({e.From:yyyy-MM-dd}..{e.To:yyyy-MM-dd})")));
            }

            cli.Out.MarkupLine($"  saving: {Markup.Escape(Formatting.Money(f.MonthlySaving, f.Currency))} a month");
            cli.Out.MarkupLine($"  how: {Markup.Escape(f.How)}");
            cli.Out.MarkupLine($"  action: {Markup.Escape(f.Action)}");
        }
    }

    public static string Markdown(RecommendationsReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Recommendations {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}\n\n");
        text.Append("| Id | Rule | Resource | Team | Saving/month | How | Action |\n|---|---|---|---|---:|---|---|\n");
        foreach (var f in report.Findings)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {MarkdownText.Cell(f.Id)} | {MarkdownText.Cell(f.Rule)} | {MarkdownText.Cell(f.Resources[0])} | {MarkdownText.Cell(f.Team ?? "-")} | {MarkdownText.Cell(Formatting.Money(f.MonthlySaving, f.Currency))} | {MarkdownText.Cell(f.How)} | {MarkdownText.Cell(f.Action)} |\n");
        }

        foreach (var total in report.Totals)
        {
            text.Append(CultureInfo.InvariantCulture, $"| **Total** | | | | **{MarkdownText.Cell(Formatting.Money(total.MonthlySaving, total.Currency))}** | | |\n");
        }

        return text.ToString();
    }

    /// <summary>An ARN's last part (endpoint/ranker-v3-prod → ranker-v3-prod), so the table stays readable.</summary>
    private static string Short(string resourceId)
    {
        var slash = resourceId.LastIndexOf('/');
        return slash >= 0 && resourceId.StartsWith("arn:", StringComparison.Ordinal) ? resourceId[(slash + 1)..] : resourceId;
    }
}
