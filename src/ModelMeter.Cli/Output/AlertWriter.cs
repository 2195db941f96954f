using System.Globalization;
using ModelMeter.Application.Alerts;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>An alert run for people: what the stdout sink says, then every delivery and what happened to it.</summary>
internal static class AlertWriter
{
    public static void Write(CliContext cli, AlertReport report)
    {
        if (report.Skipped)
        {
            return;
        }

        foreach (var message in report.Deliveries.Where(d => d.Message is not null && d.Status is "sent" or "would_send").Select(d => d.Message!).Distinct())
        {
            cli.Out.MarkupLine(Markup.Escape(message));
        }

        if (report.Deliveries.Count > 0)
        {
            var table = new Table().AddColumn("Finding").AddColumn("Sink").AddColumn("Status").AddColumn(new TableColumn("Attempts").RightAligned()).AddColumn("Error");
            foreach (var d in report.Deliveries)
            {
                table.AddRow(Markup.Escape(d.FindingKey), Markup.Escape(d.Sink), Markup.Escape(d.Status), d.Attempts.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Error ?? ""));
            }

            cli.Out.Write(table);
        }

        var counts = report.Deliveries.GroupBy(d => d.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}");
        cli.Out.MarkupLine(Markup.Escape($"{report.Findings.Count} finding(s){(report.DryRun ? " (dry run: nothing sent, run or recorded)" : "")}: {string.Join(", ", counts.DefaultIfEmpty("nothing to send"))}."));
    }
}
