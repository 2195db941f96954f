using ModelMeter.Application.Budgets;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Monetary;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders a cost check for people at a terminal (<c>--format table</c>); CI uses the Markdown or JSON.</summary>
internal static class CheckOutput
{
    public static void WriteTable(CliContext context, CheckReport report)
    {
        var console = context.Out;
        string Show(decimal amount) => BudgetCheck.Show(new Money(amount, report.Currency));
        console.MarkupLine(report.Passed ? "[green bold]✅ cost check passed[/]" : "[red bold]❌ cost check failed[/]");
        foreach (var reason in report.Reasons)
        {
            console.MarkupLine($"  [red]•[/] {Markup.Escape(reason)}");
        }

        var items = new Table().AddColumn("Item").AddColumn("Spec").AddColumn("Figure").AddColumn(new TableColumn("Cost").RightAligned());
        foreach (var item in report.Items)
        {
            items.AddRow(Markup.Escape(item.Name), Markup.Escape(item.Spec), Markup.Escape(item.Figure), Markup.Escape(Show(item.Amount)));
        }

        items.AddRow("[bold]total[/]", string.Empty, string.Empty, $"[bold]{Markup.Escape(Show(report.Total))}[/]");
        console.Write(items);

        var scoped = report.Scope is not null;
        var budget = new Table().AddColumn("Budget").AddColumn(new TableColumn("Amount").RightAligned());
        budget.AddRow(
            scoped ? Markup.Escape($"budget, {report.Period}, {report.Scope}") : "budget",
            Markup.Escape(Show(report.Budget)));
        if (report.SpentToDate is { } spent)
        {
            budget.AddRow(
                scoped ? Markup.Escape(FormattableString.Invariant($"spent to date ({report.PeriodStart:yyyy-MM-dd} to {report.SpentAsOf:yyyy-MM-dd})")) : "spent to date",
                Markup.Escape(Show(spent)));
            budget.AddRow("remaining", Markup.Escape(Show(report.Available)));
        }

        budget.AddRow("estimated", Markup.Escape(Show(report.Total)));
        budget.AddRow("headroom", Markup.Escape(Show(report.Headroom)));
        if (report.BaselineTotal is { } baseline)
        {
            budget.AddRow("baseline", Markup.Escape(Show(baseline)));
            budget.AddRow("change", report.IncreasePercent is { } p ? Markup.Escape(FormattableString.Invariant($"{p:+0.##;-0.##;0}%")) : "n/a (baseline is zero)");
        }

        budget.AddRow("verdict", Markup.Escape(report.Verdict));
        console.Write(budget);
        if (scoped)
        {
            console.MarkupLine(Markup.Escape(FormattableString.Invariant($"Spent to date: EffectiveCost of imported actuals matching {report.Scope}, charged {report.PeriodStart:yyyy-MM-dd} to {report.SpentAsOf:yyyy-MM-dd}.")));
            if (report.ActualsThrough is { } through && report.SpentAsOf is { } asOf && through < asOf.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))
            {
                console.MarkupLine(Markup.Escape(FormattableString.Invariant($"The imported actuals end at {through:yyyy-MM-dd HH:mm} UTC: later charges are not counted until they are imported.")));
            }
        }
    }
}
