using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;
using ModelMeter.Store.ClickHouse;
using ModelMeter.Store.Tests.Contract;
using Microsoft.Extensions.Time.Testing;

namespace ModelMeter.Store.Tests.ClickHouse;

/// <summary>
/// A two-shard cluster of its own (eng/clickhouse-cluster.sh, as ./test.sh starts the shared one), since this test
/// kills one of its shards; stopped with the test.
/// </summary>
public sealed class ShardFailureTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mm-shard-kill-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _script = Path.Combine(RepositoryRoot(), "eng", "clickhouse-cluster.sh");

    public ShardFailureTests()
    {
        Directory.CreateDirectory(_dir);
        Run("start", _dir).ShouldBe(0, "eng/clickhouse-cluster.sh could not start a cluster: the test fails rather than skip");
    }

    [Fact]
    public void AShardKilledMidQuery_GivesAClearError_NeverAWrongTotal()
    {
        var url = File.ReadAllLines(Path.Combine(_dir, "env")).Single(l => l.StartsWith("MODELMETER_TEST_CLICKHOUSE=", StringComparison.Ordinal)).Split('=', 2)[1];
        using var store = ClickHouseCostStore.Open(ClickHouseOptions.Parse(url), null, new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)));

        // Enough rows (a few megabytes) for both shards to hold some: a total from one shard alone would be short.
        const int Rows = 12_000;
        using (var session = store.BeginLineItemImport(ImportKind.Focus))
        {
            for (var i = 0; i < Rows; i++)
            {
                session.Append(new LineItem().Cost(0.25m).Text("ResourceId", "i-" + i.ToString("D6", CultureInfo.InvariantCulture)).Row);
            }

            session.Commit([new ImportedFile("focus.csv", new string('a', 64), 1, Rows)], new Dictionary<string, decimal> { ["USD"] = Rows * 0.25m });
        }

        var total = Rows * 0.25m;
        Total(store).ShouldBe(total);
        RowsOn(2, store.Options.Database).ShouldBeGreaterThan(0);

        // Queries run while the second shard is killed: each gives the whole total or fails, never a part of it.
        var outcomes = new List<object>();
        using var stop = new CancellationTokenSource();
        var reader = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    outcomes.Add(Total(store));
                }
                catch (StoreUnavailableException e)
                {
                    outcomes.Add(e);
                }
            }
        });
        reader.Start();
        Thread.Sleep(300);
        Run("kill-shard", "2", _dir).ShouldBe(0);
        Thread.Sleep(1500);
        stop.Cancel();
        reader.Join(TimeSpan.FromSeconds(60)).ShouldBeTrue();

        outcomes.OfType<decimal>().ShouldAllBe(t => t == total);
        outcomes.Last().ShouldBeOfType<StoreUnavailableException>();
        var error = Should.Throw<StoreUnavailableException>(() => Total(store));
        error.Message.ShouldContain("a shard of the cluster could not be reached");
        error.Message.ShouldContain("never reports a total from part of the shards");
    }

    public void Dispose() => Run("stop", _dir);

    private static decimal Total(ICostStore store) => store.QueryCosts(new CostQuery()).Where(r => r.Currency == "USD").Sum(r => r.Cost);

    private long RowsOn(int shard, string database)
    {
        var endpoint = File.ReadAllLines(Path.Combine(_dir, "env")).Single(l => l.StartsWith($"MODELMETER_TEST_CLICKHOUSE_SHARD{shard}=", StringComparison.Ordinal)).Split('=', 2)[1];
        using var http = new HttpClient();
        var text = http.PostAsync(new Uri(endpoint + "/"), new StringContent($"SELECT count() FROM {database}.line_items")).GetAwaiter().GetResult()
            .Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    private int Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(_script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Its own block of ports, clear of the shared test cluster's.
        start.Environment["CLICKHOUSE_PORT_BASE"] = "29300";
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eng", "clickhouse-cluster.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("eng/clickhouse-cluster.sh not found above " + AppContext.BaseDirectory);
    }
}
