using ModelMeter.Cli.Infrastructure;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await ModelMeterApp.RunAsync(args, CliContext.ForProcess(), cancellation.Token).ConfigureAwait(false);
