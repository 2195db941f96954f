using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Recommendations;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class RecommendSettings : StoreSettings
{
    [CommandOption("--where <CONDITION>")]
    [Description("Only resources matching (repeatable), as report --where: tag:team=search, ServiceName=Amazon SageMaker.")]
    public string[] Where { get; init; } = [];

    [CommandOption("--min-saving <AMOUNT>")]
    [Description("Leave out findings saving less a month (default: recommendations.min_saving, 50).")]
    public decimal? MinSaving { get; init; }

    [CommandOption("--from <DATE>")]
    [Description("First day of the window (UTC), inclusive (default: window_days before --to).")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Last day of the window (UTC), inclusive (default: the last billed day).")]
    public string? To { get; init; }

    [CommandOption("--explain <ID>")]
    [Description("Show one finding's evidence and arithmetic.")]
    public string? Explain { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or markdown.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter recommend</c>: what to change, what it is worth a month, and how that was worked out.</summary>
internal sealed class RecommendCommand(CliContext cli, RecommendUseCase recommend) : Command<RecommendSettings>
{
    public override int Execute(CommandContext context, RecommendSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json", "markdown");
        var report = recommend.Run(new RecommendRequest
        {
            Store = settings.StoreOptions, Where = settings.Where, MinSaving = settings.MinSaving, From = settings.From, To = settings.To, Explain = settings.Explain,
            RecordPolicy = settings.Where.Length == 0 && settings.Explain is null,
        });
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
        }
        else if (format == "markdown")
        {
            cli.WriteRaw(RecommendationWriter.Markdown(report));
        }
        else if (settings.Explain is not null)
        {
            RecommendationWriter.Explain(cli, report);
        }
        else
        {
            RecommendationWriter.Table(cli, report);
        }

        return ExitCodes.Ok;
    }
}
