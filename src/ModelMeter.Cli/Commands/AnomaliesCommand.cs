using System.ComponentModel;
using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class AnomaliesSettings : StoreSettings
{
    [CommandOption("--by <DIMENSIONS>")]
    [Description("Watch each value of these dimensions: tag:team (default: anomalies.by, else the whole bill).")]
    public string? By { get; init; }

    [CommandOption("--where <CONDITION>")]
    [Description("Filter (repeatable), as report --where.")]
    public string[] Where { get; init; } = [];

    [CommandOption("--last <SPAN>")]
    [Description("The days to report: 30d (default), 8w.")]
    public string? Last { get; init; }

    [CommandOption("--from <DATE>")]
    [Description("First day (UTC), inclusive.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Day (UTC) to stop before, exclusive.")]
    public string? To { get; init; }

    [CommandOption("--detector <NAME>")]
    [Description("seasonal_mad (default: seasonal baseline, MAD scale, step changes alert once) or wow (over 50% up on the same day last week).")]
    public string? Detector { get; init; }

    [CommandOption("--min-impact <AMOUNT>")]
    [Description("The smallest increase reported, in the scope's currency (default 100).")]
    public decimal? MinImpact { get; init; }

    [CommandOption("--threshold <SCORE>")]
    [Description("The score a day must reach (default 4 for seasonal_mad, 0.5 for wow).")]
    public decimal? Threshold { get; init; }

    [CommandOption("--labels <CSV>")]
    [Description("Known anomalies (start,end,scope,cause): print every detector's precision, recall and F1 against them (default period: all history).")]
    public string? Labels { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter anomalies</c>: days whose cost departed from what was expected, with what drove them.</summary>
internal sealed class AnomaliesCommand(CliContext cli, AnomaliesUseCase anomalies) : Command<AnomaliesSettings>
{
    public override int Execute(CommandContext context, AnomaliesSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var report = anomalies.Run(new AnomaliesRequest
        {
            Store = settings.StoreOptions, By = settings.By, Where = settings.Where, Last = settings.Last, From = settings.From, To = settings.To,
            Detector = settings.Detector, MinImpact = settings.MinImpact, Threshold = settings.Threshold, Labels = settings.Labels,
        });
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
        }
        else
        {
            AnomalyWriter.Write(cli, report);
        }

        return ExitCodes.Ok;
    }
}
