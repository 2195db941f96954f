using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Recommendations;

namespace ModelMeter.Application.Recommendations;

/// <summary><c>recommend --history</c>: which store.</summary>
public sealed record RecommendationHistoryRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;
}

/// <summary>The <c>recommend --history</c> document: every recorded finding's estimate against what the bill shows since.</summary>
/// <param name="BilledUntil">The last day the bill reaches (null for an empty store).</param>
public sealed record RecommendationHistory(DateOnly? BilledUntil, IReadOnlyList<HistoryEntry> Findings, IReadOnlyList<HistoryTotal> Totals)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One recorded finding: its estimate, the resource's baseline, and the saving the bill shows after the action date.</summary>
/// <param name="Kind">found (by a whole-bill run), planned (in a plan), executed (by --exec, exit code 0).</param>
/// <param name="ActionOn">The day the change counts from.</param>
/// <param name="ObservedMonthlyCost">The resource's monthly cost over [action_on, billed_until]; null until the bill reaches action_on.</param>
/// <param name="RealisedMonthlySaving">baseline_monthly_cost − observed_monthly_cost; null while awaiting billing.</param>
/// <param name="Status">awaiting_billing; realised (the cost went down by half the estimate or more), partly_realised (by
/// less), or not_realised (it did not go down).</param>
/// <param name="LastExitCode">The exit code of the last --exec run for it (null: never run, or stopped at the timeout).</param>
public sealed record HistoryEntry(
    string FindingId,
    string Rule,
    string Resource,
    FindingActionKind Kind,
    DateOnly RecordedOn,
    DateOnly ActionOn,
    string Currency,
    decimal EstimatedMonthlySaving,
    decimal BaselineMonthlyCost,
    decimal? ObservedMonthlyCost,
    decimal? RealisedMonthlySaving,
    string Status,
    int? LastExitCode);

/// <summary>Estimated against realised monthly saving of the findings whose bill already shows the change, in one currency.</summary>
public sealed record HistoryTotal(string Currency, decimal EstimatedMonthlySaving, decimal RealisedMonthlySaving, int Findings);

/// <summary>
/// Reads the findings the store recorded (every whole-bill run, the plans, the executed actions) and, for each, what the
/// resource cost a month in the bill after its action date: realised = baseline monthly cost − observed monthly cost.
/// </summary>
public sealed class RecommendationHistoryUseCase(StoreProvider stores)
{
    public RecommendationHistory Run(RecommendationHistoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = stores.LoadConfig(request.Store);
        var settings = config.Recommendations.ToSettings();
        using var opened = stores.Open(request.Store, config, StoreAccess.Read, "recommend --history reads the recorded findings and the bill since");
        var store = opened.Store;
        var records = store.FindingRecords();
        var range = store.ChargeRange();
        DateOnly? billedUntil = range is null ? null : DateOnly.FromDateTime(range.Value.Last.AddTicks(-1));
        var exits = store.ActionRuns().GroupBy(r => r.FindingId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().ExitCode, StringComparer.Ordinal);

        var days = new Dictionary<(string, string), List<Store.ResourceDay>>();
        var since = records.Where(r => billedUntil is { } b && r.ActionOn <= b).Select(r => (DateOnly?)r.ActionOn).Min();
        if (since is { } first && billedUntil is { } last)
        {
            days = store.QueryResourceDays(first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))
                .GroupBy(d => (d.ResourceId, d.Currency)).ToDictionary(g => g.Key, g => g.ToList());
        }

        var entries = new List<HistoryEntry>();
        foreach (var record in records.OrderBy(r => r.ActionOn).ThenBy(r => r.FindingId, StringComparer.Ordinal))
        {
            decimal? observed = null;
            decimal? realised = null;
            var status = "awaiting_billing";
            if (billedUntil is { } until && record.ActionOn <= until)
            {
                var resourceDays = days.GetValueOrDefault((record.ResourceId, record.Currency)) ?? [];
                var pool = resourceDays.Select(d => new PoolDay(d.Day, d.Quantity, d.MinQuantity, d.MaxQuantity, d.ChargePeriods, d.EffectiveCost)).ToList();
                var unit = resourceDays.Select(d => d.PricingUnit).LastOrDefault(u => u is not null);
                observed = Math.Round(RealisedSaving.ObservedMonthlyCost(pool, unit, record.ActionOn, until, settings.MonthlyHours), 2, MidpointRounding.AwayFromZero);
                realised = Math.Round(record.BaselineMonthlyCost, 2, MidpointRounding.AwayFromZero) - observed.Value;
                // Half the estimate or more counts as realised; a smaller drop is noise or part of the change.
                status = realised <= 0m ? "not_realised" : realised * 2m >= record.EstimatedMonthlySaving ? "realised" : "partly_realised";
            }

            entries.Add(new HistoryEntry(record.FindingId, record.Rule, record.ResourceId, record.Kind, record.RecordedOn, record.ActionOn, record.Currency,
                record.EstimatedMonthlySaving, record.BaselineMonthlyCost, observed, realised, status, exits.GetValueOrDefault(record.FindingId)));
        }

        var totals = entries.Where(e => e.RealisedMonthlySaving is not null).GroupBy(e => e.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new HistoryTotal(g.Key, g.Sum(e => e.EstimatedMonthlySaving), g.Sum(e => e.RealisedMonthlySaving!.Value), g.Count())).ToList();
        var warnings = records.Count == 0
            ? new List<string> { "No findings recorded yet: a whole-bill `recommend` run, `recommend --plan` and `recommend --exec` record them." }
            : [];
        return new RecommendationHistory(billedUntil, entries, totals) { Warnings = warnings };
    }
}
