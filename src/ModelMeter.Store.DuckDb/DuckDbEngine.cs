using DuckDB.NET.Data;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// DuckDB's native library, loaded ahead: the first database a process opens waits 25-40 ms for the library (some 50 MB)
/// to load, and a command opens its store, or reads a Parquet file, only once its command line is parsed. Loading it on
/// a thread-pool thread as the process starts, while the command line is parsed on the main thread, takes that wait off
/// the command's path (a 1M-row Parquet import's first DuckDB 25-39 ms -> 9 ms; BENCHMARKS.md, issue 9).
/// </summary>
public static class DuckDbEngine
{
    private static int _started;

    /// <summary>Begins loading the library, once per process. A library that cannot load is reported by the open that needs it.</summary>
    public static void LoadInBackground()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        _ = Task.Run(static () =>
        {
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
        });
    }
}
