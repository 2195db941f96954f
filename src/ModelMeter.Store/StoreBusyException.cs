using ModelMeter.Core.Errors;

namespace ModelMeter.Store;

/// <summary>The store is held by another process (DuckDB lets one process write a file at a time): try again later.</summary>
public sealed class StoreBusyException : UserInputException
{
    public StoreBusyException()
    {
    }

    public StoreBusyException(string message)
        : base(message)
    {
    }

    public StoreBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
