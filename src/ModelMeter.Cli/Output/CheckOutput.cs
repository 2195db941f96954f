using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Budgets;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders a cost check for people at a terminal (<c>--format table</c>); CI uses the Markdown or JSON.</summary>
internal static class CheckOutput
{
    public static void WriteTable(CliContext context, BudgetCheckResult result)
    {
        var console = context.Out;
        console.MarkupLine(result.Passed ? "[green bold]✅ cost check passed[/]" : "[red bold]❌ cost check failed[/]");
        foreach (var reason in result.Reasons)
        {
            console.MarkupLine($"  [red]•[/] {Markup.Escape(reason)}");
        }

        var items = new Table().AddColumn("Item").AddColumn("Spec").AddColumn("Figure").AddColumn(new TableColumn("Cost").RightAligned());
        foreach (var item in result.Input.Items)
        {
            items.AddRow(Markup.Escape(item.Name), Markup.Escape(item.Origin), Markup.Escape(item.Figure), Markup.Escape(BudgetCheck.Show(item.Amount)));
        }

        items.AddRow("[bold]total[/]", string.Empty, string.Empty, $"[bold]{Markup.Escape(BudgetCheck.Show(result.Total))}[/]");
        console.Write(items);

        var basis = result.Input.SpentBasis;
        var budget = new Table().AddColumn("Budget").AddColumn(new TableColumn("Amount").RightAligned());
        budget.AddRow(
            basis is null ? "budget" : Markup.Escape($"budget, {basis.Period.Label}, {basis.Scope.Label}"),
            Markup.Escape(BudgetCheck.Show(result.Input.Budget)));
        if (result.Input.SpentToDate is { } spent)
        {
            budget.AddRow(
                basis is null ? "spent to date" : Markup.Escape(FormattableString.Invariant($"spent to date ({basis.Period.Start:yyyy-MM-dd} to {basis.AsOf:yyyy-MM-dd})")),
                Markup.Escape(BudgetCheck.Show(spent)));
            budget.AddRow("remaining", Markup.Escape(BudgetCheck.Show(result.Available)));
        }

        budget.AddRow("estimated", Markup.Escape(BudgetCheck.Show(result.Total)));
        budget.AddRow("headroom", Markup.Escape(BudgetCheck.Show(result.Headroom)));
        if (result.BaselineTotal is { } baseline)
        {
            budget.AddRow("baseline", Markup.Escape(BudgetCheck.Show(baseline)));
            budget.AddRow("change", result.IncreasePercent is { } p ? Markup.Escape(FormattableString.Invariant($"{p:+0.##;-0.##;0}%")) : "n/a (baseline is zero)");
        }

        budget.AddRow("verdict", Markup.Escape(BudgetCheck.Verdict(result)));
        console.Write(budget);
        if (basis is not null)
        {
            console.MarkupLine(Markup.Escape(FormattableString.Invariant($"Spent to date: EffectiveCost of imported actuals matching {basis.Scope.Label}, charged {basis.Period.Start:yyyy-MM-dd} to {basis.AsOf:yyyy-MM-dd}.")));
            if (basis.ActualsEndBeforeToday(out var through))
            {
                console.MarkupLine(Markup.Escape(FormattableString.Invariant($"The imported actuals end at {through:yyyy-MM-dd HH:mm} UTC: later charges are not counted until they are imported.")));
            }
        }
    }
}
