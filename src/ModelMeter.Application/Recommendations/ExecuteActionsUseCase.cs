using System.Diagnostics;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Recommendations;

namespace ModelMeter.Application.Recommendations;

/// <summary><c>recommend --exec</c>: the plan's actions, and whether a person confirmed running them (or <c>--yes</c>).</summary>
public sealed record ExecuteActionsRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>The run whose plan is executed (<see cref="RecommendUseCase.Evaluate"/>): its findings give each action's baseline.</summary>
    public required RecommendationOutcome Outcome { get; init; }

    /// <summary>Confirmed interactively or by <c>--yes</c>; without it nothing runs.</summary>
    public bool Confirmed { get; init; }
}

/// <summary>What <c>recommend --exec</c> ran: the configured command, one line per action.</summary>
/// <param name="Failed">Actions whose command exited non-zero or was stopped at the timeout.</param>
public sealed record ExecuteActionsReport(string Command, int TimeoutSeconds, IReadOnlyList<ExecutedAction> Actions, int Failed)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One action's run: its exit code (null when stopped at the timeout), how long it took, and the end of its output.</summary>
public sealed record ExecutedAction(string FindingId, string Resource, string Action, DateTime StartedAt, decimal Seconds, int? ExitCode, bool TimedOut, string Output);

/// <summary>
/// Runs the command configured in <c>recommendations.exec.command</c> once per action, the action as JSON on stdin,
/// bounded by <c>recommendations.exec.timeout_seconds</c>, and records in the store what ran, when and its exit code.
/// ModelMeter never calls a cloud API itself: the command does, with the user's own tools and credentials.
/// </summary>
public sealed class ExecuteActionsUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public const int DefaultTimeoutSeconds = 300;

    // The end of what a command printed, kept for the report: enough for an error message, never a whole log.
    private const int OutputTail = 2_000;

    public ExecuteActionsReport Run(ExecuteActionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = stores.LoadConfig(request.Store);
        var command = config.Recommendations.Exec?.Command;
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new UserInputException("--exec needs the command to run per action: set recommendations.exec.command in modelmeter.yaml (it gets each action as JSON on stdin).");
        }

        var timeout = config.Recommendations.Exec?.TimeoutSeconds ?? DefaultTimeoutSeconds;
        if (timeout <= 0)
        {
            throw new UserInputException($"recommendations.exec.timeout_seconds {timeout} must be a positive number of seconds.");
        }

        if (request.Outcome.Plan.Actions.Count == 0)
        {
            return new ExecuteActionsReport(command, timeout, [], 0) { Warnings = ["No actions to run: no finding is listed."] };
        }

        if (!request.Confirmed)
        {
            throw new UserInputException(
                $"--exec would run `{command}` for {request.Outcome.Plan.Actions.Count} action(s) and needs a confirmation: run it in a terminal to confirm, or pass --yes.");
        }

        using var opened = stores.Open(request.Store, config, StoreAccess.Write, "recommend --exec records what it ran in it");
        var folder = stores.Configs.BaseDirectory(config);
        var done = new List<ExecutedAction>();
        var findings = request.Outcome.Report.Findings.ToDictionary(f => f.Id, StringComparer.Ordinal);
        foreach (var action in request.Outcome.Plan.Actions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = environment.UtcNow;
            var watch = Stopwatch.StartNew();
            var (exitCode, timedOut, output) = RunOne(command, folder, Contracts.ModelMeterJson.Serialize(action), TimeSpan.FromSeconds(timeout), cancellationToken);
            watch.Stop();
            var finished = environment.UtcNow;
            opened.Store.RecordActionRun(new ActionRun(action.FindingId, action.Resource, action.Action, command, started, finished, exitCode, timedOut));
            if (exitCode == 0 && findings.TryGetValue(action.FindingId, out var finding))
            {
                // Done: --history counts the change from the day it ran.
                RecommendUseCase.RecordFindings(opened.Store, [RecommendUseCase.Record(finding, request.Outcome.Plan.To, FindingActionKind.Executed, DateOnly.FromDateTime(started))]);
            }

            done.Add(new ExecutedAction(action.FindingId, action.Resource, action.Action, started, Math.Round((decimal)watch.Elapsed.TotalSeconds, 3), exitCode, timedOut, output));
        }

        return new ExecuteActionsReport(command, timeout, done, done.Count(a => a.ExitCode != 0));
    }

    private static (int? ExitCode, bool TimedOut, string Output) RunOne(string command, string folder, string json, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh",
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
        info.ArgumentList.Add(command);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserInputException($"recommendations.exec.command `{command}` could not be started: {e.Message}", e);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            process.StandardInput.Write(json);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command did not read its stdin (it exited first): what it did is in its exit code.
        }

        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit();
        }

        var output = (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).TrimEnd();
        return (timedOut ? null : process.ExitCode, timedOut, output.Length > OutputTail ? output[^OutputTail..] : output);
    }
}
