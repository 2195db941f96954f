using ModelMeter.Cli.Infrastructure;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
// The one place the process's working folder is read (banned elsewhere): every path resolves against what is passed on.
#pragma warning disable RS0030
var workingDirectory = Environment.CurrentDirectory;
#pragma warning restore RS0030
return await ModelMeterApp.RunAsync(args, CliContext.ForProcess(workingDirectory), cancellation.Token).ConfigureAwait(false);
