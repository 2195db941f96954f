using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Access;

/// <summary><c>keys create|list|revoke</c>: the store whose keys, and the key file when not the default.</summary>
public sealed record KeysRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>The key file (<c>--keys</c>); default <c>keys.json</c> beside the store.</summary>
    public string? Keys { get; init; }
}

/// <summary>
/// API keys for <c>modelmeter serve</c>: created for a team (or the whole organisation) with a role, listed, revoked.
/// A running server sees a change at its next request.
/// </summary>
public sealed class KeysUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public static readonly IReadOnlyList<string> Roles = ["viewer", "writer", "admin"];

    /// <summary>
    /// Where a store's keys are kept: the file <c>--keys</c> names; else <c>keys.json</c> beside a DuckDB file; else, for
    /// a store many servers share (ClickHouse), in the store itself, so every server behind a load balancer sees them.
    /// </summary>
    public ApiKeyRing RingFor(KeysRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Keys is { } keys)
        {
            return new ApiKeyRing(new FileKeyStorage(environment.ResolvePath(keys)));
        }

        var location = stores.Locate(request.Store);
        return location.Kind == StoreKind.DuckDb
            ? new ApiKeyRing(new FileKeyStorage(Path.Combine(Path.GetDirectoryName(location.Target)!, "keys.json")))
            : new ApiKeyRing(new StoreKeyStorage(stores, request.Store, location, environment.Clock));
    }

    public ApiKeyCreated Create(KeysRequest request, string? team, string? role, string? note)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = ParseRole(role);
        string? teamValue = null;
        if (team is not null)
        {
            if (parsed == ApiKeyRole.Admin)
            {
                throw new UserInputException("--role admin sees every team; leave out --team, or give the team key --role viewer or writer.");
            }

            var config = stores.LoadConfig(request.Store);
            var policy = AttributionSetup.From(config, stores.Configs.BaseDirectory(config)).Policy;
            teamValue = policy.NormalizeValue("team", team);
            if (teamValue is null || teamValue.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                throw new UserInputException($"--team '{team}' is not a team value (letters, digits, '-', '_' and '.'), such as nlp.");
            }
        }

        var ring = RingFor(request);
        var (record, key) = ring.Create(teamValue, parsed, note, environment.UtcNow);
        return new ApiKeyCreated(key, ApiKeyDocument.Of(record), ring.Where);
    }

    public ApiKeyList List(KeysRequest request)
    {
        var ring = RingFor(request);
        return new ApiKeyList(ring.Where, ring.Load().Select(ApiKeyDocument.Of).ToList());
    }

    public ApiKeyDocument Revoke(KeysRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ApiKeyDocument.Of(RingFor(request).Revoke(id, environment.UtcNow));
    }

    public static ApiKeyRole ParseRole(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        null or "" or "viewer" => ApiKeyRole.Viewer,
        "writer" => ApiKeyRole.Writer,
        "admin" => ApiKeyRole.Admin,
        _ => throw new UserInputException($"--role '{role}' is not one of {string.Join(", ", Roles)}."),
    };
}

/// <summary><c>keys create --format json</c>: the new key (shown this once), its record, and where keys are kept (the key file, or the store).</summary>
public sealed record ApiKeyCreated(string Key, ApiKeyDocument Record, string File);

/// <summary><c>keys list --format json</c>: <c>file</c> is where the keys are kept (the key file, or the store).</summary>
public sealed record ApiKeyList(string File, IReadOnlyList<ApiKeyDocument> Keys);

/// <summary>A key's record without its hash.</summary>
/// <param name="Team">The team it reads and writes, or null for every team.</param>
public sealed record ApiKeyDocument(string Id, string? Team, string Role, DateTime CreatedAt, string? Note, DateTime? RevokedAt)
{
    public static ApiKeyDocument Of(ApiKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ApiKeyDocument(record.Id, record.Team, record.Role.ToString().ToLowerInvariant(), record.CreatedAt, record.Note, record.RevokedAt);
    }
}
