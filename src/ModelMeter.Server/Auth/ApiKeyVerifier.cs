using Microsoft.Extensions.Options;
using ModelMeter.Application.Access;
using ModelMeter.Server.Hosting;

namespace ModelMeter.Server.Auth;

/// <summary>
/// Checks presented keys against the store's keys (<see cref="KeysUseCase.RingFor"/>), re-read when their stamp changes,
/// so `modelmeter keys create|revoke` takes effect at the next request without a restart (within a few seconds for
/// keys kept in a shared store).
/// </summary>
public sealed class ApiKeyVerifier(KeysUseCase keys, IOptions<ServerSettings> settings)
{
    private readonly Lock _gate = new();
    private ApiKeyRing? _ring;
    private object? _loadedStamp;
    private IReadOnlyList<ApiKeyRecord> _records = [];
    private byte[]? _secret;

    public ApiKeyRing Ring
    {
        get
        {
            lock (_gate)
            {
                return _ring ??= keys.RingFor(new KeysRequest { Store = ServerServices.StoreOf(settings.Value), Keys = settings.Value.Keys });
            }
        }
    }

    public ApiKeyPrincipal? Verify(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var ring = Ring;
        IReadOnlyList<ApiKeyRecord> records;
        byte[]? secret;
        lock (_gate)
        {
            var stamp = ring.Stamp();
            if (!Equals(stamp, _loadedStamp))
            {
                _records = ring.Load();
                _secret = _records.Count > 0 ? ring.Secret() : null;
                _loadedStamp = stamp;
            }

            records = _records;
            secret = _secret;
        }

        if (secret is null)
        {
            return null;
        }

        var record = ApiKeyRing.Verify(records, secret, presented);
        return record is null ? null : new ApiKeyPrincipal(record.Id, record.Team, record.Role);
    }
}
