using System.Globalization;
using ModelMeter.Application.Forecasting;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Forecasts for people: the backtest, then each scope's period end.</summary>
internal static class ForecastWriter
{
    public static void Write(CliContext cli, ForecastReport report, bool backtest)
    {
        var chosen = report.Forecasters.First(f => f.Default);
        cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Forecast of {report.Period} ({report.PeriodStart:yyyy-MM-dd} to {report.PeriodEnd.AddDays(-1):yyyy-MM-dd}{(report.TimeZone == "UTC" ? "" : ", " + report.TimeZone)}) from the history through {report.AsOf:yyyy-MM-dd}, by {chosen.Name}{(chosen.Mape is { } m ? $" (backtest MAPE {m:0.##}%)" : "")}.")));
        if (backtest)
        {
            var scores = new Table().AddColumn("Forecaster").AddColumn(new TableColumn("MAPE").RightAligned()).AddColumn(new TableColumn("Forecasts").RightAligned())
                .AddColumn(new TableColumn("Periods").RightAligned()).AddColumn("Default");
            foreach (var f in report.Forecasters)
            {
                scores.AddRow(Markup.Escape(f.Name), f.Mape is { } mape ? mape.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-",
                    f.Forecasts.ToString(CultureInfo.InvariantCulture), f.Periods.ToString(CultureInfo.InvariantCulture), f.Default ? "yes" : "");
            }

            cli.Out.Write(scores);
        }

        if (report.Scopes.Count == 0)
        {
            return;
        }

        var table = new Table();
        foreach (var dimension in report.Dimensions)
        {
            table.AddColumn(Markup.Escape(dimension));
        }

        table.AddColumn(new TableColumn("Spent").RightAligned()).AddColumn(new TableColumn("Forecast").RightAligned()).AddColumn(new TableColumn("90% interval").RightAligned())
            .AddColumn(new TableColumn("Days left").RightAligned());
        if (backtest)
        {
            foreach (var f in report.Forecasters.Where(f => !f.Default))
            {
                table.AddColumn(new TableColumn(Markup.Escape(f.Name)).RightAligned());
            }
        }

        foreach (var scope in report.Scopes)
        {
            var cells = report.Dimensions.Select(d => Markup.Escape(scope.Values[d])).ToList();
            cells.Add(Markup.Escape(Formatting.Money(scope.Spent, scope.Currency)));
            cells.Add(Markup.Escape(Formatting.Money(scope.Forecast, scope.Currency) + " " + scope.Currency));
            cells.Add(Markup.Escape($"{Formatting.Money(scope.Lower, scope.Currency)}-{Formatting.Money(scope.Upper, scope.Currency)}"));
            cells.Add(scope.DaysLeft.ToString(CultureInfo.InvariantCulture));
            if (backtest)
            {
                cells.AddRange(report.Forecasters.Where(f => !f.Default).Select(f => Markup.Escape(Formatting.Money(scope.ByForecaster.First(b => b.Name == f.Name).Forecast, scope.Currency))));
            }

            table.AddRow(cells.ToArray());
        }

        cli.Out.Write(table);
    }
}
