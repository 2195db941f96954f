namespace ModelMeter.Core.Errors;

/// <summary>
/// The store could not answer: a server refused the query or could not be reached (a ClickHouse shard down). Nothing
/// was read or written by the operation that failed, so no figure is ever computed from part of the data. The CLI
/// prints the message without a stack trace and exits with code 3.
/// </summary>
public class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
