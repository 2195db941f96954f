using System.Globalization;
using ModelMeter.Application.Anomalies;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Anomalies for people: each day with its drivers, then the detectors' scores when labels were given.</summary>
internal static class AnomalyWriter
{
    public static void Write(CliContext cli, AnomaliesReport report)
    {
        cli.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{report.Anomalies.Count} anomal{(report.Anomalies.Count == 1 ? "y" : "ies")} from {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} ({report.Detector}, score at least {report.Threshold:0.##}, impact at least {report.MinImpact:0.##}).")));
        if (report.Anomalies.Count > 0)
        {
            var table = new Table().AddColumn("Date");
            foreach (var dimension in report.Dimensions)
            {
                table.AddColumn(Markup.Escape(dimension));
            }

            table.AddColumn(new TableColumn("Actual").RightAligned()).AddColumn(new TableColumn("Expected").RightAligned())
                .AddColumn(new TableColumn("Impact").RightAligned()).AddColumn(new TableColumn("Score").RightAligned()).AddColumn("Drivers");
            foreach (var a in report.Anomalies)
            {
                var cells = new List<string> { a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
                cells.AddRange(report.Dimensions.Select(d => Markup.Escape(a.Dimensions[d])));
                cells.Add(Markup.Escape(Formatting.Money(a.Actual, a.Currency)));
                cells.Add(Markup.Escape(Formatting.Money(a.Expected, a.Currency)));
                cells.Add(Markup.Escape("+" + Formatting.Money(a.Impact, a.Currency)));
                cells.Add(a.Score.ToString("0.##", CultureInfo.InvariantCulture));
                cells.Add(Markup.Escape(string.Join("; ", a.Drivers.Take(2).Select(d => string.Create(CultureInfo.InvariantCulture,
                    $"{Describe(d.Dimensions)} +{Formatting.Money(d.Impact, a.Currency)} ({d.Share * 100m:0}%)")))));
                table.AddRow(cells.ToArray());
            }

            cli.Out.Write(table);
        }

        if (report.Evaluation is { } evaluation)
        {
            var scores = new Table().AddColumn("Detector").AddColumn(new TableColumn("Labels").RightAligned()).AddColumn(new TableColumn("Alerts").RightAligned())
                .AddColumn(new TableColumn("TP").RightAligned()).AddColumn(new TableColumn("FP").RightAligned()).AddColumn(new TableColumn("FN").RightAligned())
                .AddColumn(new TableColumn("Precision").RightAligned()).AddColumn(new TableColumn("Recall").RightAligned()).AddColumn(new TableColumn("F1").RightAligned());
            foreach (var s in evaluation)
            {
                scores.AddRow(Markup.Escape(s.Detector), I(s.Labels), I(s.Alerts), I(s.TruePositives), I(s.FalsePositives), I(s.FalseNegatives), F(s.Precision), F(s.Recall), F(s.F1));
            }

            cli.Out.Write(scores);
        }
    }

    private static string Describe(IReadOnlyDictionary<string, string> dimensions) =>
        string.Join(", ", dimensions.Where(d => d.Value is not ("(none)" or "(untagged)")).Select(d => d.Key == "ResourceId" ? d.Value : $"{d.Key}={d.Value}"));

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
