// bench/usage.sh runs this: a bare DuckDB appender loop into usage_samples (the engine's limit), then the server on
// loopback with concurrent clients posting batches for a bounded time; then the store is checked against what was
// acknowledged. Prints one Markdown table row and the details.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelMeter.Server;
using ModelMeter.Store.DuckDb;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var batchSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5000;
var baselineRows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2_000_000;
var folder = Path.Combine(Path.GetTempPath(), "modelmeter-usage-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
string[] models = ["ranker-v3", "assistant-rag", "reco-twotower", "query-embed", "vision-detector", "llm-finetune-7b", "m7", "m8"];
string[] teams = ["search", "nlp", "recsys", "vision"];

try
{
    // 1. The engine's limit: DuckDB's appender writing one usage_samples row per event, as fast as it goes.
    var baselinePath = Path.Combine(folder, "baseline.duckdb");
    DuckDbCostStore.Open(baselinePath, TimeProvider.System).Dispose();
    double baselineRate;
    using (var connection = new DuckDBConnection($"DataSource={baselinePath}"))
    {
        connection.Open();
        var watch = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using (var appender = connection.CreateAppender("usage_samples"))
            {
                for (var i = 0; i < baselineRows; i++)
                {
                    appender.CreateRow().AppendValue(0L).AppendValue(DateOnly.FromDateTime(start.AddDays(i % 30))).AppendValue("predictions").AppendValue(1m)
                        .AppendValue(new List<string> { "endpoint", "model", "team" }).AppendValue(new List<string> { "ep-" + (i % 4), models[i % models.Length], teams[i % teams.Length] }).EndRow();
                }
            }

            transaction.Commit();
        }

        baselineRate = baselineRows / watch.Elapsed.TotalSeconds;
    }

    // 2. The server, as `modelmeter serve --no-auth` runs it, and clients posting JSON-lines batches.
    var store = Path.Combine(folder, "meter.duckdb");
    await using var app = ModelMeterServer.Create(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
    {
        ["ModelMeter:WorkingDirectory"] = folder,
        ["ModelMeter:Store"] = store,
        ["ModelMeter:NoAuth"] = "true",
    }, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
    await app.StartAsync();
    var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    // Bodies made before the clock starts: the load generator measures the server, not its own JSON writing.
    var bodies = Enumerable.Range(0, 16).Select(b =>
    {
        var text = new StringBuilder(batchSize * 130);
        for (var i = 0; i < batchSize; i++)
        {
            var n = b * batchSize + i;
            text.Append(CultureInfo.InvariantCulture, $$"""{"timestamp":"{{start.AddDays(n % 30).AddSeconds(n % 86400):yyyy-MM-ddTHH:mm:ssZ}}","metric":"predictions","value":1,"model":"{{models[n % models.Length]}}","team":"{{teams[n % teams.Length]}}","endpoint":"ep-{{n % 4}}"}""").Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }).ToArray();

    long acknowledged = 0, refused = 0, failed = 0;
    var latencies = new List<double>[clients];
    var deadline = Stopwatch.StartNew();
    var process = Process.GetCurrentProcess();
    long peakManaged = 0;
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        var mine = latencies[c] = [];
        var sent = 0;
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            using var content = new ByteArrayContent(bodies[(c + sent++) % bodies.Length]);
            content.Headers.ContentType = new("application/x-ndjson");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/usage") { Content = content };
            request.Headers.Add("Idempotency-Key", $"c{c}-b{sent}");
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            watch.Stop();
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Add(ref acknowledged, batchSize);
                mine.Add(watch.Elapsed.TotalMilliseconds);
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref refused);
                await Task.Delay(50);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }

            var managed = GC.GetTotalMemory(false);
            if (managed > Interlocked.Read(ref peakManaged))
            {
                Interlocked.Exchange(ref peakManaged, managed);
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    var elapsed = deadline.Elapsed.TotalSeconds;
    var metrics = await http.GetStringAsync("/metrics");
    string Metric(string name) => metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))?.Split(' ')[1] ?? "?";
    var writes = Metric("modelmeter_usage_write_duration_seconds_count");
    var writeSeconds = Metric("modelmeter_usage_write_duration_seconds_sum");
    await app.StopAsync();
    process.Refresh();

    // 3. What the store holds, read with no server: exactly the acknowledged events, and nothing else.
    decimal storedValue;
    long storedEvents;
    using (var connection = new DuckDBConnection($"DataSource={store}"))
    {
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(value), 0) FROM usage_samples WHERE metric = 'predictions'";
        storedValue = Convert.ToDecimal(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        command.CommandText = "SELECT coalesce(sum(events), 0)::BIGINT FROM usage_batches";
        storedEvents = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    var all = latencies.SelectMany(l => l).Order().ToList();
    double Percentile(double p) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)Math.Ceiling(p * all.Count) - 1)];
    var rate = acknowledged / elapsed;
    var lost = acknowledged - storedEvents;
    Console.WriteLine($"clients {clients}, batch {batchSize} events, {elapsed:F1} s; acknowledged {acknowledged:N0} events in {all.Count:N0} batches; 429s {refused}; failures {failed}");
    Console.WriteLine($"stored: {storedEvents:N0} events in usage_batches, sum(value) {storedValue:N0}; lost {lost}; extra {storedValue - acknowledged}");
    Console.WriteLine($"writer: {writes} write transactions taking {writeSeconds} s in all");
    Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1048576} MB (server and load generator in one process), peak managed heap {peakManaged / 1048576} MB");
    Console.WriteLine("| accepted events/s | p50 batch ms | p99 batch ms | bare appender rows/s | ratio | acknowledged | stored | lost | peak MB |");
    Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {rate:N0} | {Percentile(0.5):F1} | {Percentile(0.99):F1} | {baselineRate:N0} | {rate / baselineRate:F2} | {acknowledged:N0} | {storedEvents:N0} | {lost} | {process.PeakWorkingSet64 / 1048576} |"));
    return lost == 0 && storedValue == acknowledged && failed == 0 ? 0 : 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}
