using System.ComponentModel;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal class BudgetFormatSettings : StoreSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

internal sealed class BudgetStatusSettings : BudgetFormatSettings
{
    [CommandArgument(0, "[NAME]")]
    [Description("Only this budget and the budgets inside it.")]
    public string? Name { get; init; }

    [CommandOption("--as-of <DATE>")]
    [Description("Evaluate as of the end of this day (YYYY-MM-DD), with only what was known then.")]
    public string? AsOf { get; init; }
}

internal sealed class BudgetAddSettings : StoreSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The budget's name (unique).")]
    public string Name { get; init; } = "";

    [CommandOption("--amount <AMOUNT>")]
    [Description("The budget for one period (required).")]
    public decimal? Amount { get; init; }

    [CommandOption("--scope <CONDITION>")]
    [Description("A condition in the --where language (repeatable, all must hold): tag:team=search. None: everything.")]
    public string[] Scope { get; init; } = [];

    [CommandOption("--period <PERIOD>")]
    [Description("month (default), quarter or year.")]
    public string? Period { get; init; }

    [CommandOption("--time-zone <ZONE>")]
    [Description("An IANA time zone for the period's days (default UTC): Europe/Berlin.")]
    public string? TimeZone { get; init; }

    [CommandOption("--currency <CODE>")]
    [Description("The amount's currency (default: the config's currency).")]
    public string? Currency { get; init; }

    [CommandOption("--parent <NAME>")]
    [Description("The budget this one sits inside: its scope adds to the parent's, its spend counts toward it.")]
    public string? Parent { get; init; }

    [CommandOption("--basis <BASIS>")]
    [Description("direct (default: the bill as report reads it) or allocated (after the allocation rules).")]
    public string? Basis { get; init; }

    [CommandOption("--actual-thresholds <PERCENTS>")]
    [Description("Percentages of the amount that actual spend alerts at (default 50,80,100).")]
    public string? ActualThresholds { get; init; }

    [CommandOption("--forecast-thresholds <PERCENTS>")]
    [Description("Percentages of the amount that the period-end forecast alerts at (default 100).")]
    public string? ForecastThresholds { get; init; }

    [CommandOption("--owner <OWNER>")]
    [Description("Who answers for it (a person or mailbox).")]
    public string? Owner { get; init; }

    [CommandOption("--team <TEAM>")]
    [Description("The team label its alerts carry (default: a tag:team= condition of the scope).")]
    public string? Team { get; init; }

    [CommandOption("--sink <NAME>")]
    [Description("An alerts.sinks name its findings go to (repeatable).")]
    public string[] Sinks { get; init; } = [];
}

internal sealed class BudgetRemoveSettings : StoreSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The budget to remove.")]
    public string Name { get; init; } = "";
}

/// <summary><c>modelmeter budget status</c>: every budget's current period as a tree.</summary>
internal sealed class BudgetStatusCommand(CliContext cli, BudgetsUseCase budgets) : Command<BudgetStatusSettings>
{
    public override int Execute(CommandContext context, BudgetStatusSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var report = budgets.Status(new BudgetStatusRequest { Store = settings.StoreOptions, Name = settings.Name, AsOf = settings.AsOf });
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
        }
        else
        {
            BudgetWriter.WriteStatus(cli, report);
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>modelmeter budget list</c>.</summary>
internal sealed class BudgetListCommand(CliContext cli, BudgetsUseCase budgets) : Command<BudgetFormatSettings>
{
    public override int Execute(CommandContext context, BudgetFormatSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var report = budgets.List(settings.StoreOptions);
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
        }
        else
        {
            BudgetWriter.WriteList(cli, report);
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>modelmeter budget add</c>: writes the budget into modelmeter.yaml.</summary>
internal sealed class BudgetAddCommand(CliContext cli, BudgetsUseCase budgets) : Command<BudgetAddSettings>
{
    public override int Execute(CommandContext context, BudgetAddSettings settings, CancellationToken cancellationToken)
    {
        var result = budgets.Add(new BudgetAddRequest
        {
            Store = settings.StoreOptions, Name = settings.Name, Amount = settings.Amount, Scope = settings.Scope, Period = settings.Period,
            TimeZone = settings.TimeZone, Currency = settings.Currency, Parent = settings.Parent, Basis = settings.Basis,
            ActualThresholds = settings.ActualThresholds, ForecastThresholds = settings.ForecastThresholds, Owner = settings.Owner, Team = settings.Team,
            Sinks = settings.Sinks,
        });
        cli.Out.MarkupLine($"Added budget [bold]{Markup.Escape(result.Budget)}[/] to {Markup.Escape(result.ConfigFile)}{(result.Created ? " (created)" : "")}.");
        return ExitCodes.Ok;
    }
}

/// <summary><c>modelmeter budget remove</c>: deletes the budget from modelmeter.yaml.</summary>
internal sealed class BudgetRemoveCommand(CliContext cli, BudgetsUseCase budgets) : Command<BudgetRemoveSettings>
{
    public override int Execute(CommandContext context, BudgetRemoveSettings settings, CancellationToken cancellationToken)
    {
        var result = budgets.Remove(settings.StoreOptions, settings.Name);
        cli.Out.MarkupLine($"Removed budget [bold]{Markup.Escape(result.Budget)}[/] from {Markup.Escape(result.ConfigFile)}.");
        return ExitCodes.Ok;
    }
}
