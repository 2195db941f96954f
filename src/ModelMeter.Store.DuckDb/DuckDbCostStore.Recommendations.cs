using ModelMeter.Core.Recommendations;

namespace ModelMeter.Store.DuckDb;

/// <summary>The per-resource daily aggregates the recommendation rules decide on.</summary>
public sealed partial class DuckDbCostStore
{
    public IReadOnlyList<ResourceDay> QueryResourceDays(DateTime first, DateTime until)
    {
        var parameters = new List<(string Name, object? Value)>();
        var quantity = "coalesce(ConsumedQuantity, PricingQuantity, 0)";
        var sql = "SELECT CAST(ChargePeriodStart AS DATE), ResourceId, BillingCurrency, max(ProviderName), max(ResourceName), max(ResourceType), max(ServiceName), " +
                  "max(ServiceCategory), max(SkuId), max(PricingCategory), max(RegionId), max(AvailabilityZone), max(SubAccountId), max(SubAccountName), max(PricingUnit), " +
                  $"coalesce(sum({quantity}), 0), coalesce(min({quantity}), 0), coalesce(max({quantity}), 0), count(DISTINCT ChargePeriodStart), " +
                  "coalesce(sum(EffectiveCost), 0), coalesce(sum(ListCost), 0) " +
                  $"FROM {LineItemsTable.Name} WHERE ChargeCategory = 'Usage' AND ResourceId IS NOT NULL AND ResourceId <> '' " +
                  $"AND ChargePeriodStart >= {Add(parameters, "from", Unspecified(first))} AND ChargePeriodStart < {Add(parameters, "to", Unspecified(until))} " +
                  "GROUP BY 1, 2, 3 ORDER BY 2, 1, 3";
        using var command = Command(sql, parameters.ToArray());
        using var reader = command.ExecuteReader();
        var days = new List<ResourceDay>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            days.Add(new ResourceDay(
                DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9),
                Text(10), Text(11), Text(12), Text(13), Text(14), reader.GetDecimal(15), reader.GetDecimal(16), reader.GetDecimal(17), reader.GetInt64(18),
                reader.GetDecimal(19), reader.GetDecimal(20)));
        }

        return days;
    }

    public IReadOnlyList<IdleState> IdleStates()
    {
        using var command = Command("SELECT resource_id, first_seen_idle, stage, stop_due, updated_on FROM idle_policy ORDER BY resource_id");
        using var reader = command.ExecuteReader();
        var states = new List<IdleState>();
        while (reader.Read())
        {
            states.Add(new IdleState(reader.GetString(0), DateOnly.FromDateTime(reader.GetDateTime(1)), Enum.Parse<IdleStage>(reader.GetString(2)),
                DateOnly.FromDateTime(reader.GetDateTime(3)), DateOnly.FromDateTime(reader.GetDateTime(4))));
        }

        return states;
    }

    public void SaveIdleStates(IReadOnlyList<IdleState> states, IReadOnlyCollection<string> left)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(left);
        using var transaction = _connection.BeginTransaction();
        foreach (var id in left)
        {
            Execute("DELETE FROM idle_policy WHERE resource_id = $r", ("r", id));
        }

        foreach (var state in states)
        {
            // Forward only: a state from a run on an earlier day than the stored one's is not written.
            Execute("DELETE FROM idle_policy WHERE resource_id = $r AND updated_on <= CAST($u AS DATE)", ("r", state.ResourceId), ("u", state.UpdatedOn.ToDateTime(TimeOnly.MinValue)));
            Execute(
                "INSERT INTO idle_policy SELECT $r, CAST($f AS DATE), $s, CAST($d AS DATE), CAST($u AS DATE) WHERE NOT EXISTS (SELECT 1 FROM idle_policy WHERE resource_id = $r)",
                ("r", state.ResourceId), ("f", state.FirstSeenIdle.ToDateTime(TimeOnly.MinValue)), ("s", state.Stage.ToString()),
                ("d", state.StopDue.ToDateTime(TimeOnly.MinValue)), ("u", state.UpdatedOn.ToDateTime(TimeOnly.MinValue)));
        }

        transaction.Commit();
    }
}

/// <summary>The recommendations' history and the action runs of <c>recommend --exec</c>.</summary>
public sealed partial class DuckDbCostStore
{
    public IReadOnlyList<FindingRecord> FindingRecords()
    {
        using var command = Command("SELECT finding_id, rule, resource_id, currency, estimated_monthly_saving, baseline_monthly_cost, recorded_on, kind, action_on FROM recommendation_findings ORDER BY finding_id");
        using var reader = command.ExecuteReader();
        var records = new List<FindingRecord>();
        while (reader.Read())
        {
            records.Add(new FindingRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4), reader.GetDecimal(5),
                DateOnly.FromDateTime(reader.GetDateTime(6)), Enum.Parse<FindingActionKind>(reader.GetString(7)), DateOnly.FromDateTime(reader.GetDateTime(8))));
        }

        return records;
    }

    public void SaveFindingRecords(IReadOnlyList<FindingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var transaction = _connection.BeginTransaction();
        foreach (var r in records)
        {
            Execute("DELETE FROM recommendation_findings WHERE finding_id = $f", ("f", r.FindingId));
            Execute(
                "INSERT INTO recommendation_findings VALUES ($f, $r, $res, $c, CAST($s AS DECIMAL(38,18)), CAST($b AS DECIMAL(38,18)), CAST($on AS DATE), $k, CAST($a AS DATE))",
                ("f", r.FindingId), ("r", r.Rule), ("res", r.ResourceId), ("c", r.Currency), ("s", r.EstimatedMonthlySaving), ("b", r.BaselineMonthlyCost),
                ("on", r.RecordedOn.ToDateTime(TimeOnly.MinValue)), ("k", r.Kind.ToString()), ("a", r.ActionOn.ToDateTime(TimeOnly.MinValue)));
        }

        transaction.Commit();
    }

    public void RecordActionRun(ActionRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Execute(
            "INSERT INTO recommendation_actions SELECT coalesce((SELECT max(run_id) FROM recommendation_actions), 0) + 1, $f, $r, $a, $c, $s, $e, $x, $t",
            ("f", run.FindingId), ("r", run.ResourceId), ("a", run.Action), ("c", run.Command), ("s", Unspecified(run.StartedAt)), ("e", Unspecified(run.FinishedAt)),
            ("x", run.ExitCode), ("t", run.TimedOut));
    }

    public IReadOnlyList<ActionRun> ActionRuns()
    {
        using var command = Command("SELECT finding_id, resource_id, action, command, started_at, finished_at, exit_code, timed_out FROM recommendation_actions ORDER BY started_at, run_id");
        using var reader = command.ExecuteReader();
        var runs = new List<ActionRun>();
        while (reader.Read())
        {
            runs.Add(new ActionRun(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc), DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetBoolean(7)));
        }

        return runs;
    }
}
