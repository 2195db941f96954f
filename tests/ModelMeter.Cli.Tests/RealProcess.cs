using System.Diagnostics;
using System.Text;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// Runs the real <c>modelmeter</c> process (<c>dotnet modelmeter.dll</c>, built beside the tests) for what only a
/// process can show: signals, kill -9, locks held by another process, file permissions, blocking reads.
/// </summary>
internal static class RealProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "modelmeter.dll");

    /// <summary>Runs to the end (or kills it after <paramref name="timeout"/>, which fails the caller's expectations).</summary>
    public static ProcessRun Run(string workingDirectory, TimeSpan timeout, params string[] args) => Run(workingDirectory, timeout, [], args);

    public static ProcessRun Run(string workingDirectory, TimeSpan timeout, string[] prefix, params string[] args)
    {
        using var process = Start(workingDirectory, prefix, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        var exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        return new ProcessRun(exited ? process.ExitCode : -1, output.Result, error.Result, watch.Elapsed, !exited);
    }

    /// <summary>Starts the process with its output redirected (read it, or the process may block on a full pipe).</summary>
    public static Process Start(string workingDirectory, string[] prefix, params string[] args)
    {
        var start = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var word in prefix.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        if (prefix.Length > 0)
        {
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CI"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Sends a POSIX signal (INT for Ctrl-C, KILL for kill -9) to a process.</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Runs a helper command (mkfifo, mount ...) and fails the test when it fails.</summary>
    public static void Tool(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}: {error}");
    }

    /// <summary>
    /// As root every file is writable, so a read-only file or folder is tested by dropping the capabilities that let
    /// root ignore permissions (the process is then held to the owner's bits, as any user is).
    /// </summary>
    public static string[] AsPlainUser =>
        Environment.UserName == "root" ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"] : [];
}

internal sealed record ProcessRun(int ExitCode, string Out, string Err, TimeSpan Elapsed, bool TimedOut)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s{(TimedOut ? " (timed out, killed)" : "")}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}
