using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Forecasting;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ForecastSettings : StoreSettings
{
    [CommandOption("--by <DIMENSIONS>")]
    [Description("One forecast per value of these dimensions: tag:team,ServiceCategory.")]
    public string? By { get; init; }

    [CommandOption("--where <CONDITION>")]
    [Description("Filter (repeatable), as report --where.")]
    public string[] Where { get; init; } = [];

    [CommandOption("--period <PERIOD>")]
    [Description("month (default), quarter or year.")]
    public string? Period { get; init; }

    [CommandOption("--cost <COST>")]
    [Description("effective (default), billed, list or contracted.")]
    public string? Cost { get; init; }

    [CommandOption("--allocated")]
    [Description("Forecast allocated cost (shared pools split by the allocation rules).")]
    public bool Allocated { get; init; }

    [CommandOption("--time-zone <ZONE>")]
    [Description("An IANA time zone for the period's days (default UTC).")]
    public string? TimeZone { get; init; }

    [CommandOption("--as-of <DATE>")]
    [Description("Forecast as of the end of this day (YYYY-MM-DD), with only the history known then.")]
    public string? AsOf { get; init; }

    [CommandOption("--forecaster <NAME>")]
    [Description("straight_line, trailing_28d or seasonal instead of the backtest's winner.")]
    public string? Forecaster { get; init; }

    [CommandOption("--backtest")]
    [Description("Show the backtest: each forecaster's MAPE replaying every past day of complete periods, and every forecaster's figures.")]
    public bool Backtest { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter forecast</c>: period-end spend per scope, by the forecaster that wins on this data.</summary>
internal sealed class ForecastCommand(CliContext cli, ForecastUseCase forecast) : Command<ForecastSettings>
{
    public override int Execute(CommandContext context, ForecastSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var report = forecast.Run(new ForecastRequest
        {
            Store = settings.StoreOptions, By = settings.By, Where = settings.Where, Period = settings.Period, Cost = settings.Cost, Allocated = settings.Allocated,
            TimeZone = settings.TimeZone, AsOf = settings.AsOf, Forecaster = settings.Forecaster,
        });
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
        }
        else
        {
            ForecastWriter.Write(cli, report, settings.Backtest);
        }

        return ExitCodes.Ok;
    }
}
