using System.Globalization;
using System.Text;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Attribution;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders <c>modelmeter tags</c>: tag compliance per currency.</summary>
public static class ComplianceWriter
{
    public static void Write(CliContext context, IReadOnlyList<TagComplianceReport> reports, OutputFormat format, decimal? failUnder)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reports);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteRaw(System.Text.Json.JsonSerializer.Serialize(new
                {
                    fail_under = failUnder,
                    passed = failUnder is null ? (bool?)null : TagCompliance.MeetsThreshold(reports, failUnder.Value),
                    currencies = reports.Select(r => new
                    {
                        currency = r.Currency,
                        total_cost = r.TotalCost,
                        fully_tagged_cost = r.FullyTaggedCost,
                        fully_tagged_percent = Math.Round(r.FullyTaggedPercent, 4),
                        credits = r.Credits,
                        keys = r.Keys.Select(k => new { key = k.Key, required_cost = k.RequiredCost, tagged_cost = k.TaggedCost, tagged_percent = k.Share is { } s ? Math.Round(s * 100m, 4) : (decimal?)null }),
                        largest_untagged = r.LargestUntagged.Select(u => new { resource_id = u.ResourceId, sub_account_id = u.SubAccountId, cost = u.Cost, missing = u.MissingKeys }),
                        disallowed_values = r.DisallowedValues.Select(d => new { key = d.Key, value = d.Value, cost = d.Cost, rows = d.Rows, allowed = d.Allowed }),
                        conflicts = r.Conflicts,
                    }),
                }, Display.Json) + "\n");
                break;
            case OutputFormat.Markdown:
                context.WriteRaw(Markdown(reports, failUnder));
                break;
            case OutputFormat.Csv:
                throw new Core.Errors.UserInputException("--format csv is not supported by tags; use table, json or markdown.");
            default:
                WriteTables(context, reports, failUnder);
                break;
        }
    }

    public static string Markdown(IReadOnlyList<TagComplianceReport> reports, decimal? failUnder)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var text = new StringBuilder();
        foreach (var r in reports)
        {
            text.Append(CultureInfo.InvariantCulture, $"## Tag compliance ({r.Currency}): {Pct(r.FullyTaggedPercent)} of cost fully tagged");
            if (failUnder is { } threshold)
            {
                text.Append(r.FullyTaggedPercent >= threshold ? " ✅" : " ❌").Append(CultureInfo.InvariantCulture, $" (threshold {threshold}%)");
            }

            text.Append(CultureInfo.InvariantCulture, $"\n\n{Formatting.Money(r.FullyTaggedCost, r.Currency)} of {Formatting.Money(r.TotalCost, r.Currency)} {r.Currency}; credits {Formatting.Money(r.Credits, r.Currency)} left out.\n\n");
            text.Append("| Required key | Cost requiring it | Tagged | Share |\n| --- | ---: | ---: | ---: |\n");
            foreach (var k in r.Keys)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {k.Key} | {Formatting.Money(k.RequiredCost, r.Currency)} | {Formatting.Money(k.TaggedCost, r.Currency)} | {(k.Share is { } s ? Formatting.Percent(s) : "")} |\n");
            }

            if (r.LargestUntagged.Count > 0)
            {
                text.Append("\n| Largest untagged resource | Account | Cost | Missing |\n| --- | --- | ---: | --- |\n");
                foreach (var u in r.LargestUntagged)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| {Display.MarkdownCell(u.ResourceId ?? "(no resource id)")} | {u.SubAccountId} | {Formatting.Money(u.Cost, r.Currency)} | {string.Join(", ", u.MissingKeys)} |\n");
                }
            }

            if (r.DisallowedValues.Count > 0)
            {
                text.Append("\n| Key | Value not allowed | Cost | Allowed |\n| --- | --- | ---: | --- |\n");
                foreach (var d in r.DisallowedValues)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| {d.Key} | {Display.MarkdownCell(d.Value)} | {Formatting.Money(d.Cost, r.Currency)} | {string.Join(", ", d.Allowed)} |\n");
                }
            }

            foreach (var conflict in r.Conflicts)
            {
                text.Append("- conflict: ").Append(conflict).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static void WriteTables(CliContext context, IReadOnlyList<TagComplianceReport> reports, decimal? failUnder)
    {
        if (reports.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        foreach (var r in reports)
        {
            var verdict = failUnder is { } threshold
                ? r.FullyTaggedPercent >= threshold ? $" [green](meets {threshold}%)[/]" : $" [red](below {threshold}%)[/]"
                : "";
            context.Out.MarkupLine(
                $"[bold]Tag compliance ({r.Currency})[/]: {Pct(r.FullyTaggedPercent)} of cost fully tagged{verdict}: " +
                $"{Formatting.Money(r.FullyTaggedCost, r.Currency)} of {Formatting.Money(r.TotalCost, r.Currency)} (credits {Formatting.Money(r.Credits, r.Currency)} left out).");
            var keys = new Table().Border(TableBorder.Rounded).AddColumn("Required key")
                .AddColumn(new TableColumn("Cost requiring it").RightAligned()).AddColumn(new TableColumn("Tagged").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
            foreach (var k in r.Keys)
            {
                keys.AddRow(Markup.Escape(k.Key), Formatting.Money(k.RequiredCost, r.Currency), Formatting.Money(k.TaggedCost, r.Currency), k.Share is { } s ? Formatting.Percent(s) : "");
            }

            context.Out.Write(keys);
            context.Out.WriteLine();
            if (r.LargestUntagged.Count > 0)
            {
                var untagged = new Table().Border(TableBorder.Rounded).Title("Largest untagged resources").AddColumn("Resource").AddColumn("Account (SubAccountId)")
                    .AddColumn(new TableColumn("Cost").RightAligned()).AddColumn("Missing");
                foreach (var u in r.LargestUntagged)
                {
                    untagged.AddRow(Markup.Escape(u.ResourceId ?? "(no resource id)"), Markup.Escape(u.SubAccountId ?? "(none)"), Formatting.Money(u.Cost, r.Currency), Markup.Escape(string.Join(", ", u.MissingKeys)));
                }

                context.Out.Write(untagged);
                context.Out.WriteLine();
            }

            if (r.DisallowedValues.Count > 0)
            {
                var bad = new Table().Border(TableBorder.Rounded).Title("Values outside the allowed lists").AddColumn("Key").AddColumn("Value")
                    .AddColumn(new TableColumn("Cost").RightAligned()).AddColumn("Allowed");
                foreach (var d in r.DisallowedValues)
                {
                    bad.AddRow(Markup.Escape(d.Key), Markup.Escape(d.Value), Formatting.Money(d.Cost, r.Currency), Markup.Escape(string.Join(", ", d.Allowed)));
                }

                context.Out.Write(bad);
                context.Out.WriteLine();
            }

            foreach (var conflict in r.Conflicts)
            {
                context.Out.MarkupLine($"[yellow]conflict:[/] {Markup.Escape(conflict)}");
            }
        }
    }

    private static string Pct(decimal percent) => percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
