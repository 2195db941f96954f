using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Runs;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportMlflowSettings : StoreSettings
{
    [CommandOption("--tracking-uri <URI>")]
    [Description("An MLflow tracking server (http://host:5000), or sqlite:///mlflow.db, file:///path/mlruns.")]
    public string? TrackingUri { get; init; }

    [CommandOption("--path <PATH>")]
    [Description("An mlruns folder (the file store) or an mlflow.db file (the SQLite store).")]
    public string? Path { get; init; }

    [CommandOption("--experiment <NAME>")]
    [Description("Import only this experiment; repeatable. Default: every active experiment.")]
    public string[] Experiments { get; init; } = [];

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary>
/// <c>modelmeter import mlflow</c>: MLflow runs from a tracking server's REST API, an mlruns folder or mlflow.db, with
/// their params, tags and latest metrics. Runs already stored are updated in place.
/// </summary>
internal sealed class ImportMlflowCommand(CliContext cli, ImportMlflowUseCase import) : AsyncCommand<ImportMlflowSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ImportMlflowSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = await import.RunAsync(
            new ImportMlflowRequest
            {
                Store = settings.StoreOptions,
                TrackingUri = settings.TrackingUri,
                Path = settings.Path,
                Experiments = settings.Experiments,
                Token = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_TOKEN"),
                Username = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_USERNAME"),
                Password = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_PASSWORD"),
            },
            cancellationToken).ConfigureAwait(false);
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"The {result.Runs:N0} run(s) of {Markup.Escape(result.Source)} were already imported (import #{result.ImportId}); nothing to do."
            : $"Imported {result.Runs:N0} MLflow run(s) ({result.Nested:N0} nested) from {Markup.Escape(result.Source)} ({result.Format}) as import #{result.ImportId}" +
              (result.Updated > 0 ? $", updating {result.Updated:N0} run(s) already stored" : "") + ".");
        foreach (var experiment in result.Experiments)
        {
            cli.Out.MarkupLine($"  {Markup.Escape(experiment)}");
        }

        return ExitCodes.Ok;
    }
}
