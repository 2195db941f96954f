using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Estimates;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class EstimateSettings : CommandSettings
{
    [CommandArgument(0, "<SPEC>")]
    [Description("A YAML spec: kind (training, inference, llm, hidden, tco, envelope) and its inputs. See examples/.")]
    public string Spec { get; init; } = string.Empty;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or markdown.")]
    public string? Format { get; init; }

    [CommandOption("--explain")]
    [Description("Show the inputs, every step of the formula and the prices used.")]
    public bool Explain { get; init; }

    [CommandOption("--config <PATH>")]
    [Description("The config file whose prices: section overrides the catalogue (default: ./modelmeter.yaml when present).")]
    public string? Config { get; init; }

    [CommandOption("--store <PATH>")]
    [Description("The store the estimate is recorded in, for runs --reconcile (default: the config's store).")]
    public string? Store { get; init; }

    [CommandOption("--no-record")]
    [Description("Do not record the estimate in the store.")]
    public bool NoRecord { get; init; }
}

/// <summary><c>modelmeter estimate spec.yaml</c>: prices a training run, an endpoint, an LLM feature or a build-vs-buy decision.</summary>
internal sealed class EstimateCommand(CliContext cli, EstimateUseCase estimate) : Command<EstimateSettings>
{
    public override int Execute(CommandContext context, EstimateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var format = Display.Format(settings.Format, "table", "table", "json", "markdown");
        var result = estimate.Run(new EstimateRequest(settings.Spec, settings.Config) { Record = !settings.NoRecord, StorePath = settings.Store });
        cli.WriteWarnings(result.Warnings);
        switch (format)
        {
            case "json":
                cli.WriteRaw(ModelMeterJson.Serialize(result));
                break;
            case "markdown":
                cli.WriteRaw(EstimateOutput.ToMarkdown(result.Report));
                break;
            default:
                EstimateOutput.WriteTable(cli, result.Report, settings.Explain);
                cli.Out.MarkupLine($"Estimate id [bold]{result.EstimateId}[/]{(result.RecordedIn is null ? "" : " (recorded)")}: tag its runs with modelmeter.estimate_id={result.EstimateId} and compare with runs --reconcile.");
                break;
        }

        return ExitCodes.Ok;
    }
}
