using System.ComponentModel;
using ModelMeter.Application.Attribution;
using ModelMeter.Cli.Attribution;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class AllocateSettings : CostQuerySettings
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

    public override ValidationResult Validate() =>
        Top is <= 0 ? ValidationResult.Error("--top must be a positive number.") : base.Validate();
}

/// <summary>
/// <c>modelmeter allocate</c>: the allocated view. Shared pools are split by the rules of <c>modelmeter.yaml</c>, idle
/// capacity and pools no rule could place stay visible, and the total equals the bill to the cent.
/// </summary>
public sealed class AllocateCommand(CliContext cli) : Command<AllocateSettings>
{
    public override int Execute(CommandContext context, AllocateSettings settings, CancellationToken cancellationToken)
    {
        var query = settings.ToQuery(cli.Clock.GetUtcNow().UtcDateTime);
        var format = settings.OutputFormat;
        var explain = settings.Explain is null ? null : ReportArguments.ParseFilter(settings.Explain);
        var (config, store, _) = StoreOpener.Open(cli, settings);
        using (store)
        {
            var setup = AttributionSetup.From(config, Configuration.ConfigLoader.BaseDirectory(cli, config));
            var conversion = AllocatedReport.Conversion(cli, store, settings.Currency, settings.Rates);
            return AllocatedReport.Write(cli, setup, store, query, format, settings.Top, explain, conversion);
        }
    }
}
