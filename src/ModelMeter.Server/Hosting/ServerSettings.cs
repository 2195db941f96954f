namespace ModelMeter.Server.Hosting;

/// <summary>
/// The server's settings: configuration section <c>ModelMeter</c> (<c>modelmeter serve</c> fills it from its options;
/// <c>--ModelMeter:Store=PATH</c> on the command line of <c>dotnet run --project src/ModelMeter.Server</c>).
/// </summary>
public sealed class ServerSettings
{
    public const string Section = "ModelMeter";

    /// <summary>The folder relative paths are read from (the CLI's working folder); default the process's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The DuckDB store (<c>--store</c>).</summary>
    public string? Store { get; set; }

    /// <summary>The config (<c>--config</c>).</summary>
    public string? Config { get; set; }

    /// <summary>The API key file (default <c>keys.json</c> beside the store).</summary>
    public string? Keys { get; set; }

    /// <summary>Anyone may read and write without a key (<c>serve --no-auth</c>; the CLI then binds to loopback only).</summary>
    public bool NoAuth { get; set; }

    /// <summary>The URL the server is reached at, written in the store's lock file for the messages of other commands.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The most events one <c>POST /api/v1/usage</c> may hold.</summary>
    public int MaxBatchEvents { get; set; } = 100_000;

    /// <summary>The largest request body of <c>POST /api/v1/usage</c>, in bytes.</summary>
    public long MaxBatchBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The most events waiting for the writer; past it, 429 with Retry-After.</summary>
    public long QueueCapacity { get; set; } = 2_000_000;

    /// <summary>The most events one write transaction takes.</summary>
    public long MaxEventsPerWrite { get; set; } = 500_000;
}
