using DuckDB.NET.Data;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// <c>alert_deliveries</c> and <c>budget_periods</c>. Exactly-once needs no lock of our own: a delivery's primary key
/// refuses a second insert, and a claim is an UPDATE guarded by the status it expects, so of two runs racing (two
/// connections of one process; two processes are serialised by DuckDB's file lock) one changes the row and the other
/// changes nothing or hits a write conflict, which means "someone else has it".
/// </summary>
internal static class AlertStateTables
{
    public static bool Add(DuckDbCostStore store, AlertDelivery d)
    {
        try
        {
            store.Execute(
                "INSERT INTO alert_deliveries VALUES ($k, $s, $kind, $p, 'pending', 0, $at, NULL, NULL, NULL, NULL)",
                ("k", d.FindingKey), ("s", d.Sink), ("kind", d.Kind), ("p", d.Payload), ("at", d.CreatedAt));
            return true;
        }
        catch (DuckDBException e) when (IsConflict(e))
        {
            return false;
        }
    }

    public static bool Claim(DuckDbCostStore store, string key, string sink, string runId, DateTime now, DateTime staleBefore)
    {
        try
        {
            return store.Execute(
                "UPDATE alert_deliveries SET status = 'sending', claimed_by = $run, last_attempt_at = $now " +
                "WHERE finding_key = $k AND sink = $s AND (status IN ('pending', 'failed') OR (status = 'sending' AND last_attempt_at < $stale))",
                ("run", runId), ("now", now), ("k", key), ("s", sink), ("stale", staleBefore)) == 1;
        }
        catch (DuckDBException e) when (IsConflict(e))
        {
            return false;
        }
    }

    public static bool Complete(DuckDbCostStore store, string key, string sink, string runId, bool delivered, int attempts, string? error, DateTime now) =>
        store.Execute(
            "UPDATE alert_deliveries SET status = $status, attempts = attempts + $n, last_attempt_at = $now, " +
            "sent_at = CASE WHEN $ok THEN $now ELSE sent_at END, last_error = $error " +
            "WHERE finding_key = $k AND sink = $s AND claimed_by = $run AND status = 'sending'",
            ("status", delivered ? "sent" : "failed"), ("n", attempts), ("now", now), ("ok", delivered), ("error", error), ("k", key), ("s", sink), ("run", runId)) == 1;

    public static IReadOnlyList<AlertDelivery> List(DuckDbCostStore store)
    {
        using var command = store.Command(
            "SELECT finding_key, sink, kind, payload, status, attempts, created_at, last_attempt_at, sent_at, last_error, claimed_by " +
            "FROM alert_deliveries ORDER BY created_at, finding_key, sink");
        using var reader = command.ExecuteReader();
        var list = new List<AlertDelivery>();
        while (reader.Read())
        {
            list.Add(new AlertDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), ParseStatus(reader.GetString(4)), reader.GetInt32(5),
                Utc(reader.GetDateTime(6)), reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)), reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return list;
    }

    public static bool RecordPeriod(DuckDbCostStore store, BudgetPeriodRecord r)
    {
        try
        {
            store.Execute(
                "INSERT INTO budget_periods VALUES ($b, $p, CAST($s AS DATE), CAST($e AS DATE), $z, $c, $a, $spent, $status, $at)",
                ("b", r.Budget), ("p", r.Period), ("s", r.PeriodStart.ToDateTime(TimeOnly.MinValue)), ("e", r.PeriodEnd.ToDateTime(TimeOnly.MinValue)),
                ("z", r.TimeZone), ("c", r.Currency), ("a", r.Amount), ("spent", r.Spent), ("status", r.Status), ("at", r.RecordedAt));
            return true;
        }
        catch (DuckDBException e) when (IsConflict(e))
        {
            return false;
        }
    }

    public static IReadOnlyList<BudgetPeriodRecord> Periods(DuckDbCostStore store, string? budget)
    {
        using var command = store.Command(
            "SELECT budget, period, period_start, period_end, time_zone, currency, amount, spent, status, recorded_at FROM budget_periods " +
            "WHERE $b IS NULL OR budget = $b ORDER BY budget, period_start", ("b", budget));
        using var reader = command.ExecuteReader();
        var list = new List<BudgetPeriodRecord>();
        while (reader.Read())
        {
            list.Add(new BudgetPeriodRecord(
                reader.GetString(0), reader.GetString(1), DateOnly.FromDateTime(reader.GetDateTime(2)), DateOnly.FromDateTime(reader.GetDateTime(3)),
                reader.GetString(4), reader.GetString(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetString(8), Utc(reader.GetDateTime(9))));
        }

        return list;
    }

    /// <summary>A duplicate key or a concurrent write to the same row: another run got there first.</summary>
    private static bool IsConflict(DuckDBException e) =>
        e.Message.Contains("Constraint", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Conflict", StringComparison.OrdinalIgnoreCase);

    private static AlertDeliveryStatus ParseStatus(string text) => text switch
    {
        "pending" => AlertDeliveryStatus.Pending,
        "sending" => AlertDeliveryStatus.Sending,
        "sent" => AlertDeliveryStatus.Sent,
        "failed" => AlertDeliveryStatus.Failed,
        _ => throw new InvalidOperationException($"alert_deliveries holds an unknown status '{text}'."),
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
