using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// A critical section across every process using the store, for the few read-then-write steps the contract makes
/// atomic (an alert delivery claimed by one run only, a usage batch key stored once, a run updated in place): the
/// holder creates <c>lock_NAME</c> on the coordinator shard, which fails while another holds it (the same test-and-set
/// as <see cref="ImportClaims"/>), and drops it when done. A lock older than a minute
/// belongs to a process that died and is taken over. These steps write a few rows; the bulk of the data never waits on it.
/// </summary>
internal sealed class ClusterLock(ClickHouseCluster cluster)
{
    /// <summary>Every step under a lock takes well under a second: a lock this old was left by a process that died.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    private const int TableExists = 57;

    // Threads of one process take turns before asking the server, so they do not spin on each other's DDL.
    private static readonly SemaphoreSlim Local = new(1, 1);

    public T Run<T>(string name, Func<T> action)
    {
        var table = $"{Sql.Identifier(cluster.Database)}.{Sql.Identifier("lock_" + name)}";
        Local.Wait();
        try
        {
            Acquire(table, "lock_" + name);
            try
            {
                return action();
            }
            finally
            {
                cluster.Coordinator.Execute($"DROP TABLE IF EXISTS {table}");
            }
        }
        finally
        {
            Local.Release();
        }
    }

    private void Acquire(string table, string name)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                cluster.Coordinator.Execute($"CREATE TABLE {table} (at DateTime('UTC') DEFAULT now()) ENGINE = Log");
                return;
            }
            catch (StoreUnavailableException e) when (ClickHouseServer.ErrorCode(e.Message) == TableExists)
            {
                var age = cluster.Coordinator.Query(
                        $"SELECT now() - metadata_modification_time AS age FROM system.tables WHERE database = {Sql.Literal(cluster.Database)} AND name = {Sql.Literal(name)}")
                    .Select(r => r.Double("age"))
                    .FirstOrDefault();
                if (age >= StaleAfter.TotalSeconds)
                {
                    cluster.Coordinator.Execute($"DROP TABLE IF EXISTS {table}");
                    continue;
                }

                if (waited.Elapsed > StaleAfter * 2)
                {
                    throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture,
                        $"The store {cluster.Options} is busy: {name} has been held by another process for {waited.Elapsed.TotalSeconds:F0} s; try again."), e);
                }

                Thread.Sleep(Math.Min(200, 10 * (attempt + 1)));
            }
        }
    }
}
