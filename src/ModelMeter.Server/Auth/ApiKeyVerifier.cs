using Microsoft.Extensions.Options;
using ModelMeter.Application.Access;
using ModelMeter.Server.Hosting;

namespace ModelMeter.Server.Auth;

/// <summary>
/// Checks presented keys against the store's key file, re-read when it changes, so `modelmeter keys create|revoke`
/// takes effect at the next request without a restart.
/// </summary>
public sealed class ApiKeyVerifier(KeysUseCase keys, IOptions<ServerSettings> settings)
{
    private readonly Lock _gate = new();
    private ApiKeyFile? _file;
    private DateTime _loadedWrite;
    private long _loadedLength = -1;
    private IReadOnlyList<ApiKeyRecord> _records = [];
    private byte[]? _secret;

    public ApiKeyFile File
    {
        get
        {
            lock (_gate)
            {
                return _file ??= keys.FileFor(new KeysRequest { Store = ServerServices.StoreOf(settings.Value), Keys = settings.Value.Keys });
            }
        }
    }

    public ApiKeyPrincipal? Verify(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var file = File;
        IReadOnlyList<ApiKeyRecord> records;
        byte[]? secret;
        lock (_gate)
        {
            var info = new FileInfo(file.Path);
            var write = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue;
            var length = info.Exists ? info.Length : -1;
            if (write != _loadedWrite || length != _loadedLength)
            {
                _records = file.Load();
                _secret = _records.Count > 0 ? file.Secret() : null;
                _loadedWrite = write;
                _loadedLength = length;
            }

            records = _records;
            secret = _secret;
        }

        if (secret is null)
        {
            return null;
        }

        var record = ApiKeyFile.Verify(records, secret, presented);
        return record is null ? null : new ApiKeyPrincipal(record.Id, record.Team, record.Role);
    }
}
