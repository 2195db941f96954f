namespace ModelMeter.Import.Focus;

/// <summary>
/// The reading by columns (<see cref="ParquetColumns"/>) of an import's first file, when it is Parquet, begun on a thread
/// of its own before the store is open (<see cref="FocusImporter.ReadAhead"/>): it needs only the file, and opening the
/// store (a new one is created and migrated) and beginning the import's transaction take the main thread meanwhile.
/// <see cref="FocusImporter.Read"/> takes the result where it would have read the file by columns itself, and it is the
/// same result: the same code on the same file, with the same failures (thrown there, in file order, as they would have
/// been). The 1M-row Parquet bench files: the 70-90 ms of opening a new store no longer come before the file's 0.4 s of
/// grouping (BENCHMARKS.md, issue 9).
/// <para>
/// Disposing it stops a reading still going (an import refused before it reads, or a sink that reads row by row) and waits
/// for its thread, so nothing reads the file after the import is over.
/// </para>
/// </summary>
public sealed class FocusReadAhead : IDisposable
{
    private readonly FocusInput? _input;
    private readonly CancellationTokenSource _stop;
    private readonly Task<ColumnarRead>? _read;
    private bool _taken;

    private FocusReadAhead(FocusInput? input, Func<FocusInput, CancellationToken, ColumnarRead>? read, CancellationToken cancellationToken)
    {
        _input = input;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stop = _stop.Token;
        _read = input is null || read is null ? null : Task.Run(() => read(input, stop), stop);
    }

    /// <summary>Nothing read ahead.</summary>
    internal static FocusReadAhead None() => new(null, null, CancellationToken.None);

    /// <summary>Begins <paramref name="read"/> of <paramref name="input"/> on another thread.</summary>
    internal static FocusReadAhead Start(FocusInput input, Func<FocusInput, CancellationToken, ColumnarRead> read, CancellationToken cancellationToken) =>
        new(input, read, cancellationToken);

    /// <summary>
    /// The reading of <paramref name="input"/>, waited for, when it is the file read ahead (once); null otherwise. A reading
    /// that failed throws its exception here, as the same reading on this thread would have. While it waits, this thread
    /// takes the file's fingerprint (<see cref="FocusInput.Sha256"/>), which the import records: on the reading's thread it
    /// came after the reading, 10-25 ms of a 1M-row file.
    /// </summary>
    internal ColumnarRead? Take(FocusInput input)
    {
        if (_read is null || _taken || !ReferenceEquals(input, _input))
        {
            return null;
        }

        _taken = true;
        if (!_read.IsCompleted)
        {
            _ = input.Sha256;
        }

        return _read.GetAwaiter().GetResult();
    }

    /// <summary>Stops the reading, never to be taken: the sink reads every file row by row, and it would only take a core from it.</summary>
    internal void Stop()
    {
        _taken = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _read?.Wait();
        }
        catch (AggregateException)
        {
            // Stopped, or failed: a failure that mattered was thrown by Take; one never taken belongs to a file not read.
        }

        _stop.Dispose();
    }
}

/// <summary>A Parquet file's header and its reading by columns; <paramref name="File"/> is null when it is to be read row by row.</summary>
internal sealed record ColumnarRead(FocusHeader Header, ColumnarFile? File);
