namespace ModelMeter.Client;

/// <summary>Where a <see cref="UsageMeter"/> sends and how much it holds.</summary>
public sealed class UsageMeterOptions
{
    /// <summary>The server, e.g. <c>http://modelmeter:8080</c>; events go to <c>/api/v1/usage</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>A key with <c>--role writer</c> (a team's key writes that team's usage only).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Dimensions every event carries (<c>team</c>, <c>model</c>, <c>endpoint</c>, <c>replica</c> ...).</summary>
    public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();

    /// <summary>A batch is sent when this many events wait.</summary>
    public int MaxBatchEvents { get; init; } = 1_000;

    /// <summary>And at least this often while events wait.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most events held in memory (waiting and in a batch being retried); past it new events are dropped and counted.</summary>
    public int MaxBufferedEvents { get; init; } = 100_000;

    /// <summary>Tries per batch before it is given up (and its events counted as dropped).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="UsageMeter.DisposeAsync"/> keeps trying to send what is left.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP handler (tests, proxies); default a new <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The clock of event timestamps and of the flush interval.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>What a meter has done so far.</summary>
/// <param name="Recorded">Events recorded and kept.</param>
/// <param name="Sent">Events the server acknowledged (durable there).</param>
/// <param name="Dropped">Events dropped: the buffer was full, or their batch was refused or gave up.</param>
/// <param name="Buffered">Events in memory now.</param>
/// <param name="Retries">Sends that were tried again.</param>
/// <param name="LastError">The last failure, or null.</param>
public sealed record UsageMeterStats(long Recorded, long Sent, long Dropped, long Buffered, long Retries, string? LastError);
