using System.ComponentModel;
using ModelMeter.Application.Attribution;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class AllocateSettings : CostQuerySettings
{
    [CommandOption("--explain <TARGET>")]
    [Description("Every amount one target received, with rule, pool, driver value and share: tag:team=nlp.")]
    public string? Explain { get; init; }

    [CommandOption("--top <N>")]
    [Description("With several --by dimensions or --grain: keep the N largest groups; the rest are summed as (other).")]
    public int? Top { get; init; }

    [CommandOption("--currency <CODE>")]
    [Description("Convert every amount to this currency at its charge day's rate (rates from --rates, else from `import rates`).")]
    public string? Currency { get; init; }

    [CommandOption("--rates <FILE>")]
    [Description("Exchange-rate CSV (date,from,to,rate) for --currency.")]
    public string? Rates { get; init; }
}

/// <summary>
/// <c>modelmeter allocate</c>: the allocated view. Shared pools are split by the rules of <c>modelmeter.yaml</c>, idle
/// capacity and pools no rule could place stay visible, and the total equals the bill to the cent.
/// </summary>
internal sealed class AllocateCommand(CliContext cli, AllocationUseCase allocation) : Command<AllocateSettings>
{
    public override int Execute(CommandContext context, AllocateSettings settings, CancellationToken cancellationToken)
    {
        var format = settings.OutputFormat;
        var view = allocation.Run(new AllocationRequest
        {
            Store = settings.StoreOptions,
            Query = settings.QueryText,
            Explain = settings.Explain,
            Top = settings.Top,
            Currency = settings.Currency,
            Rates = settings.Rates,
        });
        AllocationViewWriter.Write(cli, view, format, chart: false);
        return ExitCodes.Ok;
    }
}
