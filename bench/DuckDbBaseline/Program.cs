// Loads a FOCUS CSV into a DuckDB file with DuckDB's own typed CSV reader (DECIMAL costs, TIMESTAMP periods, JSON
// tags), then runs the cost-by-team-per-day group-by a user would write by hand, parsing the tags at query time.
// Usage: DuckDbBaseline <focus.csv> <database-file>
using System.Diagnostics;
using DuckDB.NET.Data;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DuckDbBaseline <focus.csv> <database-file>");
    return 2;
}

File.Delete(args[1]);
using var connection = new DuckDBConnection($"DataSource={args[1]}");
connection.Open();
using var command = connection.CreateCommand();
var watch = Stopwatch.StartNew();
const string Money = "DECIMAL(38,18)";
command.CommandText = $"""
    CREATE TABLE line_items AS SELECT * FROM read_csv($path, header = true, auto_detect = true, types = {'{'}
        'BilledCost': '{Money}', 'EffectiveCost': '{Money}', 'ListCost': '{Money}', 'ContractedCost': '{Money}',
        'ListUnitPrice': '{Money}', 'ContractedUnitPrice': '{Money}', 'PricingQuantity': '{Money}', 'ConsumedQuantity': '{Money}',
        'BillingPeriodStart': 'TIMESTAMP', 'BillingPeriodEnd': 'TIMESTAMP', 'ChargePeriodStart': 'TIMESTAMP', 'ChargePeriodEnd': 'TIMESTAMP',
        'Tags': 'JSON'{'}'})
    """;
command.Parameters.Add(new DuckDBParameter("path", args[0]));
command.ExecuteNonQuery();
var load = watch.Elapsed;
command.Parameters.Clear();
watch.Restart();
command.CommandText = """
    SELECT date_trunc('day', ChargePeriodStart) AS day, coalesce(json_extract_string(Tags, '$.team'), '(untagged)') AS team,
           sum(EffectiveCost) AS cost
    FROM line_items GROUP BY ALL ORDER BY ALL
    """;
var rows = 0;
using (var reader = command.ExecuteReader())
{
    while (reader.Read())
    {
        rows++;
    }
}

Console.WriteLine($"duckdb load_seconds={load.TotalSeconds:0.00} groupby_seconds={watch.Elapsed.TotalSeconds:0.00} groups={rows}");
return 0;
