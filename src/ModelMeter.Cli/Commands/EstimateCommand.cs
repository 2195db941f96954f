using System.ComponentModel;
using ModelMeter.Cli.Configuration;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class EstimateSettings : CommandSettings
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
}

/// <summary><c>modelmeter estimate spec.yaml</c>: prices a training run, an endpoint, an LLM feature or a build-vs-buy decision.</summary>
public sealed class EstimateCommand(CliContext cli) : Command<EstimateSettings>
{
    public override int Execute(CommandContext context, EstimateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var format = Display.Format(settings.Format, "table", "table", "json", "markdown");
        var catalog = CatalogLoader.Load(cli, settings.Config);
        var report = EstimateRunner.Run(SpecFiles.Read(cli, settings.Spec), catalog);
        CatalogLoader.WarnIfStale(cli, catalog, report.PricesUsed);
        switch (format)
        {
            case "json":
                cli.WriteRaw(EstimateOutput.ToJson(report));
                break;
            case "markdown":
                cli.WriteRaw(EstimateOutput.ToMarkdown(report));
                break;
            default:
                EstimateOutput.WriteTable(cli, report, settings.Explain);
                break;
        }

        return ExitCodes.Ok;
    }
}

/// <summary>Reads spec files for the commands that take them; file I/O stays in the CLI, parsing in Core.</summary>
internal static class SpecFiles
{
    public static EstimateSpec Read(CliContext context, string path)
    {
        var full = context.ResolvePath(path);
        if (!File.Exists(full))
        {
            throw new UserInputException($"Spec file '{path}' does not exist.");
        }

        return EstimateSpec.Parse(File.ReadAllText(full), path);
    }
}
