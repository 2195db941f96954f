using System.Globalization;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Configuration;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Alerts;
using ModelMeter.Core.Anomalies;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Forecasting;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;

namespace ModelMeter.Application.Anomalies;

/// <summary><c>anomalies</c>: which scopes, which days, which detector.</summary>
public sealed record AnomaliesRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (its team is one more condition of every scope).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>Scopes, in the <c>--by</c> syntax; default the config's <c>anomalies.by</c>, else the whole bill.</summary>
    public string? By { get; init; }

    public IReadOnlyList<string> Where { get; init; } = [];

    /// <summary>The days looked at: <c>--last 30d</c> (default), or <c>--from/--to</c>.</summary>
    public string? Last { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    /// <summary><c>seasonal_mad</c> (default) or <c>wow</c>.</summary>
    public string? Detector { get; init; }

    public decimal? MinImpact { get; init; }

    public decimal? Threshold { get; init; }

    /// <summary>A CSV of known anomalies (<c>start,end,scope,cause</c>): score every detector against it.</summary>
    public string? Labels { get; init; }
}

/// <summary>
/// Cost anomalies: each scope's daily run-rate cost judged by a robust detector, with the children that drove each
/// anomaly; with labels, the precision, recall and F1 of every detector on the same data.
/// </summary>
public sealed class AnomaliesUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    /// <summary>Days of history read before the window, so the first day of the window has a baseline.</summary>
    private const int Lookback = 84;

    private static readonly Dimension[] DriverDimensions =
        [new ColumnDimension("ServiceName"), new ColumnDimension("ResourceId"), new ColumnDimension("SubAccountName"), new TagDimension("team")];

    public AnomaliesReport Run(AnomaliesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = stores.LoadConfig(request.Store);
        var settings = BudgetConfigReader.Anomalies(config);
        using var opened = stores.Open(request.Store, config, StoreAccess.Read, "anomaly detection reads the daily spend from it");
        var setup = AttributionSetup.From(config, stores.Configs.BaseDirectory(config));
        return Detect(opened.Store, setup, settings, request);
    }

    /// <summary>
    /// The same detection, with the daily run-rate cost of every scope that has an anomaly over the window: the series
    /// the detector judged, for the dashboard to chart with the anomalous days marked.
    /// </summary>
    public AnomaliesWithSeries RunWithSeries(AnomaliesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = stores.LoadConfig(request.Store);
        var settings = BudgetConfigReader.Anomalies(config);
        using var opened = stores.Open(request.Store, config, StoreAccess.Read, "anomaly detection reads the daily spend from it");
        var setup = AttributionSetup.From(config, stores.Configs.BaseDirectory(config));
        var series = new List<AnomalySeriesDocument>();
        var report = Analyse(opened.Store, setup, settings, request, series);
        return new AnomaliesWithSeries(report, series);
    }

    /// <summary>The detection itself, on an open store: <c>alert</c> calls it too.</summary>
    internal AnomaliesReport Detect(ICostStore store, AttributionSetup setup, AnomalySettings settings, AnomaliesRequest request) =>
        Analyse(store, setup, settings, request, null);

    /// <param name="charted">When given, receives the window's daily series of each scope with an anomaly.</param>
    private AnomaliesReport Analyse(ICostStore store, AttributionSetup setup, AnomalySettings settings, AnomaliesRequest request, List<AnomalySeriesDocument>? charted)
    {
        var detector = AnomalyDetectors.Find(request.Detector ?? settings.Detector)
                       ?? throw new UserInputException($"--detector '{request.Detector}' is not a detector; use {string.Join(" or ", AnomalyDetectors.All.Select(d => d.Name))}.");
        if (request.MinImpact is < 0m || request.Threshold is <= 0m)
        {
            throw new UserInputException("--min-impact must not be negative and --threshold must be positive.");
        }

        var by = ReportArguments.ParseBy(request.By ?? settings.By);
        // --where replaces the config's anomalies.where; the team scope is always added.
        var where = request.Access.Restrict(request.Where.Count > 0 ? request.Where : settings.Where).Select(ReportArguments.ParseFilter).ToList();
        var options = new DetectorOptions(request.MinImpact ?? settings.MinimumImpact, request.Threshold ?? settings.Threshold ?? detector.Defaults.Threshold);
        var labels = request.Labels is null ? null : ReadLabels(request.Labels);
        var today = environment.Today;
        var last = SpendSeriesReader.LastDay(store, TimeZoneInfo.Utc, today);
        var first = SpendSeriesReader.FirstDay(store, TimeZoneInfo.Utc);
        var (fromInstant, toInstant) = ReportArguments.ParsePeriod(request.From, request.To, request.From is null && request.To is null && labels is null ? request.Last ?? "30d" : request.Last, null, environment.UtcNow);
        if (last is null || first is null)
        {
            return new AnomaliesReport(detector.Name, today, today, options.MinimumImpact, options.Threshold, by.Select(d => d.Label).ToList(), [], null)
            {
                Warnings = ["The store holds no line items to look at."],
            };
        }

        var from = fromInstant is { } f ? DateOnly.FromDateTime(f) : first.Value;
        var to = toInstant is { } t ? DateOnly.FromDateTime(t.AddTicks(-1)) : last.Value;
        if (to > last.Value)
        {
            to = last.Value;
        }

        var historyStart = from.AddDays(-Lookback) < first.Value ? first.Value : from.AddDays(-Lookback);
        var series = new SpendSeriesReader(store, setup).Read(where, by, BudgetBasis.Direct, TimeZoneInfo.Utc, historyStart, to);
        var warnings = new List<string>();
        if (from > first.Value && from.DayNumber - historyStart.DayNumber < 21)
        {
            warnings.Add(FormattableString.Invariant($"Only {from.DayNumber - historyStart.DayNumber} day(s) of history before {from:yyyy-MM-dd}: {detector.Name} needs three weeks of history, so the first days are not judged."));
        }

        var found = new List<(ScopeSeries Scope, DetectedAnomaly Anomaly)>();
        foreach (var scope in series)
        {
            var values = scope.Days.Select(d => (d.Day, d.RunRate)).ToList();
            found.AddRange(detector.Detect(values, options).Where(a => a.Date >= from && a.Date <= to).Select(a => (scope, a)));
        }

        if (charted is not null)
        {
            charted.AddRange(found.Select(f => f.Scope).Distinct().Select(scope => new AnomalySeriesDocument(
                Dimensions(by, scope.Values),
                scope.Currency,
                scope.Days.Where(d => d.Day >= from && d.Day <= to).Select(d => new AnomalySeriesDay(d.Day, d.RunRate)).ToList())));
        }

        var drivers = Drivers(store, setup, by, where, found);
        var anomalies = found
            .Select(x => new AnomalyDocument(
                x.Anomaly.Date, Dimensions(by, x.Scope.Values), x.Scope.Currency, x.Anomaly.Actual, x.Anomaly.Expected, x.Anomaly.Impact, x.Anomaly.Score, detector.Name,
                drivers.GetValueOrDefault((x.Anomaly.Date, Key(x.Scope.Values, x.Scope.Currency))) ?? []))
            .OrderByDescending(a => a.Date).ThenByDescending(a => a.Impact)
            .ToList();

        IReadOnlyList<DetectorScoreDocument>? evaluation = null;
        if (labels is not null)
        {
            var judged = historyStart.AddDays(21);
            var relevant = labels.Where(l => l.Start <= to && l.End >= from && ScopeMatches(l.Scope, by)).ToList();
            evaluation = AnomalyDetectors.All.Select(d =>
            {
                var o = d == detector ? options : new DetectorOptions(options.MinimumImpact, d.Defaults.Threshold);
                var alerts = series.SelectMany(s => d.Detect(s.Days.Select(x => (x.Day, x.RunRate)).ToList(), o)
                        .Where(a => a.Date >= from && a.Date <= to)
                        .Select(a => (a.Date, ScopeKey(by, s.Values))))
                    .ToList();
                var score = DetectorEvaluation.Score(d.Name, alerts, relevant, judged > from ? judged : from);
                return new DetectorScoreDocument(d.Name, score.TruePositives + score.FalseNegatives, alerts.Count, score.TruePositives, score.FalsePositives, score.FalseNegatives,
                    score.Precision, score.Recall, score.F1);
            }).ToList();
        }

        return new AnomaliesReport(detector.Name, from, to, options.MinimumImpact, options.Threshold, by.Select(d => d.Label).ToList(), anomalies, evaluation)
        {
            Warnings = warnings,
        };
    }

    /// <summary>A scope's key as labels write it: <c>tag:team=search</c>, conditions joined with <c> and </c>; empty for the whole bill.</summary>
    public static string ScopeKey(IReadOnlyList<Dimension> by, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(" and ", by.Select((d, i) => $"{d.Label}={values[i]}"));
    }

    private static bool ScopeMatches(string scope, IReadOnlyList<Dimension> by)
    {
        if (by.Count == 0)
        {
            return scope.Length == 0;
        }

        var labels = scope.Split(" and ", StringSplitOptions.TrimEntries).Select(c => c.Split('=')[0]).ToList();
        return labels.SequenceEqual(by.Select(d => d.Label), StringComparer.OrdinalIgnoreCase);
    }

    private static Dictionary<(DateOnly, string), IReadOnlyList<DriverDocument>> Drivers(
        ICostStore store, AttributionSetup setup, IReadOnlyList<Dimension> by, List<Filter> where, List<(ScopeSeries Scope, DetectedAnomaly Anomaly)> found)
    {
        var result = new Dictionary<(DateOnly, string), IReadOnlyList<DriverDocument>>();
        if (found.Count == 0)
        {
            return result;
        }

        var childDims = DriverDimensions.Where(d => !by.Contains(d)).ToList();
        var first = found.Min(f => f.Anomaly.Date).AddDays(-28);
        var last = found.Max(f => f.Anomaly.Date);
        var query = new CostQuery
        {
            By = [.. by, .. childDims],
            Where = [.. where, new Filter(new ColumnDimension("ChargeCategory"), FilterOperator.NotIn, OneOffCharges.Categories)],
            From = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            To = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            Grain = TimeGrain.Day,
        };
        var children = store.QueryCosts(query, setup.Policy)
            .GroupBy(r => (Scope: Key(r.Values.Take(by.Count).ToList(), r.Currency), Child: string.Join('\u0001', r.Values.Skip(by.Count))), t => t)
            .GroupBy(g => g.Key.Scope, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.Select(c => (
                        Dimensions: (IReadOnlyDictionary<string, string>)childDims.Select((d, i) => (d.Label, c.First().Values[by.Count + i])).ToDictionary(p => p.Label, p => p.Item2, StringComparer.Ordinal),
                        Days: (IReadOnlyDictionary<DateOnly, decimal>)c.GroupBy(r => DateOnly.FromDateTime(r.Period!.Value)).ToDictionary(x => x.Key, x => x.Sum(r => r.Cost))))
                    .ToList(),
                StringComparer.Ordinal);
        foreach (var (scope, anomaly) in found)
        {
            var key = Key(scope.Values, scope.Currency);
            var explained = Core.Anomalies.Drivers.Explain(children.GetValueOrDefault(key) ?? [], anomaly.Date, anomaly.Impact)
                .Select(d => new DriverDocument(d.Dimensions, d.Actual, d.Expected, d.Impact, d.Share))
                .ToList();
            result[(anomaly.Date, key)] = explained;
        }

        return result;
    }

    private static string Key(IReadOnlyList<string> values, string currency) => string.Join('\u0001', values) + '\u0002' + currency;

    private static Dictionary<string, string> Dimensions(IReadOnlyList<Dimension> by, IReadOnlyList<string> values) =>
        by.Select((d, i) => (d.Label, values[i])).ToDictionary(p => p.Label, p => p.Item2, StringComparer.Ordinal);

    /// <summary>Reads <c>start,end,scope,cause</c> lines (days as YYYY-MM-DD; end inclusive; scope empty for the whole bill; no quoted commas).</summary>
    private List<LabelledAnomaly> ReadLabels(string path)
    {
        var text = ConfigLocator.ReadText(environment.ResolvePath(path), path);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var labels = new List<LabelledAnomaly>();
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name) is var i && i >= 0 ? i : throw new UserInputException($"{path}: line 1 has no '{name}' column; the labels file needs start,end,scope,cause.");
        var (start, end, scope, cause) = (Column("start"), Column("end"), Column("scope"), Column("cause"));
        for (var n = 1; n < lines.Length; n++)
        {
            if (lines[n].Trim().Length == 0)
            {
                continue;
            }

            var fields = lines[n].Split(',');
            DateOnly Day(int column, string name) =>
                column < fields.Length && DateOnly.TryParseExact(fields[column].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d
                    : throw new UserInputException($"{path}: line {n + 1}, column {column + 1} ({name}): '{(column < fields.Length ? fields[column] : "")}' is not a day such as 2026-10-09.");
            labels.Add(new LabelledAnomaly(Day(start, "start"), Day(end, "end"), scope < fields.Length ? fields[scope].Trim() : "", cause < fields.Length ? fields[cause] : ""));
        }

        return labels;
    }
}
