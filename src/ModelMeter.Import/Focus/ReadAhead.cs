using System.Collections.Concurrent;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Batches of records filled on a thread of their own, a few ahead of the thread that reads them (the CSV and Parquet
/// record sources): the reader takes each full batch in order and hands it back when done with it, and after the last
/// batch gets the filling thread's error, if it stopped on one (the records it read before the error still arrive
/// first). Disposing stops the filling thread and waits for it.
/// </summary>
internal sealed class ReadAhead<TBatch> : IDisposable
    where TBatch : class
{
    private readonly BlockingCollection<TBatch> _full;
    private readonly BlockingCollection<TBatch> _free;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<TBatch, bool> _fill;
    private readonly Task _filler;

    /// <param name="batches">How many batches there are; one more than can wait full.</param>
    /// <param name="newBatch">Makes a batch (they are reused).</param>
    /// <param name="fill">Fills a batch from its start; true while there is more to read. An exception stops the reading.</param>
    public ReadAhead(int batches, Func<TBatch> newBatch, Func<TBatch, bool> fill)
    {
        _full = new(batches - 1);
        _free = new(batches);
        for (var i = 0; i < batches; i++)
        {
            _free.Add(newBatch());
        }

        _fill = fill;
        _filler = Task.Factory.StartNew(Fill, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Hands back <paramref name="done"/> (null the first time) and takes the next full batch; null at the end.</summary>
    public TBatch? Next(TBatch? done)
    {
        if (done is not null)
        {
            _free.Add(done);
        }

        if (_full.TryTake(out var next, Timeout.Infinite))
        {
            return next;
        }

        // The filling thread finished: at the end, or at an error it now surfaces here.
        _filler.GetAwaiter().GetResult();
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _filler.Wait();
        }
        catch (AggregateException)
        {
            // Its error was surfaced by Next, or the reader is abandoning the file for another reason.
        }

        _full.Dispose();
        _free.Dispose();
        _stop.Dispose();
    }

    private void Fill()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var batch = _free.Take(_stop.Token);
                bool more;
                try
                {
                    more = _fill(batch);
                }
                catch
                {
                    // The records before the error still reach the reader, which then stops there.
                    _full.Add(batch, _stop.Token);
                    throw;
                }

                _full.Add(batch, _stop.Token);
                if (!more)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed before the end: the reader stopped reading.
        }
        finally
        {
            _full.CompleteAdding();
        }
    }
}
