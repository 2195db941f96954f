using System.Diagnostics;
using System.Threading.Channels;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Store;

namespace ModelMeter.Application.Usage;

/// <summary>How much the usage writer holds and writes at a time.</summary>
public sealed record UsageWriterOptions
{
    /// <summary>The most events waiting to be written; past it a batch is refused (HTTP 429) rather than memory growing.</summary>
    public long QueueCapacity { get; init; } = 2_000_000;

    /// <summary>The most events one write (one transaction) takes from the queue.</summary>
    public long MaxEventsPerWrite { get; init; } = 500_000;
}

/// <summary>The queue is full: the caller should retry after <see cref="RetryAfter"/>.</summary>
public sealed class UsageQueueFullException(long queued, long capacity, TimeSpan retryAfter)
    : Exception($"The usage queue holds {queued:N0} events (at most {capacity:N0}); retry in {retryAfter.TotalSeconds:N0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>What one write stored, for the server's metrics.</summary>
public readonly record struct UsageWrite(int Batches, long Events, long Duplicates, TimeSpan Elapsed, bool Failed);

/// <summary>
/// The one writer of posted usage: batches wait in a bounded in-memory queue (bounded in events, so memory stays
/// bounded whatever the batch sizes) and one task takes as many as are waiting and stores them in one transaction
/// (DuckDB lets one connection write at a time, and one transaction of many batches is far cheaper than many). A
/// batch's task completes only after its transaction committed: a 2xx means the events are durable in the store.
/// </summary>
public sealed class UsageWriter : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StoreProvider _stores;
    private readonly StoreOptions _store;
    private readonly UsageWriterOptions _options;
    private long _queued;
    private double _eventsPerSecond;
    private Task? _loop;
    private OpenedStore? _opened;

    public UsageWriter(StoreProvider stores, StoreOptions store, UsageWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _stores = stores;
        _store = store;
        _options = options;
    }

    /// <summary>Called after every write (on the writer's thread): the server's metrics.</summary>
    public event Action<UsageWrite>? Written;

    /// <summary>Events waiting to be written.</summary>
    public long QueuedEvents => Interlocked.Read(ref _queued);

    public long QueueCapacity => _options.QueueCapacity;

    public bool Running => _loop is { IsCompleted: false };

    /// <summary>Opens the store for writing (creating it when missing) and starts the writer.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        _opened = _stores.Open(_store, StoreAccess.Write);
        _loop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues a batch; the task completes when it is stored (or was stored before under its key).</summary>
    /// <exception cref="UsageQueueFullException">The queue has no room for the batch.</exception>
    public Task<UsageBatchReceipt> SubmitAsync(UsageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!Running)
        {
            throw new InvalidOperationException("The usage writer is not running.");
        }

        var events = Math.Max(1, batch.Events);
        var queued = Interlocked.Add(ref _queued, events);
        // One batch larger than the whole queue still goes in when the queue is empty, so no valid batch waits forever.
        if (queued > _options.QueueCapacity && queued != events)
        {
            Interlocked.Add(ref _queued, -events);
            throw new UsageQueueFullException(queued - events, _options.QueueCapacity, RetryAfter(queued - events));
        }

        var pending = new Pending(batch, events, new TaskCompletionSource<UsageBatchReceipt>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queued, -events);
            throw new InvalidOperationException("The usage writer is stopping.");
        }

        return pending.Done.Task;
    }

    /// <summary>Stops taking batches, writes what is queued, and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _opened?.Dispose();
        _opened = null;
    }

    /// <summary>How long the queue takes to drain at the recent write rate: at least a second.</summary>
    private TimeSpan RetryAfter(long queued)
    {
        var rate = Volatile.Read(ref _eventsPerSecond);
        var seconds = rate > 0 ? Math.Ceiling(queued / rate) : 1;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 60));
    }

    private async Task WriteLoop()
    {
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            long events = 0;
            while (events < _options.MaxEventsPerWrite && reader.TryRead(out var pending))
            {
                group.Add(pending);
                events += pending.Events;
            }

            var watch = Stopwatch.StartNew();
            try
            {
                var receipts = _opened!.Store.WriteUsageBatches(group.Select(p => p.Batch).ToList());
                watch.Stop();
                Volatile.Write(ref _eventsPerSecond, events / Math.Max(watch.Elapsed.TotalSeconds, 1e-3));
                Interlocked.Add(ref _queued, -events);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.SetResult(receipts[i]);
                }

                Written?.Invoke(new UsageWrite(group.Count, receipts.Where(r => !r.Duplicate).Sum(r => r.Events), receipts.Count(r => r.Duplicate), watch.Elapsed, Failed: false));
            }
#pragma warning disable CA1031 // A failed write fails its batches (HTTP 503, the sender retries); the writer goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.Add(ref _queued, -events);
                foreach (var pending in group)
                {
                    pending.Done.SetException(new UsageWriteFailedException(e));
                }

                Written?.Invoke(new UsageWrite(group.Count, 0, 0, watch.Elapsed, Failed: true));
            }
        }
    }

    private sealed record Pending(UsageBatch Batch, long Events, TaskCompletionSource<UsageBatchReceipt> Done);
}

/// <summary>The store refused a write; nothing of the batch was stored, and a retry under the same key is safe.</summary>
public sealed class UsageWriteFailedException : Exception
{
    public UsageWriteFailedException()
    {
    }

    public UsageWriteFailedException(string message)
        : base(message)
    {
    }

    public UsageWriteFailedException(Exception innerException)
        : base($"The store could not write the batch: {innerException?.Message}", innerException)
    {
    }

    public UsageWriteFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
