using Spectre.Console;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>
/// What every command gets from its host: where to write results, where to write errors and progress,
/// the clock, and the working directory. Tests build one over <c>TestConsole</c> and a fake clock.
/// </summary>
internal sealed class CliContext(IAnsiConsole output, IAnsiConsole error, TimeProvider clock, string workingDirectory, bool interactive, bool? canPrompt = null)
{
    public IAnsiConsole Out { get; } = output;

    public IAnsiConsole Error { get; } = error;

    public TimeProvider Clock { get; } = clock;

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>False in CI, in tests and when output is redirected: no progress bars, no colour.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>A person can answer a question: interactive output and stdin a terminal (never in CI or a pipe).</summary>
    public bool CanPrompt { get; } = canPrompt ?? interactive;

    /// <summary>Writes text verbatim (JSON, CSV): never wrapped or interpreted as markup.</summary>
    public void WriteRaw(string text) => Out.Profile.Out.Writer.Write(text);

    /// <summary>A use case's notes, on stderr, one per line.</summary>
    public void WriteWarnings(IEnumerable<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        foreach (var warning in warnings)
        {
            Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }
    }

    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(WorkingDirectory, path));

    /// <param name="workingDirectory">The process's working folder, read once by Program.cs.</param>
    public static CliContext ForProcess(string workingDirectory)
    {
        var redirected = Console.IsOutputRedirected;
        var ci = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
        var output = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected || ci ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            // Tables printed to a file or pipe keep their full width instead of wrapping at 80 columns.
            output.Profile.Width = 200;
        }

        var error = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsErrorRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsErrorRedirected)
        {
            error.Profile.Width = 200;
        }

        return new CliContext(output, error, TimeProvider.System, workingDirectory, interactive: !redirected && !ci, canPrompt: !redirected && !ci && !Console.IsInputRedirected);
    }
}
