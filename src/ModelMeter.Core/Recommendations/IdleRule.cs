using static ModelMeter.Core.Recommendations.RuleMath;

namespace ModelMeter.Core.Recommendations;

/// <summary>
/// Idle resources: billed, with use metrics that show no use (no requests or predictions, GPU utilisation near zero)
/// and no runs. Notebooks, development instances and endpoints with zero invocations included. The saving is all of
/// the resource's cost; the action follows the 30/60-day policy (<see cref="IdlePolicy"/>).
/// </summary>
public sealed class IdleRule : IRecommendationRule
{
    public const string RuleName = "idle";

    public string Name => RuleName;

    public bool Claims => true;

    /// <summary>GPU utilisation or a work counter: without either nothing says a resource is unused.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NeededMetrics { get; } = [[UsageMetrics.GpuUtilization, UsageMetrics.Requests, UsageMetrics.Predictions]];

    public IEnumerable<Finding> Evaluate(RecommendationInput input, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        foreach (var pool in input.Pools.Where(p => p.IsHourly && !claimed.Contains(p.ResourceId) && !input.ResourcesWithRuns.Contains(p.ResourceId)))
        {
            var gpu = input.Metric(pool.ResourceId, UsageMetrics.GpuUtilization);
            var work = UsageMetrics.Work.SelectMany(m => input.Metric(pool.ResourceId, m)).ToList();
            if ((gpu.Count == 0 && work.Count == 0) || work.Sum(h => h.Sum) > 0m)
            {
                continue;
            }

            var evidence = new List<Evidence>();
            if (gpu.Count > 0)
            {
                var mean = gpu.Average(h => h.Mean);
                var peak = gpu.Max(h => h.Max);
                if (mean >= s.IdleGpuPercent || peak > s.IdleGpuPeakPercent)
                {
                    continue;
                }

                evidence.Add(new Evidence(UsageMetrics.GpuUtilization, $"mean {P(mean)}%, peak {P(peak)}% over {gpu.Count} hours", Day(gpu[0]), Day(gpu[^1])));
            }

            if (work.Count > 0)
            {
                evidence.Add(new Evidence(string.Join("+", UsageMetrics.Work.Where(m => input.Metric(pool.ResourceId, m).Count > 0)), $"0 over {work.Count} hours",
                    Day(work.Min(h => h.Hour)), Day(work.Max(h => h.Hour))));
            }

            evidence.Add(new Evidence("runs", "none", input.From, input.To));
            var since = new[] { gpu.Count > 0 ? Day(gpu[0]) : input.To, work.Count > 0 ? Day(work.Min(h => h.Hour)) : input.To }.Min();
            var state = input.IdleStates.GetValueOrDefault(pool.ResourceId);
            var next = IdlePolicy.Advance(state, pool.ResourceId, idleNow: true, billed: true, since, input.Today, s)!;
            var idleDays = input.Today.DayNumber - next.FirstSeenIdle.DayNumber;
            evidence.Add(new Evidence("idle_days", $"{idleDays} (first seen idle {next.FirstSeenIdle:yyyy-MM-dd}; policy: notify at {s.IdleNotifyDays}, stop at {s.IdleStopDays})", next.FirstSeenIdle, input.Today));

            var monthly = MonthlyRate(pool, input);
            var who = pool.Owner ?? pool.Team ?? "the owner";
            var name = string.IsNullOrEmpty(pool.Name) ? pool.ResourceId : pool.Name;
            var action = next.Stage switch
            {
                IdleStage.FirstSeen => $"watch: idle {idleDays} days; {who} is notified at day {s.IdleNotifyDays} ({next.FirstSeenIdle.AddDays(s.IdleNotifyDays):yyyy-MM-dd})",
                IdleStage.Warned => $"notify {who}: {name} has been idle {idleDays} days; stop planned for {next.StopDue:yyyy-MM-dd}, announced {next.StopDue.AddDays(-s.StopNoticeDays):yyyy-MM-dd}",
                IdleStage.StopAnnounced => $"announce to {who}: {name} will be stopped on {next.StopDue:yyyy-MM-dd}",
                _ => $"stop {name} (idle {idleDays} days; announced {next.StopDue.AddDays(-s.StopNoticeDays):yyyy-MM-dd})",
            };
            yield return new Finding(
                Finding.StableId(RuleName, pool.ResourceId), RuleName, [pool.ResourceId], pool.Owner, pool.Team, evidence, Money(monthly), Money(monthly), pool.Currency,
                $"{M(pool.Cost, pool.Currency)} ÷ {N(input.WindowHours)} h × {N(s.MonthlyHours)} h/month = {M(monthly, pool.Currency)} a month, all of it once stopped",
                "low", pool.IsEndpoint ? "medium" : "low", action, Stage(next.Stage), next.Stage >= IdleStage.Warned ? next.StopDue : null)
            {
                NextIdleState = next,
            };
        }
    }

    public static string Stage(IdleStage stage) => stage switch
    {
        IdleStage.FirstSeen => "first_seen",
        IdleStage.Warned => "warned",
        IdleStage.StopAnnounced => "stop_announced",
        IdleStage.StopDue => "stop_due",
        _ => "stopped",
    };

    private static DateOnly Day(MetricHour hour) => DateOnly.FromDateTime(hour.Hour);

    private static DateOnly Day(DateTime hour) => DateOnly.FromDateTime(hour);
}
