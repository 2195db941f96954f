using System.Globalization;
using ModelMeter.Application.Budgets;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Budgets for people: the list as configured, and the status tree.</summary>
internal static class BudgetWriter
{
    public static void WriteList(CliContext cli, BudgetListReport report)
    {
        if (report.Budgets.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Budget").AddColumn("Scope").AddColumn("Period").AddColumn(new TableColumn("Amount").RightAligned())
            .AddColumn("Thresholds").AddColumn("Owner").AddColumn("Sinks");
        foreach (var b in report.Budgets)
        {
            table.AddRow(
                Markup.Escape(Indent(b.Depth) + b.Name),
                Markup.Escape(b.OwnScope.Length == 0 ? "(everything)" : b.OwnScope),
                Markup.Escape($"{b.Period}{(b.TimeZone == "UTC" ? "" : ", " + b.TimeZone)}{(b.Basis == "allocated" ? ", allocated" : "")}"),
                Markup.Escape(Formatting.Money(b.Amount, b.Currency) + " " + b.Currency),
                Markup.Escape($"actual {Percents(b.ActualThresholds)}; forecast {Percents(b.ForecastThresholds)}"),
                Markup.Escape(b.Owner ?? ""),
                Markup.Escape(string.Join(", ", b.Sinks) + (b.OnExceed is { } a ? (a.FailCheck ? " +fail check" : "") + (a.Command is null ? "" : " +command") : "")));
        }

        cli.Out.Write(table);
    }

    public static void WriteStatus(CliContext cli, BudgetStatusReport report)
    {
        if (report.Budgets.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Budget").AddColumn("Period").AddColumn(new TableColumn("Spent").RightAligned()).AddColumn(new TableColumn("%").RightAligned())
            .AddColumn(new TableColumn("Forecast (90% interval)").RightAligned()).AddColumn(new TableColumn("Fcst %").RightAligned())
            .AddColumn(new TableColumn("Days left").RightAligned()).AddColumn("Reaches amount").AddColumn("Status").AddColumn("Owner");
        foreach (var b in report.Budgets)
        {
            table.AddRow(
                Markup.Escape(Indent(b.Depth) + b.Name),
                Markup.Escape(b.Period + (b.TimeZone == "UTC" ? "" : " " + b.TimeZone)),
                Markup.Escape(Formatting.Money(b.Spent, b.Currency) + " of " + Formatting.Money(b.Amount, b.Currency)),
                Markup.Escape(Pct(b.Percent)),
                Markup.Escape($"{Formatting.Money(b.Forecast, b.Currency)} ({Formatting.Money(b.Lower, b.Currency)}-{Formatting.Money(b.Upper, b.Currency)})"),
                Markup.Escape(Pct(b.ForecastPercent)),
                b.DaysLeft.ToString(CultureInfo.InvariantCulture),
                b.ReachesAmountOn is { } on ? on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-",
                Status(b.Status),
                Markup.Escape(b.Owner ?? ""));
        }

        cli.Out.Write(table);
        var first = report.Budgets[0];
        cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Spent through {first.AsOf:yyyy-MM-dd} (where the imported actuals end); forecast by each budget's backtest winner ({string.Join(", ", report.Budgets.Select(b => $"{b.Name}: {b.Forecaster}{(b.ForecasterMape is { } m ? $" {m:0.#}% MAPE" : "")}").Distinct())}).")));
        foreach (var b in report.Budgets.Where(b => b.BreachReportedAt.Count > 0))
        {
            cli.Out.MarkupLine(Markup.Escape($"{b.Name}: its breach is reported at {string.Join(", ", b.BreachReportedAt)}, the lowest budget that breaks."));
        }

        var history = report.Budgets.Where(b => b.History.Count > 0).ToList();
        if (history.Count > 0)
        {
            cli.Out.MarkupLine("[bold]Closed periods[/] (kept in the store):");
            foreach (var b in history)
            {
                cli.Out.MarkupLine(Markup.Escape($"  {b.Name}: " + string.Join("; ", b.History.Select(h => string.Create(CultureInfo.InvariantCulture,
                    $"{h.Period} {Formatting.Money(h.Spent, h.Currency)} ({h.Percent:0.#}%, {h.Status})")))));
            }
        }
    }

    private static string Status(string status) => status switch
    {
        "over" => "[red]over[/]",
        "at_risk" => "[yellow]at risk[/]",
        "warning" => "[yellow]warning[/]",
        _ => "[green]ok[/]",
    };

    private static string Indent(int depth) => depth == 0 ? "" : new string(' ', 2 * (depth - 1)) + "└ ";

    private static string Pct(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Percents(IReadOnlyList<decimal> values) => string.Join("/", values.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture))) + "%";
}
