using Spectre.Console;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>Draws a use case's progress (<see cref="IProgress{T}"/> of 0 to 1) as a bar on stderr, on terminals only.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> with a bar, or without one when <paramref name="quiet"/>, in CI or when redirected.</summary>
    public static T Run<T>(CliContext cli, string description, bool quiet, Func<IProgress<double>?, T> work)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(work);
        if (quiet || !cli.Interactive)
        {
            return work(null);
        }

        var result = default(T);
        cli.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 1.0);
                result = work(new TaskProgress(task));
                task.Value = 1.0;
            });
        return result!;
    }

    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Min(1.0, value);
    }
}
