namespace ModelMeter.Cli.Infrastructure;

/// <summary>The exit codes of every command, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check failed: over budget, under a compliance threshold.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input: a file that does not parse, an unknown option value.</summary>
    public const int BadInput = 2;

    /// <summary>The store failed (a ClickHouse shard down or refusing), or an unexpected error: nothing was computed from part of the data.</summary>
    public const int StoreFailed = 3;

    /// <summary>Interrupted (Ctrl-C), as shells report SIGINT: 128 + 2. An import in progress is rolled back.</summary>
    public const int Cancelled = 130;

    /// <summary>A bug in ModelMeter (no input should ever cause it): a short message and a request to report it.</summary>
    public const int InternalError = 3;
}
