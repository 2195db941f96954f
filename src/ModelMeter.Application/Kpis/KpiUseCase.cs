using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Kpis;
using ModelMeter.Core.Reporting;
using ModelMeter.Core.Runs;
using ModelMeter.Store;

namespace ModelMeter.Application.Kpis;

/// <summary><c>modelmeter kpi</c>: the period options and <c>--grain</c> (default month).</summary>
public sealed record KpiRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public CostQueryText Query { get; init; } = CostQueryText.Everything;
}

/// <summary>The answer of <c>modelmeter kpi</c>: every KPI of <c>kpis:</c> per period, in tree order (goals before the KPIs under them).</summary>
public sealed record KpiReport(string Grain, IReadOnlyList<DateOnly> Periods, IReadOnlyList<KpiResult> Kpis)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <param name="Depth">Its depth in the KPI tree (0 for a root).</param>
/// <param name="Status">In the last period: on_target, off_target, no_data, no_target.</param>
public sealed record KpiResult(
    string Name,
    string? Description,
    string? Formula,
    string? Unit,
    decimal? Target,
    string Direction,
    string? Parent,
    int Depth,
    IReadOnlyList<KpiValue> Values,
    string Status);

public sealed record KpiValue(DateOnly PeriodStart, DateOnly PeriodEnd, decimal? Value, string Status);

