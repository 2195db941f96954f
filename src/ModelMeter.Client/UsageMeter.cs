using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ModelMeter.Client;

/// <summary>
/// Meters a service's predictions, tokens and GPU time into ModelMeter. Recording never blocks and never throws
/// because of the server: events are buffered in memory (bounded: past <see cref="UsageMeterOptions.MaxBufferedEvents"/>
/// new ones are dropped and counted), sent in batches by size or interval by one background task, each batch retried
/// with exponential backoff under one <c>Idempotency-Key</c> (so a retry the server already stored counts once), and
/// what is left is sent on dispose. A down server costs the service nothing but the dropped count in <see cref="Stats"/>.
/// </summary>
public sealed class UsageMeter : IAsyncDisposable, IDisposable
{
    private readonly UsageMeterOptions _options;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<UsageEvent> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly KeyValuePair<string, string>[] _dimensions;
    private long _buffered;
    private long _recorded;
    private long _sent;
    private long _dropped;
    private long _retries;
    private string? _lastError;
    private int _flushRequested;
    private TaskCompletionSource? _flushed;
    private int _disposed;

    public UsageMeter(UsageMeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchEvents, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBufferedEvents, options.MaxBatchEvents);
        _options = options;
        _dimensions = options.Dimensions.ToArray();
        _http = new HttpClient(options.Handler ?? new SocketsHttpHandler(), disposeHandler: options.Handler is null)
        {
            BaseAddress = options.Endpoint,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (options.ApiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }

        _loop = Task.Run(SendLoop);
    }

    public UsageMeterStats Stats => new(
        Interlocked.Read(ref _recorded), Interlocked.Read(ref _sent), Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _buffered), Interlocked.Read(ref _retries), Volatile.Read(ref _lastError));

    /// <summary>Predictions served (metric <c>predictions</c>).</summary>
    public void RecordPredictions(long count, IReadOnlyDictionary<string, string>? dimensions = null) => Record("predictions", count, dimensions);

    /// <summary>LLM tokens (metrics <c>input_tokens</c> and <c>output_tokens</c>).</summary>
    public void RecordTokens(long input, long output, IReadOnlyDictionary<string, string>? dimensions = null)
    {
        Record("input_tokens", input, dimensions);
        Record("output_tokens", output, dimensions);
    }

    /// <summary>GPU time (metric <c>gpu_seconds</c>).</summary>
    public void RecordGpuSeconds(decimal seconds, IReadOnlyDictionary<string, string>? dimensions = null) => Record("gpu_seconds", seconds, dimensions);

    /// <summary>Any metric. Returns false when the event was dropped (buffer full, meter disposed, a negative value).</summary>
    public bool Record(string metric, decimal value, IReadOnlyDictionary<string, string>? dimensions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        if (value < 0 || Volatile.Read(ref _disposed) != 0 || Interlocked.Increment(ref _buffered) > _options.MaxBufferedEvents)
        {
            if (value >= 0 && Volatile.Read(ref _disposed) == 0)
            {
                Interlocked.Decrement(ref _buffered);
            }

            Interlocked.Increment(ref _dropped);
            return false;
        }

        _queue.Enqueue(new UsageEvent(_options.Clock.GetUtcNow(), metric, value, dimensions));
        Interlocked.Increment(ref _recorded);
        if (_queue.Count >= _options.MaxBatchEvents)
        {
            Wake();
        }

        return true;
    }

    /// <summary>Sends what is buffered now; completes when it was sent or given up.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _flushed, flushed)?.TrySetResult();
        Interlocked.Exchange(ref _flushRequested, 1);
        Wake();
        return flushed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Send what is left, within the time allowed; then stop retrying.
        _stopping.CancelAfter(_options.DisposeTimeout);
        Interlocked.Exchange(ref _flushRequested, 1);
        Wake();
        await _loop.ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
        _signal.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Wake()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nothing left to wake.
        }
    }

    private async Task SendLoop()
    {
        var random = new Random();
        while (true)
        {
            var disposing = Volatile.Read(ref _disposed) != 0;
            if (!disposing && _queue.Count < _options.MaxBatchEvents && Volatile.Read(ref _flushRequested) == 0)
            {
                using var interval = new CancellationTokenSource(_options.FlushInterval, _options.Clock);
                try
                {
                    await _signal.WaitAsync(interval.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The interval passed: send what waits.
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }

            var flushing = Interlocked.Exchange(ref _flushRequested, 0) == 1;
            while (!_queue.IsEmpty)
            {
                var batch = new List<UsageEvent>(Math.Min(_queue.Count, _options.MaxBatchEvents));
                while (batch.Count < _options.MaxBatchEvents && _queue.TryDequeue(out var e))
                {
                    batch.Add(e);
                }

                await SendWithRetries(batch, random).ConfigureAwait(false);
                Interlocked.Add(ref _buffered, -batch.Count);
                if (!flushing && Volatile.Read(ref _disposed) == 0 && _queue.Count < _options.MaxBatchEvents)
                {
                    break;
                }
            }

            if (flushing || Volatile.Read(ref _disposed) != 0)
            {
                Interlocked.Exchange(ref _flushed, null)?.TrySetResult();
            }

            if (Volatile.Read(ref _disposed) != 0 && _queue.IsEmpty)
            {
                return;
            }
        }
    }

    /// <summary>One batch, one idempotency key, as many tries as allowed; the events count as sent or as dropped.</summary>
    private async Task SendWithRetries(List<UsageEvent> batch, Random random)
    {
        var body = Serialize(batch);
        var key = Guid.NewGuid().ToString("N");
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/usage") { Content = content };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await _http.SendAsync(request, _stopping.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref _sent, batch.Count);
                    return;
                }

                var detail = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
                Volatile.Write(ref _lastError, $"HTTP {(int)response.StatusCode}: {detail}");
                if (!Retryable(response.StatusCode))
                {
                    // Refused as it is (a bad event, a key that may not write): sending it again cannot help.
                    Interlocked.Add(ref _dropped, batch.Count);
                    return;
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Volatile.Write(ref _lastError, e.Message);
            }

            if (attempt >= _options.MaxAttempts || _stopping.IsCancellationRequested)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }

            Interlocked.Increment(ref _retries);
            var wait = retryAfter ?? delay + TimeSpan.FromMilliseconds(random.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 2)));
            try
            {
                await Task.Delay(wait, _options.Clock, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    private static bool Retryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private byte[] Serialize(List<UsageEvent> batch)
    {
        var buffer = new ArrayBufferWriter<byte>(batch.Count * 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var e in batch)
            {
                writer.WriteStartObject();
                writer.WriteString("timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                writer.WriteString("metric", e.Metric);
                writer.WriteNumber("value", e.Value);
                foreach (var (k, v) in _dimensions)
                {
                    if (e.Dimensions is null || !e.Dimensions.ContainsKey(k))
                    {
                        writer.WriteString(k, v);
                    }
                }

                if (e.Dimensions is not null)
                {
                    foreach (var (k, v) in e.Dimensions)
                    {
                        writer.WriteString(k, v);
                    }
                }

                writer.WriteEndObject();
                writer.Flush();
                buffer.Write("\n"u8);

                // One JSON value per line: a fresh writer state, or it would put a comma between the values.
                writer.Reset(buffer);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private readonly record struct UsageEvent(DateTimeOffset Timestamp, string Metric, decimal Value, IReadOnlyDictionary<string, string>? Dimensions);
}
