using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Recommendations;
using ModelMeter.Core.Recommendations;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>
/// Recommendations (<c>modelmeter recommend</c>, <c>GET /api/v1/recommendations</c>): the findings ranked by monthly
/// saving with their total and a chart of savings by rule; <c>/recommendations/{id}</c> explains one finding (its
/// evidence, how the saving was worked out, what to do), as <c>recommend --explain ID</c>. The filters are the CLI's
/// options in the URL: <c>?where=tag:team=search&amp;min-saving=100&amp;from=2026-10-01&amp;to=2026-10-31</c>. A read
/// never moves the idle policy.
/// </summary>
public sealed class RecommendationsModel(Caller caller, RecommendUseCase recommend) : DashboardPage(caller)
{
    /// <summary>The finding to explain, or null for the list.</summary>
    [FromRoute]
    public string? Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "where")]
    public string[]? Where { get; set; }

    [BindProperty(SupportsGet = true, Name = "min-saving")]
    public string? MinSaving { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public RecommendationsReport? Report { get; private set; }

    /// <summary>The explained finding (<see cref="Id"/>).</summary>
    public Finding? Finding => Id is null || Report is not { Findings.Count: > 0 } report ? null : report.Findings[0];

    public IEnumerable<string> Conditions => (Where ?? []).Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim());

    public void OnGet()
    {
        decimal? minSaving = null;
        if (!string.IsNullOrWhiteSpace(MinSaving))
        {
            if (!decimal.TryParse(MinSaving.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                Error = $"min-saving '{MinSaving}' is not a number; give a monthly amount such as 100.";
                return;
            }

            minSaving = parsed;
        }

        Report = Try(() => recommend.Run(new RecommendRequest
        {
            Store = Caller.Store,
            Access = Caller.Access,
            Where = Conditions.ToList(),
            MinSaving = minSaving,
            From = string.IsNullOrWhiteSpace(From) ? null : From.Trim(),
            To = string.IsNullOrWhiteSpace(To) ? null : To.Trim(),
            Explain = Id,
        }));
    }

    /// <summary>The monthly saving of the findings listed, per rule and currency, largest first: the chart's bars.</summary>
    public IReadOnlyList<(string Rule, string Currency, decimal Saving, int Findings)> ByRule =>
        (Report?.Findings ?? []).GroupBy(f => (f.Rule, f.Currency))
            .Select(g => (g.Key.Rule, g.Key.Currency, g.Sum(f => f.MonthlySaving), g.Count()))
            .OrderByDescending(r => r.Item3).ThenBy(r => r.Rule, StringComparer.Ordinal).ToList();

    /// <summary>Savings by rule, one bar series per currency.</summary>
    public string RuleChart
    {
        get
        {
            var rules = ByRule.Select(r => r.Rule).Distinct(StringComparer.Ordinal).ToList();
            var series = ByRule.Select(r => r.Currency).Distinct(StringComparer.Ordinal)
                .Select(c => (c, (IReadOnlyList<decimal>)rules.Select(rule => ByRule.Where(r => r.Rule == rule && r.Currency == c).Sum(r => r.Saving)).ToList()));
            return BarsData(rules, series, ByRule.Select(r => r.Currency).Distinct(StringComparer.Ordinal).Count() == 1 ? ByRule[0].Currency : "");
        }
    }

    /// <summary>The window and filters as a query string, for the links between the list and a finding.</summary>
    public string WindowFilters(bool withThreshold = true)
    {
        var parts = Conditions.Select(w => "where=" + Uri.EscapeDataString(w)).ToList();
        if (withThreshold && !string.IsNullOrWhiteSpace(MinSaving))
        {
            parts.Add("min-saving=" + Uri.EscapeDataString(MinSaving.Trim()));
        }

        if (Report is { } report)
        {
            parts.Add("from=" + report.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            parts.Add("to=" + report.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