/// <summary>
/// Evaluates the named KPIs of <c>modelmeter.yaml</c> per period. Formula calls (all over the period evaluated):
/// <c>cost(FILTER, ...)</c> billed cost with <c>--where</c> filters (<c>tag:model=ranker</c>);
/// <c>usage(METRIC, key=value, ...)</c> the sum of a usage counter; <c>mean(METRIC, key=value, ...)</c> a gauge's mean
/// (GPU utilisation); <c>business(METRIC, key=value, ...)</c> a business metric (pro-rated by days);
/// <c>tokens(key=value, ...)</c> and <c>llm_cost(key=value, ...)</c> LLM calls; <c>run_metric(EXPERIMENT, METRIC)</c>
/// the metric of the experiment's last run that ended in the period; <c>previous(FORMULA)</c> the formula over the
/// period before; and any other KPI by name.
/// </summary>
public sealed class KpiUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public KpiReport Run(KpiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query with { Grain = request.Query.Grain ?? "month" };
        var query = text.ToQuery(environment.UtcNow);
        var grain = query.Grain!.Value;
        using var opened = stores.Open(request.Store, StoreAccess.Read, "kpi reads costs, usage and metrics from it");
        var config = opened.Config;
        var where = config.SourcePath ?? "modelmeter.yaml";
        if (config.Kpis.Count == 0)
        {
            throw new UserInputException($"{where}: no kpis: section. Name each KPI with a formula, a target and a direction (see README, modelmeter kpi).");
        }

        var setup = AttributionSetup.From(config, stores.Configs.BaseDirectory(config));
        var formulas = config.Kpis.ToDictionary(
            k => k.Key,
            k => k.Value.Formula is { Length: > 0 } f ? KpiFormula.Parse(f, $"{where}: kpis.{k.Key}") : null,
            StringComparer.Ordinal);
        foreach (var (name, kpi) in config.Kpis)
        {
            if (kpi.Parent is { } parent && !config.Kpis.ContainsKey(parent))
            {
                throw new UserInputException($"{where}: kpis.{name}.parent '{parent}' is not a KPI; known: {string.Join(", ", config.Kpis.Keys.Order(StringComparer.Ordinal))}.");
            }

            if (kpi.Direction is not (null or "below" or "above"))
            {
                throw new UserInputException($"{where}: kpis.{name}.direction '{kpi.Direction}' is not below or above.");
            }
        }

        var periods = Periods(opened.Store, query, grain);
        var source = new Sources(opened.Store, setup.Policy, grain);
        var values = new Dictionary<(string, DateOnly), decimal?>();
        decimal? Value(string name, DateOnly start, HashSet<string> visiting)
        {
            if (values.TryGetValue((name, start), out var known))
            {
                return known;
            }

            if (!visiting.Add(name))
            {
                throw new UserInputException($"{where}: kpis.{name} refers to itself through {string.Join(" -> ", visiting)}.");
            }

            var value = formulas[name]?.Evaluate(call => Call(call, start, visiting));
            visiting.Remove(name);
            values[(name, start)] = value;
            return value;
        }

        decimal? Call(KpiCall call, DateOnly start, HashSet<string> visiting)
        {
            if (call.Name == "previous")
            {
                var before = TimeBuckets.Start(start.AddDays(-1), grain);
                return call.Inner!.Evaluate(c => Call(c, before, visiting));
            }

            if (call.Arguments.Count == 0 && formulas.ContainsKey(call.Name) && call.Name is not ("cost" or "tokens" or "llm_cost"))
            {
                return Value(call.Name, start, visiting);
            }

            return source.Evaluate(call, start, End(start, grain), where);
        }

        var results = new List<KpiResult>();
        void Add(string name, int depth)
        {
            var kpi = config.Kpis[name];
            var direction = kpi.Direction ?? "below";
            var series = periods.Select(p =>
            {
                var v = Value(name, p, new HashSet<string>(StringComparer.Ordinal));
                return new KpiValue(p, End(p, grain), v, KpiStatus.Of(v, kpi.Target, direction));
            }).ToList();
            var index = results.Count;
            results.Add(null!);
            foreach (var child in config.Kpis.Where(k => k.Value.Parent == name).Select(k => k.Key).Order(StringComparer.Ordinal))
            {
                Add(child, depth + 1);
            }

            var status = formulas[name] is null
                ? KpiStatus.OfGoal(results.Skip(index + 1).Where(r => r.Parent == name).Select(r => r.Status))
                : series[^1].Status;
            results[index] = new KpiResult(name, kpi.Description, kpi.Formula, kpi.Unit, kpi.Target, direction, kpi.Parent, depth, series, status);
        }

        foreach (var root in config.Kpis.Where(k => k.Value.Parent is null).Select(k => k.Key).Order(StringComparer.Ordinal))
        {
            Add(root, 0);
        }

        return new KpiReport(grain.ToString().ToLowerInvariant(), periods, results);
    }

    /// <summary>The periods asked for, or the last two with costs.</summary>
    private static List<DateOnly> Periods(ICostStore store, CostQuery query, TimeGrain grain)
    {
        DateOnly from, until;
        if (query.From is { } f && query.To is { } t)
        {
            (from, until) = (DateOnly.FromDateTime(f), DateOnly.FromDateTime(t.AddTicks(-1)).AddDays(1));
        }
        else
        {
            var days = store.QueryCosts(new CostQuery { Grain = TimeGrain.Day, From = query.From, To = query.To });
            if (days.Count == 0)
            {
                throw new UserInputException("No costs to evaluate KPIs over; import a bill first (modelmeter import focus) or give --from and --to.");
            }

            var last = DateOnly.FromDateTime(days.Max(d => d.Period!.Value));
            until = End(TimeBuckets.Start(last, grain), grain);
            from = TimeBuckets.Start(TimeBuckets.Start(last, grain).AddDays(-1), grain);
        }

        var periods = new List<DateOnly>();
        for (var start = TimeBuckets.Start(from, grain); start < until; start = End(start, grain))
        {
            periods.Add(start);
        }

        return periods;
    }

    private static DateOnly End(DateOnly start, TimeGrain grain)
    {
        var end = start.AddDays(1);
        while (TimeBuckets.Start(end, grain) == start)
        {
            end = end.AddDays(1);
        }

        return end;
    }

    /// <summary>The formula calls that read the store.</summary>
    private sealed class Sources(ICostStore store, TagPolicy policy, TimeGrain grain)
    {
        public decimal? Evaluate(KpiCall call, DateOnly start, DateOnly end, string where)
        {
            _ = grain;
            var from = start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var to = end.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            string Arg(int i, string what) => i < call.Arguments.Count && call.Arguments[i].Length > 0
                ? call.Arguments[i]
                : throw new UserInputException($"{where}: {call.Name}(...) needs {what} as argument {i + 1}.");
            switch (call.Name)
            {
                case "cost":
                {
                    var filters = call.Arguments.Select(a => ReportArguments.ParseFilter(a, $"{where}: cost(...)")).ToList();
                    var rows = store.QueryCosts(new CostQuery { Where = filters, From = from, To = to }, policy);
                    var currencies = rows.Select(r => r.Currency).Distinct(StringComparer.Ordinal).ToList();
                    return currencies.Count > 1
                        ? throw new UserInputException($"{where}: cost(...) spans {string.Join(" and ", currencies)}; add a BillingCurrency filter, currencies are never added.")
                        : rows.Count == 0 ? null : rows.Sum(r => r.Cost);
                }

                case "usage" or "mean":
                {
                    var metric = Arg(0, "a usage metric (predictions, gpu_utilization_percent)");
                    var match = Matcher(call.Arguments.Skip(1), where);
                    var stats = store.QueryUsageStatistics(new UsageStatisticsQuery { From = from, To = to, Metrics = [metric], Grain = UsageGrain.Day })
                        .Where(s => match(s.Dimensions, null)).ToList();
                    var count = stats.Sum(s => s.Count);
                    return stats.Count == 0 ? null : call.Name == "usage" ? stats.Sum(s => s.Sum) : count == 0 ? null : stats.Sum(s => s.Sum) / count;
                }

                case "business":
                {
                    var metric = Arg(0, "a business metric (active_users, revenue)");
                    var match = Matcher(call.Arguments.Skip(1), where);
                    var values = store.QueryBusinessMetrics(start, end).Where(v => v.Metric == metric && match(v.Dimensions, null)).ToList();
                    return values.Count == 0 ? null : values.Sum(v =>
                    {
                        var overlap = Math.Min(v.PeriodEnd.DayNumber, end.DayNumber) - Math.Max(v.PeriodStart.DayNumber, start.DayNumber);
                        return v.Value * overlap / (v.PeriodEnd.DayNumber - v.PeriodStart.DayNumber);
                    });
                }

                case "tokens" or "llm_cost":
                {
                    var keys = call.Arguments.Select(a => policy.CanonicalKey(a.Split('=')[0].Trim())).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                    var match = Matcher(call.Arguments, where);
                    var rows = store.QueryLlmUsage(from, to, keys).Where(r => match(r.Tags, r.Model)).ToList();
                    return rows.Count == 0 ? null : call.Name == "tokens" ? rows.Sum(r => r.TotalTokens) : rows.Sum(r => r.Cost);
                }

                case "run_metric":
                {
                    var experiment = Arg(0, "an experiment name");
                    var metric = Arg(1, "a metric name");
                    var last = store.QueryRuns(new RunQuery { Experiments = [experiment], From = from, To = to })
                        .Select(r => r.Run)
                        .Where(r => r.End is { } e && e >= from && e < to && r.Metric(metric) is { } m && RunMetricValues.Usable(m.Value) is not null)
                        .MaxBy(r => r.End);
                    return last is null ? null : RunMetricValues.Usable(last.Metric(metric)!.Value);
                }

                default:
                    throw new UserInputException($"{where}: '{call.Name}' is neither a KPI nor a function; use cost, usage, mean, business, tokens, llm_cost, run_metric, previous or a KPI name.");
            }
        }

        /// <summary>key=value conditions on dimensions, normalised by the tag policy; <c>model=</c> also matches an LLM call's model.</summary>
        private Func<IReadOnlyDictionary<string, string?>, string?, bool> Matcher(IEnumerable<string> conditions, string where)
        {
            var wanted = conditions.Select(c =>
            {
                var parts = c.Split('=', 2);
                if (parts.Length != 2)
                {
                    throw new UserInputException($"{where}: '{c}' is not a key=value condition (model=ranker).");
                }

                var key = policy.CanonicalKey(parts[0].Trim());
                return (Key: key, Value: policy.NormalizeValue(key, parts[1].Trim()));
            }).ToList();
            return (dimensions, model) => wanted.All(w =>
                dimensions.Any(d => policy.CanonicalKey(d.Key) == w.Key && policy.NormalizeValue(w.Key, d.Value) == w.Value)
                || (w.Key == "model" && model is not null && policy.NormalizeValue(w.Key, model) == w.Value));
        }
    }
}
