using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Recommendations;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
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

    [CommandOption("--plan <FILE>")]
    [Description("Write the listed findings' actions (id, resource, action, due date, owner) as JSON to FILE for other tools.")]
    public string? Plan { get; init; }

    [CommandOption("--exec")]
    [Description("Run recommendations.exec.command once per action, the action as JSON on stdin, after a confirmation (or --yes); records what ran.")]
    public bool Exec { get; init; }

    [CommandOption("--yes")]
    [Description("With --exec: run without asking (cron, CI).")]
    public bool Yes { get; init; }

    [CommandOption("--history")]
    [Description("Show each recorded finding's estimated against realised saving, from the bill after its action date.")]
    public bool History { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or markdown.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter recommend</c>: what to change, what it is worth a month, and how that was worked out.</summary>
internal sealed class RecommendCommand(CliContext cli, RecommendUseCase recommend, ExecuteActionsUseCase exec, RecommendationHistoryUseCase history) : Command<RecommendSettings>
{
    public override int Execute(CommandContext context, RecommendSettings settings, CancellationToken cancellationToken)
    {
        if (settings.History)
        {
            return History(settings);
        }

        var format = Display.Format(settings.Format, "table", "table", "json", "markdown");
        var outcome = recommend.Evaluate(new RecommendRequest
        {
            Store = settings.StoreOptions, Where = settings.Where, MinSaving = settings.MinSaving, From = settings.From, To = settings.To, Explain = settings.Explain,
            RecordPolicy = settings.Where.Length == 0 && settings.Explain is null, PlanPath = settings.Plan,
        });
        var report = outcome.Report;
        cli.WriteWarnings(report.Warnings);
        if (settings.Plan is not null)
        {
            cli.Error.MarkupLine(Markup.Escape($"wrote {outcome.Plan.Actions.Count} action(s) to {settings.Plan}"));
        }

        if (settings.Exec)
        {
            return Exec(settings, format, outcome, cancellationToken);
        }

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

    /// <summary>Shows the actions, asks (a terminal) or takes --yes, then runs them; exit 1 when one failed.</summary>
    private int Exec(RecommendSettings settings, string format, RecommendationOutcome outcome, CancellationToken cancellationToken)
    {
        var confirmed = settings.Yes;
        if (!confirmed && cli.CanPrompt && outcome.Plan.Actions.Count > 0)
        {
            RecommendationWriter.Plan(cli, outcome.Plan, null);
            if (!cli.Out.Confirm($"Run recommendations.exec.command for these {outcome.Plan.Actions.Count} action(s)?", defaultValue: false))
            {
                cli.Error.MarkupLine("Nothing ran.");
                return ExitCodes.Ok;
            }

            confirmed = true;
        }

        var ran = exec.Run(new ExecuteActionsRequest { Store = settings.StoreOptions, Outcome = outcome, Confirmed = confirmed }, cancellationToken);
        cli.WriteWarnings(ran.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(ran));
        }
        else
        {
            RecommendationWriter.Executed(cli, ran);
        }

        return ran.Failed > 0 ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    private int History(RecommendSettings settings)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var shown = history.Run(new RecommendationHistoryRequest { Store = settings.StoreOptions });
        cli.WriteWarnings(shown.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(shown));
        }
        else
        {
            RecommendationWriter.History(cli, shown);
        }

        return ExitCodes.Ok;
    }
}
