using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelMeter.Application.Contracts;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Access;

/// <summary>What an API key may do. Every role reads; a team key reads its team only.</summary>
public enum ApiKeyRole
{
    /// <summary>Reads costs, usage and findings.</summary>
    Viewer,

    /// <summary>Reads, and posts usage events (a serving fleet's key).</summary>
    Writer,

    /// <summary>Reads and writes everything, every team.</summary>
    Admin,
}

/// <summary>One key as stored: never the key itself, only its HMAC under the server secret.</summary>
/// <param name="Id">The public part of the key (<c>mm_ID_SECRET</c>), by which it is listed and revoked.</param>
/// <param name="Hash">HMAC-SHA256 of the whole key under the secret in <c>keys.secret</c>, hex.</param>
public sealed record ApiKeyRecord(string Id, string? Team, ApiKeyRole Role, string Hash, DateTime CreatedAt, string? Note, DateTime? RevokedAt);

/// <summary>Who a presented key belongs to.</summary>
public sealed record ApiKeyPrincipal(string Id, string? Team, ApiKeyRole Role)
{
    /// <summary>What the key may read: its team, or everything.</summary>
    public AccessScope Access => Team is null ? AccessScope.Everything : AccessScope.ForTeam(Team);

    public bool CanWriteUsage => Role is ApiKeyRole.Writer or ApiKeyRole.Admin;
}

/// <summary>
/// The API keys of a store: the records and a server secret (32 random bytes) in an <see cref="IApiKeyStorage"/> (files
/// beside a DuckDB store, documents in a ClickHouse store). A key is <c>mm_</c> + a 12-hex-digit id + <c>_</c> + 32
/// random bytes (base64url); only its HMAC under the secret is kept, compared in constant time, so a leaked key list
/// gives no key.
/// </summary>
public sealed class ApiKeyRing(IApiKeyStorage storage)
{
    private const string Prefix = "mm_";
    private static readonly JsonSerializerOptions Json = new(ModelMeterJson.Options) { WriteIndented = true };

    /// <summary>Where the keys are kept: the key file, or the store.</summary>
    public string Where => storage.Where;

    /// <summary>Changes whenever a key is created or revoked (a server re-reads the keys then).</summary>
    public object Stamp() => storage.Stamp();

    public IReadOnlyList<ApiKeyRecord> Load() => Parse(storage.Read(ApiKeyDocuments.Keys));

    /// <summary>Creates a key; the returned text is the only time the key is shown.</summary>
    public (ApiKeyRecord Record, string Key) Create(string? team, ApiKeyRole role, string? note, DateTime now)
    {
        var secret = Secret();
        ApiKeyRecord? record = null;
        string? key = null;
        storage.Update(ApiKeyDocuments.Keys, text =>
        {
            var records = Parse(text).ToList();
            string id;
            do
            {
                id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            }
            while (records.Any(r => r.Id == id));

            key = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
            record = new ApiKeyRecord(id, team, role, Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(key))), now, note, null);
            records.Add(record);
            return JsonSerializer.Serialize(records, Json);
        });
        return (record!, key!);
    }

    public ApiKeyRecord Revoke(string id, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(id);
        ApiKeyRecord? revoked = null;
        storage.Update(ApiKeyDocuments.Keys, text =>
        {
            var records = Parse(text).ToList();
            var index = records.FindIndex(r => r.Id == id.Trim());
            if (index < 0)
            {
                throw new UserInputException($"No API key with id '{id}' in {Where}; `modelmeter keys list` shows the ids.");
            }

            records[index] = records[index] with { RevokedAt = records[index].RevokedAt ?? now };
            revoked = records[index];
            return JsonSerializer.Serialize(records, Json);
        });
        return revoked!;
    }

    /// <summary>The live key that <paramref name="presented"/> is, or null (unknown, malformed or revoked).</summary>
    public static ApiKeyRecord? Verify(IReadOnlyList<ApiKeyRecord> records, byte[] secret, string presented)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(presented);
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }

        var id = presented.Substring(Prefix.Length, Math.Min(12, presented.Length - Prefix.Length));
        var record = records.FirstOrDefault(r => r.Id == id);
        if (record is null || record.RevokedAt is not null)
        {
            return null;
        }

        var expected = Convert.FromHexString(record.Hash);
        var actual = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? record : null;
    }

    /// <summary>The server secret, created the first time it is needed (by whichever process comes first).</summary>
    public byte[] Secret() =>
        Convert.FromHexString(storage.Update(ApiKeyDocuments.Secret, text => text ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))).Trim());

    /// <summary>Copies every key and the secret from another ring into this one (which must hold none yet).</summary>
    /// <returns>The number of keys copied.</returns>
    public int CopyFrom(ApiKeyRing source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var records = source.Load();
        if (records.Count == 0)
        {
            return 0;
        }

        var secret = Convert.ToHexStringLower(source.Secret());
        var kept = storage.Update(ApiKeyDocuments.Secret, text => text ?? secret).Trim();
        var existing = Load();
        if (!string.Equals(kept, secret, StringComparison.Ordinal) && existing.Count > 0)
        {
            throw new UserInputException($"{Where} already keeps other API keys under another secret; the keys of {source.Where} were not copied.");
        }

        if (!string.Equals(kept, secret, StringComparison.Ordinal))
        {
            // A secret without keys (a verifier created it): the copied keys' HMACs need theirs.
            storage.Update(ApiKeyDocuments.Secret, _ => secret);
        }

        storage.Update(ApiKeyDocuments.Keys, _ => JsonSerializer.Serialize(records, Json));
        return records.Count;
    }

    private List<ApiKeyRecord> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ApiKeyRecord>>(text, Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{Where}: the API key list does not parse ({e.Message}); restore it or delete it and create the keys again.", e);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
