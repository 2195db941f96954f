using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>Applies <see cref="Migrations"/> on every server of a store (each shard, and the entry node when it is not one).</summary>
internal static class SchemaMigrator
{
    private const int ColumnExists = 44;

    public static bool Exists(ClickHouseCluster cluster) =>
        cluster.Entry.Query(
                $"SELECT count() AS n FROM system.tables WHERE database = {Sql.Literal(cluster.Database)} AND name = 'schema_version'")
            .Single().Int64("n") > 0;

    /// <summary>The version each server of the store is at (0: no store there yet).</summary>
    public static IReadOnlyList<(ClickHouseServer Server, int Version)> Versions(ClickHouseCluster cluster) =>
        Servers(cluster).Select(s => (s, VersionOf(s, cluster.Database))).ToList();

    public static void Apply(ClickHouseCluster cluster, DateTime nowUtc, int? target = null)
    {
        // Each server on its own: their schemas are independent, and DDL is slow enough (a metadata file synced per
        // table) for the shards' to be worth doing side by side.
        var db = Sql.Identifier(cluster.Database);
        ClickHouseCluster.OnEach(Servers(cluster), server =>
        {
            server.Execute($"CREATE DATABASE IF NOT EXISTS {db}");
            server.Execute($"CREATE TABLE IF NOT EXISTS {db}.schema_version (version UInt32, applied_at DateTime('UTC')) ENGINE = MergeTree() ORDER BY version");
            var current = VersionOf(server, cluster.Database);
            if (current > Migrations.Latest)
            {
                throw new UserInputException(
                    $"The store {cluster.Options} has schema version {current} on {server.Endpoint}, newer than this ModelMeter understands ({Migrations.Latest}). Upgrade ModelMeter.");
            }

            for (var version = current + 1; version <= (target ?? Migrations.Latest); version++)
            {
                foreach (var statement in Migrations.Statements(version, cluster.Database, cluster.Options.Cluster))
                {
                    try
                    {
                        server.Execute(statement);
                    }
                    catch (StoreUnavailableException e) when (ClickHouseServer.ErrorCode(e.Message) == ColumnExists && statement.StartsWith("ALTER TABLE", StringComparison.Ordinal))
                    {
                        // Another process applied this step at the same time (ALTER has no IF NOT EXISTS on 18.16).
                    }
                }

                server.Execute($"INSERT INTO {db}.schema_version (version, applied_at) VALUES ({version.ToString(CultureInfo.InvariantCulture)}, {Sql.Literal(new DateTime(nowUtc.Ticks - (nowUtc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc))})");
            }
        });
    }

    private static int VersionOf(ClickHouseServer server, string database)
    {
        var exists = server.Query($"SELECT count() AS n FROM system.tables WHERE database = {Sql.Literal(database)} AND name = 'schema_version'").Single().Int64("n") > 0;
        return exists
            ? (int)server.Query($"SELECT max(version) AS v FROM {Sql.Identifier(database)}.schema_version").Single().Int64("v")
            : 0;
    }

    /// <summary>The shards, and the entry node when queries go through a node that holds no shard.</summary>
    private static List<ClickHouseServer> Servers(ClickHouseCluster cluster)
    {
        var servers = cluster.Shards.ToList();
        if (servers.All(s => s.Endpoint != cluster.Entry.Endpoint))
        {
            servers.Add(cluster.Entry);
        }

        return servers;
    }
}
