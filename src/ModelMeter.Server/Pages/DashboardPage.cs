using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModelMeter.Application.Reporting;
using ModelMeter.Core.Monetary;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// What every dashboard page shares: the filters in the URL (<c>?month=2026-10&amp;environment=prod</c>, so a view is a
/// link), the caller (its store and scope), and how figures are shown. Pages call the use cases, never the store.
/// </summary>
public abstract class DashboardPage(Caller caller) : PageModel
{
    public static readonly IReadOnlyList<string> Environments = ["prod", "staging", "dev"];

    protected Caller Caller { get; } = caller;

    /// <summary>The month shown (<c>yyyy-MM</c>); empty for this month to date.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    /// <summary>One environment (<c>tag:environment=VALUE</c>), or empty for all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Environment { get; set; }

    public string? Error { get; protected set; }

    /// <summary>The month the page shows: the one asked, or the current one.</summary>
    public string ShownMonth => string.IsNullOrWhiteSpace(Month)
        ? HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : Month.Trim();

    /// <summary>The filters as a query, with extra conditions.</summary>
    protected CostQueryText Query(params string[] where)
    {
        var conditions = where.ToList();
        if (!string.IsNullOrWhiteSpace(Environment))
        {
            conditions.Add($"tag:environment={Environment.Trim()}");
        }

        return new CostQueryText { Month = ShownMonth, Where = conditions };
    }

    /// <summary>The filters as a query string, for links that keep them.</summary>
    public string Filters(string? extra = null)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Month))
        {
            parts.Add("month=" + Uri.EscapeDataString(Month));
        }

        if (!string.IsNullOrWhiteSpace(Environment))
        {
            parts.Add("environment=" + Uri.EscapeDataString(Environment));
        }

        if (extra is not null)
        {
            parts.Add(extra);
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    public static string Money(decimal amount, string currency) => MoneyText.Amount(amount, currency) + " " + currency;

    public static string Percent(decimal share) => (share * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A daily series for the chart script: labels and one series per currency, the same numbers as the table.</summary>
    public static string ChartData(CostReport daily)
    {
        ArgumentNullException.ThrowIfNull(daily);
        var labels = daily.Rows.Select(r => r.Period!).Distinct().Order(StringComparer.Ordinal).ToList();
        var series = daily.Rows.GroupBy(r => r.Currency, StringComparer.Ordinal).Select(g => new
        {
            name = g.Key,
            values = labels.Select(l => g.Where(r => r.Period == l).Sum(r => r.Cost)).Select(v => Math.Round(v, 2)).ToList(),
        }).ToList();
        return JsonSerializer.Serialize(new { labels, series });
    }

    /// <summary>
    /// Points for the chart script's scatter (<c>kind: "scatter"</c>): x and y of each point, sorted by x, with the axes'
    /// names; the same points are in the table beside the chart. Doubles only to draw: the table shows the decimals.
    /// </summary>
    public static string ScatterData(IEnumerable<(double X, decimal Y)> points, string xLabel, string yLabel, bool time = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sorted = points.OrderBy(p => p.X).ToList();
        return JsonSerializer.Serialize(new
        {
            kind = "scatter",
            time,
            x = xLabel,
            y = yLabel,
            xs = sorted.Select(p => p.X).ToList(),
            ys = sorted.Select(p => Math.Round(p.Y, 4)).ToList(),
        });
    }

    /// <summary>
    /// A line per series over dated labels (<c>yyyy-MM-dd</c>), with a unit for the values (null where a series has none).
    /// The series from index <paramref name="marks"/> on are drawn as large marks without a line (anomalous days).
    /// </summary>
    public static string SeriesData(IReadOnlyList<string> labels, IEnumerable<(string Name, IReadOnlyList<decimal?> Values)> series, string unit, int? height = null, int? marks = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        return JsonSerializer.Serialize(new
        {
            labels,
            unit,
            height,
            series = series.Select((s, i) => new { name = s.Name, values = s.Values.Select(v => v is { } x ? Math.Round(x, 6) : (decimal?)null).ToList(), marks = i >= (marks ?? int.MaxValue) }).ToList(),
        });
    }

    /// <summary>
    /// Bars over named categories for the chart script (<c>kind: "bars"</c>): one value per label and series, stacked or
    /// side by side; the same amounts are in the table beside the chart. Doubles only to draw.
    /// </summary>
    public static string BarsData(IReadOnlyList<string> labels, IEnumerable<(string Name, IReadOnlyList<decimal> Values)> series, string unit, bool stacked = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        return JsonSerializer.Serialize(new
        {
            kind = "bars",
            labels,
            unit,
            stacked,
            series = series.Select(s => new { name = s.Name, values = s.Values.Select(v => Math.Round(v, 2)).ToList() }).ToList(),
        });
    }

    /// <summary>A plain number for people (invariant culture, up to the decimals given).</summary>
    public static string Number(decimal? value, string format = "#,##0.##") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Runs a use case, turning a user-input error (a bad filter, no store yet) into a message on the page.</summary>
    protected T? Try<T>(Func<T> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Core.Errors.UserInputException e)
        {
            Error = e.Message;
            return null;
        }
    }
}
