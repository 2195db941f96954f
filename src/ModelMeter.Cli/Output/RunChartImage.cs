using ModelMeter.Application.Runs;
using ModelMeter.Core.Errors;
using ScottPlot;

namespace ModelMeter.Cli.Output;

/// <summary>The run charts as images (ScottPlot): PNG or SVG by the file's extension.</summary>
internal static class RunChartImage
{
    public const int Width = 1000;
    public const int Height = 560;

    /// <summary>Series colours, in order: each experiment's strip (or the chart's one series) has its own.</summary>
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    public static void Save(RunChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
        {
            throw new UserInputException($"--out '{path}': the chart is written as .png or .svg.");
        }

        using var plot = Build(chart);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (extension == ".png")
        {
            plot.SavePng(path, Width, Height);
        }
        else
        {
            plot.SaveSvg(path, Width, Height);
        }
    }

    internal static Plot Build(RunChart chart)
    {
        var plot = new Plot();
        plot.Title(chart.Title);
        switch (chart.Kind)
        {
            case "runtime":
                for (var i = 0; i < chart.Runtime.Count; i++)
                {
                    var strip = chart.Runtime[i];
                    var xs = strip.Hours.ToArray();
                    var ys = Enumerable.Repeat((double)i, xs.Length).ToArray();
                    var points = plot.Add.ScatterPoints(xs, ys);
                    points.Color = Color.FromHex(Palette[i % Palette.Length]);
                    points.MarkerSize = 9;
                    points.LegendText = strip.Experiment;
                }

                plot.Axes.Left.SetTicks(Enumerable.Range(0, chart.Runtime.Count).Select(i => (double)i).ToArray(), chart.Runtime.Select(s => s.Experiment).ToArray());
                plot.Axes.SetLimitsY(-0.5, Math.Max(0.5, chart.Runtime.Count - 0.5));
                plot.XLabel("hours per run tree");
                plot.ShowLegend();
                break;
            case "starts":
                var grid = new double[7, 24];
                for (var d = 0; d < 7; d++)
                {
                    for (var h = 0; h < 24; h++)
                    {
                        grid[d, h] = chart.Starts[d][h];
                    }
                }

                var heatmap = plot.Add.Heatmap(grid);
                heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
                plot.Add.ColorBar(heatmap);
                // A heatmap draws its first row at the top: Monday is the top row, as in the terminal chart.
                plot.Axes.Left.SetTicks([6, 5, 4, 3, 2, 1, 0], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
                plot.XLabel("hour of day (UTC)");
                break;
            default:
                var values = chart.Estimators.Select(e => (double)e.Cost).ToArray();
                var bars = plot.Add.Bars(values);
                bars.Color = Color.FromHex(Palette[0]);
                bars.LegendText = "cost" + (chart.Currency is null ? "" : $" ({chart.Currency})");
                plot.Axes.Bottom.SetTicks(Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray(), chart.Estimators.Select(e => $"{e.Estimator} ({e.Runs})").ToArray());
                plot.Axes.Margins(bottom: 0);
                plot.YLabel("cost" + (chart.Currency is null ? "" : $" ({chart.Currency})"));
                plot.ShowLegend();
                break;
        }

        return plot;
    }
}
