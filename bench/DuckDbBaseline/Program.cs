// Loads a FOCUS CSV into a DuckDB file with DuckDB's own typed CSV reader (DECIMAL costs, TIMESTAMP periods, JSON
// tags), then runs the cost-by-team-per-day group-by a user would write by hand, parsing the tags at query time.
// Usage: DuckDbBaseline <focus.csv> <database-file>
//        DuckDbBaseline --parquet <focus.csv> <out-prefix>   writes the same rows as Parquet with DuckDB's COPY, four ways:
//        costs DECIMAL(38,18) or DOUBLE, tags as a JSON string or as a MAP(VARCHAR, VARCHAR): <out-prefix>-{decimal,double}-{json,map}.parquet
using System.Diagnostics;
using DuckDB.NET.Data;

if (args.Length == 3 && args[0] == "--parquet")
{
    return WriteParquet(args[1], args[2]);
}

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DuckDbBaseline <focus.csv> <database-file> | --parquet <focus.csv> <out-prefix>");
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

static int WriteParquet(string csv, string prefix)
{
    using var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SET memory_limit = '4GB'";
    command.ExecuteNonQuery();
    string[] costs = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ListUnitPrice", "ContractedUnitPrice", "PricingQuantity", "ConsumedQuantity"];
    string[] times = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"];
    // Every column as the file spells it, so the Parquet files hold exactly the CSV's values; then typed per variant.
    command.CommandText = "CREATE TABLE focus AS SELECT * FROM read_csv($path, header = true, all_varchar = true)";
    command.Parameters.Add(new DuckDBParameter("path", csv));
    command.ExecuteNonQuery();
    command.Parameters.Clear();
    var columns = new List<string>();
    command.CommandText = "SELECT column_name FROM (DESCRIBE focus)";
    using (var reader = command.ExecuteReader())
    {
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }
    }

    foreach (var money in new[] { "decimal", "double" })
    {
        foreach (var tags in new[] { "json", "map" })
        {
            var projections = columns.Select(c =>
                costs.Contains(c) ? $"CAST(NULLIF({c}, '') AS {(money == "decimal" ? "DECIMAL(38,18)" : "DOUBLE")}) AS {c}"
                : times.Contains(c) ? $"CAST(NULLIF({c}, '') AS TIMESTAMP) AS {c}"
                : c == "Tags" && tags == "map" ? "CAST(CAST(NULLIF(Tags, '') AS JSON) AS MAP(VARCHAR, VARCHAR)) AS Tags"
                : $"NULLIF({c}, '') AS {c}");
            var file = $"{prefix}-{money}-{tags}.parquet";
            var watch = Stopwatch.StartNew();
            command.CommandText = $"COPY (SELECT {string.Join(", ", projections)} FROM focus) TO '{file.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
            command.ExecuteNonQuery();
            Console.WriteLine($"wrote {file} in {watch.Elapsed.TotalSeconds:0.0} s");
        }
    }

    return 0;
}
