using System.Globalization;
using System.Text;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Contracts;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders <c>modelmeter tags</c>: tag compliance per currency.</summary>
internal static class ComplianceWriter
{
    public static void Write(CliContext context, TagComplianceResult result, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteRaw(ModelMeterJson.Serialize(result));
                break;
            case OutputFormat.Markdown:
                context.WriteRaw(Markdown(result));
                break;
            case OutputFormat.Csv:
                throw new Core.Errors.UserInputException("--format csv is not supported by tags; use table, json or markdown.");
            default:
                WriteTables(context, result);
                break;
        }
    }

    public static string Markdown(TagComplianceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        if (result.RequiredKeys.Count == 0)
        {
            return "## Tag compliance: no tag key is required\n\nThe tag policy requires no tag key, so there is no compliance to measure. " + TagsUseCase.NothingRequiredHint + "\n";
        }

        foreach (var r in result.Currencies)
        {
            text.Append(CultureInfo.InvariantCulture, $"## Tag compliance ({r.Currency}): {Pct(r.FullyTaggedPercent)} of cost fully tagged");
            if (result.FailUnder is { } threshold)
            {
                text.Append(r.Passed == true ? " ✅" : " ❌").Append(CultureInfo.InvariantCulture, $" (threshold {threshold}%)");
            }

            text.Append(CultureInfo.InvariantCulture, $"\n\n{Formatting.Money(r.FullyTaggedCost, r.Currency)} of {Formatting.Money(r.TotalCost, r.Currency)} {r.Currency}; credits {Formatting.Money(r.Credits, r.Currency)} left out.\n\n");
            text.Append("| Required key | Cost requiring it | Tagged | Share |\n| --- | ---: | ---: | ---: |\n");
            foreach (var k in r.Keys)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {k.Key} | {Formatting.Money(k.RequiredCost, r.Currency)} | {Formatting.Money(k.TaggedCost, r.Currency)} | {(k.TaggedPercent is { } s ? Pct(s) : "")} |\n");
            }

            if (r.LargestUntagged.Count > 0)
            {
                text.Append("\n| Largest untagged resource | Account | Cost | Missing |\n| --- | --- | ---: | --- |\n");
                foreach (var u in r.LargestUntagged)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| {Display.MarkdownCell(u.ResourceId ?? "(no resource id)")} | {u.SubAccountId} | {Formatting.Money(u.Cost, r.Currency)} | {string.Join(", ", u.Missing)} |\n");
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

    private static void WriteTables(CliContext context, TagComplianceResult result)
    {
        if (result.Currencies.Count == 0)
        {
            context.Out.MarkupLine("[yellow]No costs match.[/] Check --from/--to/--month and --where, or import data with `modelmeter import focus`.");
            return;
        }

        if (result.RequiredKeys.Count == 0)
        {
            // "100.0% of cost fully tagged" over nothing required would be read as a pass.
            context.Out.MarkupLine("[yellow]No tag key is required by the tag policy[/], so no cost can be untagged and there is no compliance to measure.");
            context.Out.MarkupLine(Markup.Escape(TagsUseCase.NothingRequiredHint));
            return;
        }

        foreach (var r in result.Currencies)
        {
            var verdict = result.FailUnder is { } threshold
                ? r.Passed == true ? $" [green](meets {threshold}%)[/]" : $" [red](below {threshold}%)[/]"
                : "";
            context.Out.MarkupLine(
                $"[bold]Tag compliance ({r.Currency})[/]: {Pct(r.FullyTaggedPercent)} of cost fully tagged{verdict}: " +
                $"{Formatting.Money(r.FullyTaggedCost, r.Currency)} of {Formatting.Money(r.TotalCost, r.Currency)} (credits {Formatting.Money(r.Credits, r.Currency)} left out).");
            var keys = new Table().Border(TableBorder.Rounded).AddColumn("Required key")
                .AddColumn(new TableColumn("Cost requiring it").RightAligned()).AddColumn(new TableColumn("Tagged").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
            foreach (var k in r.Keys)
            {
                keys.AddRow(Markup.Escape(k.Key), Formatting.Money(k.RequiredCost, r.Currency), Formatting.Money(k.TaggedCost, r.Currency), k.TaggedPercent is { } s ? Pct(s) : "");
            }

            context.Out.Write(keys);
            context.Out.WriteLine();
            if (r.LargestUntagged.Count > 0)
            {
                var untagged = new Table().Border(TableBorder.Rounded).Title("Largest untagged resources").AddColumn("Resource").AddColumn("Account (SubAccountId)")
                    .AddColumn(new TableColumn("Cost").RightAligned()).AddColumn("Missing");
                foreach (var u in r.LargestUntagged)
                {
                    untagged.AddRow(Markup.Escape(u.ResourceId ?? "(no resource id)"), Markup.Escape(u.SubAccountId ?? "(none)"), Formatting.Money(u.Cost, r.Currency), Markup.Escape(string.Join(", ", u.Missing)));
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
