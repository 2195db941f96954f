using ModelMeter.Application.Migration;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>The table of <c>modelmeter migrate</c>: what was copied, then each figure in both stores.</summary>
internal static class MigrationWriter
{
    public static void Write(IAnsiConsole console, MigrateResult result)
    {
        var copied = result.Imports.Where(i => i.Status == "copied").ToList();
        var resumed = result.Imports.Count - copied.Count;
        console.MarkupLine(
            $"Copied {copied.Count:N0} import(s) ({copied.Sum(i => i.LineItems):N0} line items, {copied.Sum(i => i.UsageSamples):N0} usage samples, {copied.Sum(i => i.Rates):N0} rates) " +
            $"from {Markup.Escape(result.From)} to {Markup.Escape(result.To)}" + (resumed > 0 ? $"; {resumed:N0} were already there." : "."));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Check").AddColumn("Currency").AddColumn(new TableColumn("Source").RightAligned()).AddColumn(new TableColumn("Target").RightAligned()).AddColumn("");
        foreach (var check in result.Checks)
        {
            table.AddRow(
                Markup.Escape(check.Check),
                check.Currency ?? "",
                Formatting.Invariant(check.Source / 1.000000000000000000000000000m),
                Formatting.Invariant(check.Target / 1.000000000000000000000000000m),
                check.Matches ? "[green]match[/]" : "[red]DIFFERS[/]");
        }

        console.Write(table);
        console.MarkupLine(result.TotalsMatch
            ? "Both stores give the same figures, to the last digit."
            : "[red]The stores differ[/]: the target is not a faithful copy. Nothing was removed from the source.");
    }
}
