namespace ModelMeter.Core.Errors;

/// <summary>
/// A mistake in what the user gave us (a file, an option, a config value). The CLI prints the message
/// without a stack trace and exits with code 2. Messages say what and where, and what would be valid.
/// </summary>
public class UserInputException : Exception
{
    public UserInputException()
    {
    }

    public UserInputException(string message)
        : base(message)
    {
    }

    public UserInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
