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
/// The API keys of a store: <c>keys.json</c> (the records) and <c>keys.secret</c> (32 random bytes, owner-only)
/// beside the store, both outside the DuckDB file, so keys can be created and revoked while the server holds the
/// store. A key is <c>mm_</c> + a 12-hex-digit id + <c>_</c> + 32 random bytes (base64url); only its HMAC is kept,
/// compared in constant time, so a leaked <c>keys.json</c> gives no key.
/// </summary>
public sealed class ApiKeyFile(string path)
{
    private const string Prefix = "mm_";
    private static readonly JsonSerializerOptions Json = new(ModelMeterJson.Options) { WriteIndented = true };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string SecretPath => System.IO.Path.ChangeExtension(Path, ".secret");

    public IReadOnlyList<ApiKeyRecord> Load()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ApiKeyRecord>>(File.ReadAllText(Path), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{Path}: the API key file does not parse ({e.Message}); restore it or delete it and create the keys again.", e);
        }
    }

    /// <summary>Creates a key; the returned text is the only time the key is shown.</summary>
    public (ApiKeyRecord Record, string Key) Create(string? team, ApiKeyRole role, string? note, DateTime now)
    {
        var records = Load().ToList();
        string id;
        do
        {
            id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        }
        while (records.Any(r => r.Id == id));

        var key = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiKeyRecord(id, team, role, Hash(key), now, note, null);
        records.Add(record);
        Save(records);
        return (record, key);
    }

    public ApiKeyRecord Revoke(string id, DateTime now)
    {
        var records = Load().ToList();
        var index = records.FindIndex(r => r.Id == id.Trim());
        if (index < 0)
        {
            throw new UserInputException($"No API key with id '{id}' in {Path}; `modelmeter keys list` shows the ids.");
        }

        records[index] = records[index] with { RevokedAt = records[index].RevokedAt ?? now };
        Save(records);
        return records[index];
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

    /// <summary>The server secret, created (owner-only) the first time it is needed.</summary>
    public byte[] Secret()
    {
        if (File.Exists(SecretPath))
        {
            var text = File.ReadAllText(SecretPath).Trim();
            return Convert.FromHexString(text);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(SecretPath)!);
        var secret = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(SecretPath, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToHexStringLower(secret));
        }

        return secret;
    }

    private string Hash(string key) => Convert.ToHexStringLower(HMACSHA256.HashData(Secret(), Encoding.UTF8.GetBytes(key)));

    private void Save(List<ApiKeyRecord> records)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        // Written aside and moved in place, so a running server never reads half a file.
        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(records, Json));
        File.Move(temp, Path, overwrite: true);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
