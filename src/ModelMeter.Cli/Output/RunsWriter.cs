using System.Globalization;
using System.Text;
using ModelMeter.Application.Runs;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders <see cref="RunsResult"/>: runs, roll-ups, estimate reconciliation and the terminal run charts.</summary>
internal static class RunsWriter
{
    public static void WriteTable(CliContext cli, RunsResult result)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Groups.Count > 0)
        {
            WriteGroups(cli, result);
        }
        else
        {
            WriteRuns(cli, result);
        }

        var t = result.Totals;
        cli.Out.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{t.Runs} run(s) in {t.RunTrees} run tree(s): {Hours(t.RunTimeSeconds)} of run time (nested runs counted once), cost {Money(t.Cost, t.Currency)} ({t.CostBasis}); " +
            $"wasted on {t.WasteRuns} failed or killed run(s): {Money(t.WasteCost, t.Currency)}{(t.WasteShare is { } s ? $" ({Formatting.Percent(s)})" : "")}.")));
        if (result.Reconciliation.Count > 0)
        {
            WriteReconciliation(cli, result.Reconciliation);
        }
    }

    private static void WriteRuns(CliContext cli, RunsResult result)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("run");
        table.AddColumn("experiment");
        table.AddColumn("status");
        table.AddColumn("start (UTC)");
        table.AddColumn(new TableColumn("duration").RightAligned());
        table.AddColumn(new TableColumn("cost").RightAligned());
        table.AddColumn("basis");
        table.AddColumn("estimator");
        foreach (var metric in result.Metrics)
        {
            table.AddColumn(new TableColumn(metric.Metric).RightAligned());
            table.AddColumn(new TableColumn("cost/point").RightAligned());
        }

        foreach (var run in result.Runs)
        {
            var cells = new List<string>
            {
                (run.ParentRunId is null ? "" : "  └ ") + Markup.Escape(run.RunName ?? run.RunId[..Math.Min(8, run.RunId.Length)]),
                Markup.Escape(run.Experiment),
                run.Status is "FAILED" or "KILLED" ? $"[red]{run.Status}[/]" : run.Open ? $"[yellow]{run.Status}[/]" : run.Status,
                run.Start?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
                run.DurationSeconds is { } d ? Hours(d) : "",
                Money(run.Cost, run.Currency),
                run.CostBasis,
                Markup.Escape(run.Estimator ?? ""),
            };
            foreach (var e in run.Efficiency)
            {
                cells.Add(e.Value is { } v ? Number(v) : e.InvalidValue is not null || run.Metrics.ContainsKey(e.Metric) && e.Value is null && e.InvalidValue is null ? "n/a" : "");
                cells.Add(e.CostPerPoint is { } c ? Money(c, run.Currency) : "");
            }

            table.AddRow(cells.ToArray());
        }

        cli.Out.Write(table);
    }

    private static void WriteGroups(CliContext cli, RunsResult result)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "group", "runs", "trees", "failed", "killed", "running", "run time", "cost", "basis", "waste", "waste %" })
        {
            table.AddColumn(column is "group" or "basis" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }

        foreach (var g in result.Groups)
        {
            table.AddRow(
                Markup.Escape(g.Group), Count(g.Runs), Count(g.RunTrees), Count(g.Failed), Count(g.Killed), Count(g.Running), Hours(g.RunTimeSeconds),
                Money(g.Cost, g.Currency), g.CostBasis, Money(g.WasteCost, g.Currency), g.WasteShare is { } s ? Formatting.Percent(s) : "");
        }

        cli.Out.Write(table);
    }

    private static void WriteReconciliation(CliContext cli, IReadOnlyList<EstimateReconciliation> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Estimates against actual runs");
        foreach (var column in new[] { "estimate", "spec", "runs", "estimated", "actual", "error", "est. hours", "actual hours", "time error" })
        {
            table.AddColumn(column is "estimate" or "spec" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }

        foreach (var r in rows)
        {
            table.AddRow(
                Markup.Escape(r.EstimateId), Markup.Escape(r.Spec), Count(r.Runs), Money(r.EstimatedCost, r.Currency), Money(r.ActualCost, r.Currency),
                Signed(r.CostError), r.EstimatedHours is { } h ? Number(Math.Round(h, 2)) : "", Number(Math.Round(r.ActualHours, 2)), Signed(r.TimeError));
        }

        cli.Out.Write(table);
        foreach (var note in rows.Where(r => r.Note is not null))
        {
            cli.Out.MarkupLine($"  {Markup.Escape(note.EstimateId)}: {Markup.Escape(note.Note!)}");
        }
    }

    /// <summary>The terminal run charts: a strip per experiment, a weekday × hour grid, bars per estimator.</summary>
    public static void WriteChart(CliContext cli, RunChart chart)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(chart);
        cli.Out.MarkupLine($"[bold]{Markup.Escape(chart.Title)}[/]");
        switch (chart.Kind)
        {
            case "runtime":
                const int Width = 50;
                var max = chart.Runtime.SelectMany(s => s.Hours).DefaultIfEmpty(0).Max();
                var label = chart.Runtime.Select(s => s.Experiment.Length).DefaultIfEmpty(10).Max();
                foreach (var strip in chart.Runtime)
                {
                    var line = new char[Width + 1];
                    Array.Fill(line, '·');
                    foreach (var hours in strip.Hours)
                    {
                        line[max <= 0 ? 0 : (int)Math.Round(hours / max * Width)] = '●';
                    }

                    cli.Out.MarkupLine(Markup.Escape($"{strip.Experiment.PadRight(label)} |{new string(line)}| {strip.Hours.Count} tree(s), median {Number((decimal)Median(strip.Hours))} h"));
                }

                cli.Out.MarkupLine(Markup.Escape($"{new string(' ', label)}  0 h{new string(' ', Width - 6)}{Number((decimal)max)} h"));
                break;
            case "starts":
                string[] days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                var top = chart.Starts.SelectMany(r => r).DefaultIfEmpty(0).Max();
                cli.Out.MarkupLine("     " + string.Concat(Enumerable.Range(0, 24).Select(h => h % 6 == 0 ? h.ToString("00", CultureInfo.InvariantCulture).PadRight(6) : "")));
                for (var d = 0; d < 7; d++)
                {
                    var cells = chart.Starts[d].Select(n => n == 0 ? '·' : top <= 1 ? '█' : " ░▒▓█"[Math.Min(4, 1 + (3 * (n - 1) / Math.Max(1, top - 1)))]);
                    cli.Out.MarkupLine(Markup.Escape($"{days[d]}  {string.Concat(cells)}  {chart.Starts[d].Sum()}"));
                }

                break;
            default:
                var bars = new BarChart().Width(70).Label("cost per estimator" + (chart.Currency is null ? "" : $" ({chart.Currency})"));
                foreach (var bar in chart.Estimators)
                {
                    bars.AddItem(Markup.Escape($"{bar.Estimator} ({bar.Runs} runs)"), (double)Math.Round(bar.Cost, 2), Color.Teal);
                }

                cli.Out.Write(bars);
                break;
        }
    }

    public static string Csv(RunsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        if (result.Groups.Count > 0)
        {
            text.Append(Output.Csv.Line(["group", "runs", "run_trees", "finished", "failed", "killed", "running", "run_time_seconds", "cost", "currency", "cost_basis", "waste_runs", "waste_cost", "waste_share"]));
            foreach (var g in result.Groups)
            {
                text.Append(Output.Csv.Line([
                    g.Group, I(g.Runs), I(g.RunTrees), I(g.Finished), I(g.Failed), I(g.Killed), I(g.Running), D(g.RunTimeSeconds), M(g.Cost), g.Currency, g.CostBasis,
                    I(g.WasteRuns), M(g.WasteCost), M(g.WasteShare)]));
            }

            return text.ToString();
        }

        var header = new List<string> { "run_id", "run_name", "experiment", "parent_run_id", "status", "start", "end", "open", "duration_seconds", "cost", "currency", "cost_basis", "resource_id", "instance_type", "estimator" };
        foreach (var metric in result.Metrics)
        {
            header.AddRange([metric.Metric, metric.Metric + "_gain_points", metric.Metric + "_cost_per_point"]);
        }

        text.Append(Output.Csv.Line(header));
        foreach (var r in result.Runs)
        {
            var fields = new List<string?>
            {
                r.RunId, r.RunName, r.Experiment, r.ParentRunId, r.Status, T(r.Start), T(r.End), r.Open ? "true" : "false", r.DurationSeconds is { } d ? D(d) : null,
                M(r.Cost), r.Currency, r.CostBasis, r.ResourceId, r.InstanceType, r.Estimator,
            };
            foreach (var e in r.Efficiency)
            {
                fields.AddRange([M(e.Value), M(e.GainPoints), M(e.CostPerPoint)]);
            }

            text.Append(Output.Csv.Line(fields));
        }

        return text.ToString();
    }

    private static double Median(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;

    private static string Hours(double seconds) => seconds < 3600
        ? (seconds / 60).ToString("0.0", CultureInfo.InvariantCulture) + " min"
        : (seconds / 3600).ToString("#,##0.0", CultureInfo.InvariantCulture) + " h";

    private static string Money(decimal? amount, string? currency) => amount is { } a && currency is not null ? Formatting.Money(a, currency) + " " + currency : "n/a";

    private static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Signed(decimal? share) => share is { } s ? (s >= 0 ? "+" : "") + Formatting.Percent(s) : "";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string I(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string D(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? M(decimal? d) => d?.ToString(CultureInfo.InvariantCulture);

    private static string? T(DateTime? t) => t?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
