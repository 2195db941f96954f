using Microsoft.Extensions.Time.Testing;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console.Testing;

namespace ModelMeter.Cli.Tests;

/// <summary>Runs <c>modelmeter</c> in-process over test consoles, a fake clock and a temporary working directory.</summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner(DateTimeOffset? now = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "modelmeter-cli-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Clock = new FakeTimeProvider(now ?? new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.Zero));
    }

    public string Directory { get; }

    public FakeTimeProvider Clock { get; }

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public async Task<CliOutput> RunAsync(params string[] args)
    {
        var output = new TestConsole();
        output.Profile.Width = 250;
        var error = new TestConsole();
        error.Profile.Width = 250;
        var code = await ModelMeterApp.RunAsync(args, new CliContext(output, error, Clock, Directory, interactive: false));
        return new CliOutput(code, output.Output, error.Output);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed record CliOutput(int ExitCode, string Out, string Error);
