using System.Buffers;
using System.Net;
using System.Threading.Channels;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// One INSERT to one shard that lasts as long as an import: chunks of TabSeparated rows go into a bounded queue and
/// out through a chunked HTTP request body, so the server forms its own large blocks (few parts) while the reader is
/// still parsing the file, and the importer never holds more than a few chunks in memory. When the server fails, the
/// next <see cref="Write"/> (or <see cref="Complete"/>) throws its error.
/// </summary>
internal sealed class StreamingInsert : IDisposable
{
    private const int QueuedChunks = 4;

    private readonly Channel<(byte[] Bytes, int Length)> _chunks =
        Channel.CreateBounded<(byte[] Bytes, int Length)>(new BoundedChannelOptions(QueuedChunks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _cancel = new();
    private readonly Task _send;

    public StreamingInsert(ClickHouseServer server, string insert)
    {
        Server = server;
        _send = server.InsertAsync(insert, new ChunkContent(_chunks.Reader), _cancel.Token);

        // A request that ended (refused, or its server gone) reads no more: let a waiting writer see that, not wait forever.
        _send.ContinueWith(t => _chunks.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
    }

    public ClickHouseServer Server { get; }

    /// <summary>Queues a copy of the buffer's rows (whole rows only).</summary>
    public void Write(TsvBuffer rows)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(rows.Length);
        rows.Written.Span.CopyTo(bytes);
        try
        {
            if (!_chunks.Writer.TryWrite((bytes, rows.Length)))
            {
                _chunks.Writer.WriteAsync((bytes, rows.Length)).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (ChannelClosedException)
        {
            ArrayPool<byte>.Shared.Return(bytes);
            _send.GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Ends the body and waits until the server has stored every row (or throws what it said).</summary>
    public void Complete()
    {
        _chunks.Writer.TryComplete();
        _send.GetAwaiter().GetResult();
    }

    /// <summary>Abandons the insert; rows the server already stored stay staged (invisible) for the caller to drop.</summary>
    public void Dispose()
    {
        _chunks.Writer.TryComplete();
        if (!_send.IsCompleted)
        {
            _cancel.Cancel();
        }

        try
        {
            _send.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Abandoned on purpose: its error is not the caller's.
        }

        while (_chunks.Reader.TryRead(out var chunk))
        {
            ArrayPool<byte>.Shared.Return(chunk.Bytes);
        }

        _cancel.Dispose();
    }

    /// <summary>The request body: the queued chunks, as they come.</summary>
    private sealed class ChunkContent(ChannelReader<(byte[] Bytes, int Length)> chunks) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await foreach (var (bytes, length) in chunks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await stream.WriteAsync(bytes.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                }
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
