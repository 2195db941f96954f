using System.Collections.Concurrent;
using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Hands parsed rows to the sink on a second thread, in batches, so parsing and writing run on two cores at once.
/// Rows are parsed straight into pooled batch slots, never copied. Order is preserved; an exception thrown by the
/// sink surfaces on the reading thread at the next hand-over or at <see cref="Complete"/>.
/// </summary>
internal sealed class RowPipeline : IDisposable
{
    // Small batches: every pooled row keeps the strings it was last parsed with alive, so the slots in the pipeline are
    // what survives each young collection. On the wide bench file (new strings on every row, 3 GB allocated a million
    // rows) 5 x 2,048 slots made nearly every collection a gen1 one, 1.3 to 1.6 s of pauses; 5 x 512, 0.7 s;
    // 5 x 256, 0.5 s (GC.GetTotalPauseDuration). A file of repeated values allocates almost nothing either way.
    private const int BatchSize = 256;
    private const int Batches = 4;

    private readonly BlockingCollection<Batch> _full = new(Batches);
    private readonly BlockingCollection<Batch> _free = new(Batches + 1);
    private readonly Task _consumer;
    private Batch _current;

    public RowPipeline(ILineItemSink sink)
    {
        for (var i = 0; i < Batches + 1; i++)
        {
            _free.Add(new Batch());
        }

        _current = _free.Take();
        _consumer = Task.Factory.StartNew(() => Consume(sink), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The slot the next row is parsed into.</summary>
    public LineItemRow Current => _current.Rows[_current.Count];

    /// <summary>Keeps the row just parsed into <see cref="Current"/>.</summary>
    public void Accept()
    {
        _current.Count++;
        if (_current.Count == BatchSize)
        {
            HandOver();
        }
    }

    /// <summary>Sends what is left and waits until the sink has every row.</summary>
    public void Complete()
    {
        if (_current.Count > 0)
        {
            HandOver();
        }

        _full.CompleteAdding();
        _consumer.GetAwaiter().GetResult();
    }

    /// <summary>Sends what is left and waits until the sink has every row, the pipeline staying open for more.</summary>
    public void Drain()
    {
        if (_current.Count > 0)
        {
            HandOver();
        }

        // Every batch but the current one back in the free pool: the sink has taken them all.
        while (_free.Count < Batches)
        {
            if (_consumer.IsCompleted)
            {
                _consumer.GetAwaiter().GetResult();
            }

            Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        if (!_full.IsAddingCompleted)
        {
            _full.CompleteAdding();
        }

        try
        {
            _consumer.Wait();
        }
        catch (AggregateException)
        {
            // Already surfaced, or the import is being abandoned for another reason.
        }

        _full.Dispose();
        _free.Dispose();
    }

    private void HandOver()
    {
        if (_consumer.IsFaulted)
        {
            _consumer.GetAwaiter().GetResult();
        }

        _full.Add(_current);
        Batch? next;
        while (!_free.TryTake(out next, 100))
        {
            if (_consumer.IsCompleted)
            {
                _consumer.GetAwaiter().GetResult();
            }
        }

        next.Count = 0;
        _current = next;
    }

    private void Consume(ILineItemSink sink)
    {
        foreach (var batch in _full.GetConsumingEnumerable())
        {
            for (var i = 0; i < batch.Count; i++)
            {
                sink.Append(batch.Rows[i]);
            }

            _free.Add(batch);
        }
    }

    private sealed class Batch
    {
        public LineItemRow[] Rows { get; } = Enumerable.Range(0, BatchSize).Select(_ => new LineItemRow()).ToArray();

        public int Count { get; set; }
    }
}
