using ModelMeter.Core.Recommendations;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// What the recommendation rules read: per-resource daily aggregates of the bill, summed on every shard, and the idle
/// policy's state, a few records (<see cref="RecordTable"/>) changed under the cluster lock, as the DuckDB store keeps
/// them in its <c>idle_policy</c> table.
/// </summary>
public sealed partial class ClickHouseCostStore
{
    private const string IdleCollection = "idle_policy";

    // ConsumedQuantity, else PricingQuantity, else 0: the quantity the DuckDB store reads.
    private const string Quantity = "ifNull(ConsumedQuantity, ifNull(PricingQuantity, toDecimal128(0, 18)))";

    // The descriptive columns a resource's day reads as (each the largest value seen that day).
    private static readonly string[] ResourceDayColumns =
        ["ProviderName", "ResourceName", "ResourceType", "ServiceName", "ServiceCategory", "SkuId", "PricingCategory", "RegionId", "AvailabilityZone", "SubAccountId", "SubAccountName", "PricingUnit"];

    public IReadOnlyList<ResourceDay> QueryResourceDays(DateTime first, DateTime until)
    {
        static string Max(string column) => $"max({column}) AS {column}";
        static string Sum(string expression, string alias) =>
            $"ifNull(sum({expression}), toDecimal128(0, 18)) AS {alias}, ifNull(sum(toFloat64({expression})), 0) AS {alias}_check";
        var sql = "SELECT toDate(ChargePeriodStart) AS day, assumeNotNull(ResourceId) AS resource, BillingCurrency AS currency, " +
                  string.Join(", ", ResourceDayColumns.Select(Max)) + ", " +
                  $"{Sum(Quantity, "quantity")}, min({Quantity}) AS low, max({Quantity}) AS high, uniqExact(ChargePeriodStart) AS periods, " +
                  $"{Sum("EffectiveCost", "effective")}, {Sum("ListCost", "list")} " +
                  $"FROM {Db}.line_items_all WHERE {Visibility.LineItems(Cluster.Database)} AND ChargeCategory = 'Usage' AND ResourceId IS NOT NULL AND ResourceId != '' " +
                  $"AND ChargePeriodStart >= {Sql.Literal(first.ToUniversalTime())} AND ChargePeriodStart < {Sql.Literal(until.ToUniversalTime())} " +
                  "GROUP BY day, resource, currency ORDER BY resource, day, currency";
        return Cluster.Entry.Query(sql)
            .Select(r => new ResourceDay(
                r.Day("day"), r.String("resource"), r.String("currency"), r.NullableString("ProviderName"), r.NullableString("ResourceName"),
                r.NullableString("ResourceType"), r.NullableString("ServiceName"), r.NullableString("ServiceCategory"), r.NullableString("SkuId"),
                r.NullableString("PricingCategory"), r.NullableString("RegionId"), r.NullableString("AvailabilityZone"), r.NullableString("SubAccountId"),
                r.NullableString("SubAccountName"), r.NullableString("PricingUnit"), ExactSum(r, "quantity"), r.Decimal("low"), r.Decimal("high"), r.Int64("periods"),
                ExactSum(r, "effective"), ExactSum(r, "list")))
            .ToList();
    }

    public IReadOnlyList<IdleState> IdleStates() =>
        Records.Current<IdleRecord>(IdleCollection)
            .Select(r => r.Value.State)
            .OfType<IdleState>()
            .OrderBy(s => s.ResourceId, StringComparer.Ordinal)
            .ToList();

    public void SaveIdleStates(IReadOnlyList<IdleState> states, IReadOnlyCollection<string> left)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(left);
        Locks.Run(IdleCollection, () =>
        {
            var stored = Records.Current<IdleRecord>(IdleCollection)
                .Where(r => r.Value.State is not null)
                .ToDictionary(r => r.Key, r => r.Value.State!, StringComparer.Ordinal);
            var changes = new Dictionary<string, IdleRecord>(StringComparer.Ordinal);
            foreach (var id in left.Where(stored.ContainsKey))
            {
                // A resource used again leaves the policy: a newer version without a state hides the old one.
                changes[id] = new IdleRecord(null);
                stored.Remove(id);
            }

            foreach (var state in states)
            {
                // Forward only: a state from a run on an earlier day than the stored one's is not written.
                if (!stored.TryGetValue(state.ResourceId, out var current) || current.UpdatedOn <= state.UpdatedOn)
                {
                    changes[state.ResourceId] = new IdleRecord(state);
                }
            }

            Records.Write(IdleCollection, changes.Select(c => (c.Key, c.Value)));
            return true;
        });
    }

    /// <summary>One resource's place in the idle policy; null once it left the policy (used again).</summary>
    private sealed record IdleRecord(IdleState? State);
}

/// <summary>
/// The recommendations' history and the action runs of <c>recommend --exec</c>: records as the idle policy's, one per
/// finding (replaced by a newer version) and one per run (never replaced, ordered by start and then by version, the order
/// they were written).
/// </summary>
public sealed partial class ClickHouseCostStore
{
    private const string FindingCollection = "recommendation_findings";
    private const string ActionCollection = "recommendation_actions";

    public IReadOnlyList<FindingRecord> FindingRecords() =>
        Records.Current<FindingRecord>(FindingCollection).Select(r => r.Value).OrderBy(r => r.FindingId, StringComparer.Ordinal).ToList();

    public void SaveFindingRecords(IReadOnlyList<FindingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Locks.Run(FindingCollection, () =>
        {
            Records.Write(FindingCollection, records.Select(r => (r.FindingId, r)));
            return true;
        });
    }

    public void RecordActionRun(ActionRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Locks.Run(ActionCollection, () =>
        {
            Records.Write(ActionCollection, [(Guid.NewGuid().ToString("N"), run)]);
            return true;
        });
    }

    public IReadOnlyList<ActionRun> ActionRuns() =>
        Records.Current(ActionCollection)
            .Select(r => (r.Version, Run: System.Text.Json.JsonSerializer.Deserialize<ActionRun>(r.Body, RecordTable.Json)!))
            .OrderBy(r => r.Run.StartedAt).ThenBy(r => r.Version)
            .Select(r => r.Run with { StartedAt = DateTime.SpecifyKind(r.Run.StartedAt, DateTimeKind.Utc), FinishedAt = DateTime.SpecifyKind(r.Run.FinishedAt, DateTimeKind.Utc) })
            .ToList();
}
