using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Unit;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class UnitSettings : CostQuerySettings
{
    [CommandOption("--price <PRICE>")]
    [Description("What one call is sold for (bill currency): adds the margin per call.")]
    public string? Price { get; init; }

    [CommandOption("--reconcile")]
    [Description("Show that unit cost x units, summed over the scopes, gives back the bill.")]
    public bool Reconcile { get; init; }
}

/// <summary><c>modelmeter unit</c>: cost per prediction, per 1M tokens, per active user, gross margin, per scope and period.</summary>
internal sealed class UnitCommand(CliContext cli, UnitUseCase unit) : Command<UnitSettings>
{
    public override int Execute(CommandContext context, UnitSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json", "csv");
        var report = unit.Run(new UnitRequest { Store = settings.StoreOptions, Query = settings.QueryText, Price = settings.Price, Reconcile = settings.Reconcile });
        cli.WriteWarnings(report.Warnings);
        switch (format)
        {
            case "json":
                cli.WriteRaw(ModelMeterJson.Serialize(report));
                break;
            case "csv":
                cli.WriteRaw(UnitWriter.Csv(report));
                break;
            default:
                UnitWriter.WriteTable(cli.Out, report);
                break;
        }

        return ExitCodes.Ok;
    }
}
