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

    /// <summary>The actions --exec is about to run, before it asks.</summary>
    public static void Plan(CliContext cli, RecommendationPlan plan, string? command)
    {
        cli.Out.MarkupLine(Markup.Escape($"{plan.Actions.Count} action(s){(command is null ? "" : $" to run with `{command}`")}:"));
        if (plan.Actions.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Finding").AddColumn("Resource").AddColumn("Due").AddColumn("Owner").AddColumn(new TableColumn("Saving/month").RightAligned()).AddColumn("Action");
        foreach (var a in plan.Actions)
        {
            table.AddRow(Markup.Escape(a.FindingId), Markup.Escape(Short(a.Resource)), a.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Markup.Escape(a.Owner ?? a.Team ?? "-"), Markup.Escape(Formatting.Money(a.MonthlySaving, a.Currency)), Markup.Escape(a.Action));
        }

        cli.Out.Write(table);
    }

    /// <summary>What --exec ran: one row per action with its exit code.</summary>
    public static void Executed(CliContext cli, ExecuteActionsReport report)
    {
        cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Ran `{report.Command}` for {report.Actions.Count} action(s) (timeout {report.TimeoutSeconds} s): {report.Actions.Count - report.Failed} succeeded, {report.Failed} failed.")));
        if (report.Actions.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Finding").AddColumn("Resource").AddColumn(new TableColumn("Exit").RightAligned()).AddColumn("Started (UTC)").AddColumn("Output");
        foreach (var a in report.Actions)
        {
            var last = a.Output.Split('\n').LastOrDefault() ?? "";
            table.AddRow(Markup.Escape(a.FindingId), Markup.Escape(Short(a.Resource)), a.TimedOut ? "timeout" : (a.ExitCode ?? 0).ToString(CultureInfo.InvariantCulture),
                a.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(last));
        }

        cli.Out.Write(table);
    }

    /// <summary>Estimated against realised saving per recorded finding.</summary>
    public static void History(CliContext cli, RecommendationHistory history)
    {
        cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{history.Findings.Count} recorded finding(s); the bill reaches {(history.BilledUntil is { } b ? b.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "no day")}.")));
        if (history.Findings.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Finding").AddColumn("Resource").AddColumn("Kind").AddColumn("Since")
            .AddColumn(new TableColumn("Baseline/month").RightAligned()).AddColumn(new TableColumn("Now/month").RightAligned())
            .AddColumn(new TableColumn("Estimated").RightAligned()).AddColumn(new TableColumn("Realised").RightAligned()).AddColumn("Status");
        foreach (var e in history.Findings)
        {
            table.AddRow(Markup.Escape(e.FindingId), Markup.Escape(Short(e.Resource)), e.Kind.ToString().ToLowerInvariant(), e.ActionOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Markup.Escape(Formatting.Money(e.BaselineMonthlyCost, e.Currency)), e.ObservedMonthlyCost is { } o ? Markup.Escape(Formatting.Money(o, e.Currency)) : "-",
                Markup.Escape(Formatting.Money(e.EstimatedMonthlySaving, e.Currency)), e.RealisedMonthlySaving is { } r ? Markup.Escape(Formatting.Money(r, e.Currency)) : "-",
                e.Status.Replace('_', ' '));
        }

        foreach (var total in history.Totals)
        {
            table.AddRow("[bold]Total[/]", "", "", "", "", "", "[bold]" + Markup.Escape(Formatting.Money(total.EstimatedMonthlySaving, total.Currency)) + "[/]",
                "[bold]" + Markup.Escape(Formatting.Money(total.RealisedMonthlySaving, total.Currency)) + "[/]", Markup.Escape($"{total.Findings} with billing since"));
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
