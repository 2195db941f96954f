namespace ModelMeter.Tests.Support;

/// <summary>
/// The two-shard ClickHouse cluster the tests run against, which ./test.sh starts (eng/clickhouse-cluster.sh) and names
/// in <c>MODELMETER_TEST_CLICKHOUSE</c>. Without it these tests fail, never pass or skip silently: a store that was not
/// tested is not known to work.
/// </summary>
internal static class ClickHouseTestCluster
{
    public const string Variable = "MODELMETER_TEST_CLICKHOUSE";

    /// <summary>The cluster's store URL (<c>clickhouse://127.0.0.1:PORT/modelmeter?cluster=...&amp;shards=...</c>).</summary>
    public static string StoreUrl =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need the two-shard ClickHouse cluster that ./test.sh starts " +
                "(eng/clickhouse-cluster.sh start, then export the variables it writes to its folder's env file).");

    /// <summary>The password of the cluster's user <c>meter</c> (the user <c>default</c> has none).</summary>
    public static string MeterPassword =>
        Environment.GetEnvironmentVariable(Variable + "_PASSWORD") ?? throw new InvalidOperationException($"{Variable}_PASSWORD is not set (./test.sh sets it).");

    /// <summary>The same cluster with a database of its own: each test's store starts empty.</summary>
    public static string NewStoreUrl(string prefix = "mm_test")
    {
        var url = StoreUrl;
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var authority = url.IndexOf('/', "clickhouse://".Length);
        return url[..authority] + "/" + prefix + "_" + Guid.NewGuid().ToString("N")[..16] + url[query..];
    }
}
