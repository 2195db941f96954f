using System.Globalization;
using System.Text;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Where a ClickHouse store is: the HTTP address of the node ModelMeter talks to, the cluster (a <c>remote_servers</c>
/// name) its tables spread over, and the database. Written as a store URL
/// <c>clickhouse://HOST:8123/DATABASE?cluster=NAME</c>, or in modelmeter.yaml as <c>store: { kind: clickhouse, url:,
/// cluster:, database:, user:, password_env: }</c>.
/// </summary>
/// <param name="Url">The HTTP interface of the entry node (<c>http://host:8123</c>).</param>
/// <param name="Cluster">The cluster of <c>remote_servers</c> whose shards hold the data.</param>
/// <param name="Database">The database ModelMeter owns on every shard.</param>
/// <param name="User">The ClickHouse user (default <c>default</c>).</param>
/// <param name="PasswordVariable">The environment variable holding the password (never the password itself).</param>
/// <param name="Shards">
/// The HTTP address of each shard, in <c>remote_servers</c> order, when they cannot be derived: by default shard N is
/// its <c>remote_servers</c> host with the entry node's HTTP port and scheme.
/// </param>
public sealed record ClickHouseOptions(Uri Url, string Cluster, string Database = ClickHouseOptions.DefaultDatabase, string? User = null, string? PasswordVariable = null, IReadOnlyList<Uri>? Shards = null)
{
    public const string Scheme = "clickhouse";

    public const string DefaultDatabase = "modelmeter";

    /// <summary>True for text that names a ClickHouse store (<c>clickhouse://...</c>) rather than a DuckDB file.</summary>
    public static bool IsStoreUrl(string? text) =>
        text is not null && text.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads <c>clickhouse://HOST[:PORT]/[DATABASE]?cluster=NAME[&amp;user=U][&amp;password_env=VAR][&amp;shards=H:P,H:P][&amp;secure=true]</c>
    /// (port 8123, database <c>modelmeter</c> unless given; <c>secure=true</c> speaks HTTPS).
    /// </summary>
    public static ClickHouseOptions Parse(string text, string where = "--store")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsStoreUrl(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Bad(where, text, "is not a ClickHouse store URL");
        }

        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            if (key is not ("cluster" or "user" or "password_env" or "shards" or "secure"))
            {
                throw Bad(where, text, $"has the unknown option '{key}' (known: cluster, user, password_env, shards, secure)");
            }

            query[key] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        var secure = query.TryGetValue("secure", out var s) && s is "1" or "true";
        var scheme = secure ? "https" : "http";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? 8123 : uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        var shards = query.TryGetValue("shards", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => HttpAddress(a, scheme, where, text)).ToList()
            : null;
        return Validated(
            new ClickHouseOptions(
                new Uri($"{scheme}://{uri.Host}:{port.ToString(CultureInfo.InvariantCulture)}"),
                query.GetValueOrDefault("cluster") ?? "",
                database.Length == 0 ? DefaultDatabase : database,
                query.GetValueOrDefault("user"),
                query.GetValueOrDefault("password_env"),
                shards),
            where,
            text);
    }

    /// <summary>The options of modelmeter.yaml's <c>store</c> section.</summary>
    public static ClickHouseOptions FromConfig(string? url, string? cluster, string? database, string? user, string? passwordVariable, IReadOnlyList<string>? shards, string where)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UserInputException($"{where}: store.url '{url}' is not the HTTP address of a ClickHouse node, such as http://127.0.0.1:8123.");
        }

        var entry = new Uri(uri.GetLeftPart(UriPartial.Authority));
        return Validated(
            new ClickHouseOptions(
                entry,
                cluster ?? "",
                string.IsNullOrWhiteSpace(database) ? DefaultDatabase : database,
                string.IsNullOrWhiteSpace(user) ? null : user,
                string.IsNullOrWhiteSpace(passwordVariable) ? null : passwordVariable,
                shards?.Select(a => HttpAddress(a, entry.Scheme, where, a)).ToList()),
            where,
            url);
    }

    /// <summary>The store URL, without any secret: how messages and <c>--store</c> name the store.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Scheme}://{Url.Host}:{Url.Port}/{Database}?cluster={Cluster}"));
        if (User is not null)
        {
            text.Append("&user=").Append(Uri.EscapeDataString(User));
        }

        if (PasswordVariable is not null)
        {
            text.Append("&password_env=").Append(Uri.EscapeDataString(PasswordVariable));
        }

        if (Shards is not null)
        {
            text.Append("&shards=").AppendJoin(',', Shards.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Host}:{s.Port}")));
        }

        if (Url.Scheme == "https")
        {
            text.Append("&secure=true");
        }

        return text.ToString();
    }

    private static ClickHouseOptions Validated(ClickHouseOptions options, string where, string text)
    {
        if (options.Cluster.Length == 0)
        {
            throw Bad(where, text, "names no cluster; add cluster=NAME, the remote_servers entry whose shards hold the store");
        }

        if (!Sql.IsIdentifier(options.Cluster))
        {
            throw Bad(where, text, $"has the cluster '{options.Cluster}', which is not a plain name ([A-Za-z_][A-Za-z0-9_]*)");
        }

        if (!Sql.IsIdentifier(options.Database))
        {
            throw Bad(where, text, $"has the database '{options.Database}', which is not a plain name ([A-Za-z_][A-Za-z0-9_]*)");
        }

        if (options.PasswordVariable is { } variable && !Sql.IsIdentifier(variable))
        {
            throw Bad(where, text, $"has password_env '{variable}', which is not an environment variable name");
        }

        return options;
    }

    private static Uri HttpAddress(string address, string scheme, string where, string text)
    {
        var withScheme = address.Contains("://", StringComparison.Ordinal) ? address : $"{scheme}://{address}";
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw Bad(where, text, $"has the shard address '{address}', which is not HOST:PORT");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    private static UserInputException Bad(string where, string text, string what) =>
        new($"{where}: '{text}' {what}. A ClickHouse store is written clickhouse://HOST:8123/DATABASE?cluster=NAME (options: user, password_env, shards=HOST:PORT,..., secure=true).");
}
