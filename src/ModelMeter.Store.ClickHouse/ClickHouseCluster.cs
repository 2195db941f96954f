using System.Globalization;
using System.Net;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// The servers of a store: the entry node (distributed queries go there, and it fans them out) and each shard's own
/// HTTP interface (schema migrations, inserts, partition drops go to each shard directly: without ZooKeeper, 18.16
/// cannot run <c>ON CLUSTER</c> DDL, and writing each shard directly spreads an import's rows evenly without the
/// Distributed engine's asynchronous queue). Shard 1 also holds the import-id claims (<see cref="ImportClaims"/>), so
/// every writer, through whichever entry node, agrees on them.
/// </summary>
internal sealed class ClickHouseCluster : IDisposable
{
    private readonly HttpClient _http;

    private ClickHouseCluster(HttpClient http, ClickHouseOptions options, ClickHouseServer entry, IReadOnlyList<ClickHouseServer> shards)
    {
        _http = http;
        Options = options;
        Entry = entry;
        Shards = shards;
    }

    public ClickHouseOptions Options { get; }

    public string Database => Options.Database;

    public ClickHouseServer Entry { get; }

    public IReadOnlyList<ClickHouseServer> Shards { get; }

    /// <summary>Where import ids are claimed: the first shard, the same for every writer.</summary>
    public ClickHouseServer Coordinator => Shards[0];

    /// <summary>Connects to the entry node and finds the cluster's shards (from <c>system.clusters</c>, or as configured).</summary>
    public static ClickHouseCluster Connect(ClickHouseOptions options, string? password)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };

        // Queries over a billion rows may take minutes: no client timeout; a query the caller cancels is killed.
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var entry = new ClickHouseServer(http, options.Url, options.User, password);
            var shards = FindShards(http, options, entry, password);
            return new ClickHouseCluster(http, options, entry, shards);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The shard an import's metadata rows go to: any one shard, the same for all of an import's rows.</summary>
    public ClickHouseServer ShardFor(long importId) => Shards[(int)(importId % Shards.Count)];

    public void Dispose() => _http.Dispose();

    /// <summary>Runs an action on several servers side by side; a failure surfaces as the first server's own exception.</summary>
    public static void OnEach(IEnumerable<ClickHouseServer> servers, Action<ClickHouseServer> action)
    {
        try
        {
            Parallel.ForEach(servers, action);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static List<ClickHouseServer> FindShards(HttpClient http, ClickHouseOptions options, ClickHouseServer entry, string? password)
    {
        var rows = entry.Query(
            $"SELECT shard_num, replica_num, host_name, port FROM system.clusters WHERE cluster = {Sql.Literal(options.Cluster)} ORDER BY shard_num, replica_num");
        if (rows.Count == 0)
        {
            var known = entry.Query("SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster").Select(r => r.String("cluster")).ToList();
            throw new UserInputException(
                $"The ClickHouse server at {options.Url} has no cluster '{options.Cluster}' in its remote_servers" +
                (known.Count == 0 ? " (it has none)." : $"; it has: {string.Join(", ", known)}."));
        }

        var shards = rows.GroupBy(r => r.Int64("shard_num")).Select(g => g.First()).ToList();
        if (rows.Count != shards.Count)
        {
            throw new UserInputException(
                $"The cluster '{options.Cluster}' has shards with several replicas. This ModelMeter writes MergeTree tables (one replica per shard); " +
                "replicate with ReplicatedMergeTree outside ModelMeter or give each shard one replica.");
        }

        if (options.Shards is { } configured)
        {
            if (configured.Count != shards.Count)
            {
                throw new UserInputException(
                    $"The store names {configured.Count} shard address{(configured.Count == 1 ? "" : "es")}, but the cluster '{options.Cluster}' has {shards.Count} shards.");
            }

            return configured.Select(u => new ClickHouseServer(http, u, options.User, password)).ToList();
        }

        // By default each shard speaks HTTP on its remote_servers host, on the entry node's port and scheme.
        var addresses = shards.Select(r => new Uri(string.Create(CultureInfo.InvariantCulture, $"{options.Url.Scheme}://{HostText(r.String("host_name"))}:{options.Url.Port}"))).ToList();
        if (addresses.Distinct().Count() != addresses.Count)
        {
            throw new UserInputException(
                $"The shards of cluster '{options.Cluster}' share a host ({string.Join(", ", addresses.Select(a => a.Authority))}), so their HTTP addresses cannot be derived; " +
                "name them with shards=HOST:PORT,HOST:PORT in the store URL (or store.shards in modelmeter.yaml), in remote_servers order.");
        }

        return addresses.Select(a => new ClickHouseServer(http, a, options.User, password)).ToList();
    }

    private static string HostText(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
