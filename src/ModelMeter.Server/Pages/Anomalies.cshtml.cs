using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Anomalies;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// Anomalies (<c>modelmeter anomalies</c>, <c>GET /api/v1/anomalies</c>): each anomalous day with its amount against
/// what was expected and the children that drove it, and per scope a chart of the daily run-rate cost the detector
/// judged with the anomalous days marked. The filters are the CLI's options in the URL:
/// <c>?by=tag:team&amp;where=...&amp;last=60d&amp;from=...&amp;to=...&amp;detector=wow&amp;min-impact=100&amp;threshold=4</c>.
/// A team key sees its team only (the use case adds the team to every scope).
/// </summary>
public sealed class AnomaliesModel(Caller caller, AnomaliesUseCase anomalies) : DashboardPage(caller)
{
    /// <summary>The groupings offered (any <c>--by</c> may be typed in the URL).</summary>
    public static readonly IReadOnlyList<string> Groupings = ["tag:team", "tag:model", "ServiceName", "SubAccountName"];

    public static IEnumerable<string> Detectors => Core.Anomalies.AnomalyDetectors.All.Select(d => d.Name);

    [BindProperty(SupportsGet = true, Name = "by")]
    public string? By { get; set; }

    [BindProperty(SupportsGet = true, Name = "where")]
    public string[]? Where { get; set; }

    [BindProperty(SupportsGet = true, Name = "last")]
    public string? Last { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "detector")]
    public string? Detector { get; set; }

    [BindProperty(SupportsGet = true, Name = "min-impact")]
    public string? MinImpact { get; set; }

    [BindProperty(SupportsGet = true, Name = "threshold")]
    public string? Threshold { get; set; }

    public AnomaliesReport? Report { get; private set; }

    public IReadOnlyList<AnomalySeriesDocument> Series { get; private set; } = [];

    public IEnumerable<string> Conditions => (Where ?? []).Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim());

    public void OnGet()
    {
        var minImpact = Amount(MinImpact, "min-impact", "an amount such as 100");
        var threshold = Amount(Threshold, "threshold", "a score such as 4 (seasonal_mad) or 0.5 (wow)");
        if (Error is not null)
        {
            return;
        }

        var found = Try(() => anomalies.RunWithSeries(new AnomaliesRequest
        {
            Store = Caller.Store,
            Access = Caller.Access,
            By = Blank(By),
            Where = Conditions.ToList(),
            Last = Blank(Last),
            From = Blank(From),
            To = Blank(To),
            Detector = Blank(Detector),
            MinImpact = minImpact,
            Threshold = threshold,
        }));
        Report = found?.Report;
        Series = found?.Series ?? [];
    }

    private decimal? Amount(string? text, string option, string valid)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        Error ??= $"{option} '{text}' is not a number; give {valid}.";
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A scope as people read it: <c>tag:team=nlp</c>, conditions joined by commas; the whole bill when ungrouped.</summary>
    public static string Scope(IReadOnlyDictionary<string, string> dimensions) =>
        dimensions.Count == 0 ? "whole bill" : string.Join(", ", dimensions.Select(d => $"{d.Key}={d.Value}"));

    /// <summary>A scope's key in the page (the chart, its table and the anomalies' rows): scope and currency.</summary>
    public static string Key(IReadOnlyDictionary<string, string> dimensions, string currency) => Scope(dimensions) + " " + currency;

    /// <summary>The anomalies of one charted scope, by day.</summary>
    public IReadOnlyDictionary<DateOnly, AnomalyDocument> AnomaliesOf(AnomalySeriesDocument series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var key = Key(series.Dimensions, series.Currency);
        return (Report?.Anomalies ?? []).Where(a => Key(a.Dimensions, a.Currency) == key).ToDictionary(a => a.Date);
    }

    /// <summary>The scope's daily cost as a line, and the anomalous days as marks (their actual cost, nothing on other days).</summary>
    public string Chart(AnomalySeriesDocument series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var marked = AnomaliesOf(series);
        var labels = series.Days.Select(d => Day(d.Date)).ToList();
        return SeriesData(
            labels,
            [
                ("daily cost", series.Days.Select(d => (decimal?)d.Actual).ToList()),
                ("anomaly", series.Days.Select(d => marked.TryGetValue(d.Date, out var a) ? a.Actual : (decimal?)null).ToList()),
            ],
            series.Currency,
            marks: 1);
    }

    /// <summary>The drivers in a few words: <c>ResourceId=i-0a1b… +632.96 (78%)</c>, largest first.</summary>
    public static string Driver(DriverDocument driver, string currency)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return string.Join(", ", driver.Dimensions.Where(d => d.Value.Length > 0).Select(d => $"{d.Key}={d.Value}"))
               + " " + WithSign(driver.Impact, currency) + " (" + Percent(driver.Share) + ")";
    }

    public static string WithSign(decimal amount, string currency) => (amount >= 0m ? "+" : "") + Money(amount, currency);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The options as the CLI spells them, for the note under the table.</summary>
    public string Command()
    {
        var parts = new List<string> { "modelmeter anomalies" };
        void Add(string option, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"--{option} {value.Trim()}");
            }
        }

        Add("by", By);
        foreach (var condition in Conditions)
        {
            Add("where", condition);
        }

        Add("last", Last);
        Add("from", From);
        Add("to", To);
        Add("detector", Detector);
        Add("min-impact", MinImpact);
        Add("threshold", Threshold);
        return string.Join(' ', parts);
    }
}
