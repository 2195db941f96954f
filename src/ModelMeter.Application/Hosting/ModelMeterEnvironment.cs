namespace ModelMeter.Application.Hosting;

/// <summary>
/// What every use case gets from its host: the folder relative paths and <c>./modelmeter.yaml</c> are found in, and the
/// clock ("this month", budget periods, stale prices). The CLI passes the process's working folder; a server its own.
/// Nothing in the application reads the process's current directory or the system clock itself.
/// </summary>
public sealed class ModelMeterEnvironment
{
    public ModelMeterEnvironment(string workingDirectory, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        ArgumentNullException.ThrowIfNull(clock);
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        Clock = clock;
    }

    public string WorkingDirectory { get; }

    public TimeProvider Clock { get; }

    /// <summary>Reads an environment variable (a store's password); tests give their own.</summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(UtcNow);

    /// <summary>A path as the user wrote it, made absolute against the working folder.</summary>
    public string ResolvePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(WorkingDirectory, path));
    }
}
