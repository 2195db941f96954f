using System.Globalization;
using ModelMeter.Application.Unit;
using ModelMeter.Core.Text;
using ModelMeter.Core.Unit;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders <c>modelmeter unit</c>: a row per scope and period; n/a where there were no units.</summary>
internal static class UnitWriter
{
    public static void WriteTable(IAnsiConsole console, UnitReport report)
    {
        var price = report.PricePerCall is not null;
        var table = new Table().Title($"Unit economics by {Markup.Escape(report.Dimension)}, per {report.Grain}, {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}");
        table.AddColumns("Scope", "Period", "Cost", "Predictions", "Per 1k", "Trend", "Tokens", "Per 1M tok", "Users", "Per user", "Revenue", "Margin");
        if (price)
        {
            table.AddColumn("Margin/call");
        }

        foreach (var c in table.Columns.Skip(2))
        {
            c.RightAligned();
        }

        foreach (var r in report.Rows)
        {
            var cells = new List<string>
            {
                Markup.Escape(r.Scope) + (r.Flags.Contains("no_traffic") ? " [yellow](no traffic)[/]" : ""),
                r.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Markup.Escape(Formatting.Money(r.Cost, r.Currency) + " " + r.Currency),
                Count(r.Predictions), Unit(r.CostPerThousandPredictions), Trend(r.CostPerPredictionChange),
                Count(r.Tokens), Unit(r.CostPerMillionTokens), Count(r.ActiveUsers), Unit(r.CostPerActiveUser),
                Money(r.Revenue, r.Currency), Money(r.GrossMargin, r.Currency),
            };
            if (price)
            {
                cells.Add(Unit(r.MarginPerCall));
            }

            table.AddRow(cells.ToArray());
        }

        console.Write(table);
        if (report.Reconciliation is { } reconciliation)
        {
            var check = new Table().Title("Reconciliation: unit cost x units + cost without traffic = the bill")
                .AddColumns("Currency", "Bill", "Unit cost x units", "Without traffic", "Difference", "Reconciles");
            foreach (var c in reconciliation)
            {
                check.AddRow(
                    c.Currency, Formatting.Money(c.Billed, c.Currency), Formatting.Money(c.UnitCostTimesUnits, c.Currency),
                    Formatting.Money(c.CostWithoutTraffic, c.Currency), c.Difference.ToString("0.##########", CultureInfo.InvariantCulture), c.Reconciles ? "yes" : "[red]NO[/]");
            }

            console.Write(check);
        }
    }

    public static string Csv(UnitReport report)
    {
        var lines = new List<string>
        {
            CsvLine.Format(["scope", "period_start", "period_end", "currency", "cost", "predictions", "cost_per_prediction", "cost_per_thousand_predictions", "tokens", "cost_per_million_tokens",
                "active_users", "cost_per_active_user", "revenue", "gross_margin", "cost_per_prediction_change", "margin_per_call", "flags"]),
        };
        lines.AddRange(report.Rows.Select(r => CsvLine.Format([
            r.Scope, Day(r.PeriodStart), Day(r.PeriodEnd), r.Currency, Raw(r.Cost), Raw(r.Predictions), Raw(r.CostPerPrediction), Raw(r.CostPerThousandPredictions), Raw(r.Tokens),
            Raw(r.CostPerMillionTokens), Raw(r.ActiveUsers), Raw(r.CostPerActiveUser), Raw(r.Revenue), Raw(r.GrossMargin), Raw(r.CostPerPredictionChange), Raw(r.MarginPerCall),
            string.Join(' ', r.Flags)])));
        return string.Join('\n', lines) + "\n";
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Raw(decimal? v) => v is { } x ? x.ToString(CultureInfo.InvariantCulture) : "";

    private static string Count(decimal? v) => v is { } x ? Math.Round(x, 0).ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    private static string Money(decimal? v, string currency) => v is { } x ? Formatting.Money(x, currency) : "n/a";

    /// <summary>A unit cost with four significant digits (0.0001234), so tiny costs per prediction stay readable.</summary>
    internal static string Unit(decimal? v)
    {
        if (v is not { } x)
        {
            return "n/a";
        }

        if (x == 0 || Math.Abs(x) >= 100)
        {
            return x.ToString("#,##0.00", CultureInfo.InvariantCulture);
        }

        var digits = Math.Max(2, 3 - (int)Math.Floor(Math.Log10((double)Math.Abs(x))));
        return Math.Round(x, Math.Min(digits, 12)).ToString("0." + new string('#', Math.Min(digits, 12)), CultureInfo.InvariantCulture);
    }

    private static string Trend(decimal? change) => change is { } c
        ? (c > 0 ? "+" : "") + (c * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" + (c < 0 ? " [green]down[/]" : c > 0 ? " [red]up[/]" : "")
        : "n/a";
}
