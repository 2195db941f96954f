using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Usage;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportPrometheusSettings : StoreSettings
{
    [CommandOption("--url <URL>")]
    [Description("The Prometheus server: http://host:9090.")]
    public string Url { get; init; } = "";

    [CommandOption("--preset <NAME>")]
    [Description("dcgm, triton, vllm, kserve, requests, predictions; repeatable. Units are normalised (README: usage metrics).")]
    public string[] Presets { get; init; } = [];

    [CommandOption("--query <NAME=PROMQL>")]
    [Description("A query of your own, stored as metric NAME; repeatable.")]
    public string[] Queries { get; init; } = [];

    [CommandOption("--from <WHEN>")]
    [Description("Start (UTC): 2026-10-01 or 2026-10-01T00:00:00Z.")]
    public string From { get; init; } = "";

    [CommandOption("--to <WHEN>")]
    [Description("End (UTC, exclusive).")]
    public string To { get; init; } = "";

    [CommandOption("--step <STEP>")]
    [Description("The step: 1h (default), 15m, 1d. Counters are integrated over it.")]
    public string Step { get; init; } = "1h";

    [CommandOption("--selector <MATCHERS>")]
    [Description("Label matchers added to every preset query: namespace=\"prod\".")]
    public string? Selector { get; init; }

    [CommandOption("--counter <NAME>")]
    [Description("The counter the requests and predictions presets read (default http_requests_total, predictions_total).")]
    public string? Counter { get; init; }

    [CommandOption("--resource-label <LABEL>")]
    [Description("A label holding the cloud resource (FOCUS ResourceId), stored as resource_id.")]
    public string? ResourceLabel { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter import prometheus</c>: serving and GPU metrics from Prometheus's range queries into the usage samples.</summary>
internal sealed class ImportPrometheusCommand(CliContext cli, ImportPrometheusUseCase import) : AsyncCommand<ImportPrometheusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ImportPrometheusSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = await import.RunAsync(
            new ImportPrometheusRequest
            {
                Store = settings.StoreOptions, Url = settings.Url, Presets = settings.Presets, Queries = settings.Queries, From = settings.From, To = settings.To,
                Step = settings.Step, Selector = settings.Selector, Counter = settings.Counter, ResourceLabel = settings.ResourceLabel,
            },
            cancellationToken).ConfigureAwait(false);
        SeriesOutput.Write(cli, result, format);
        return ExitCodes.Ok;
    }
}

internal sealed class ImportNvidiaSmiSettings : StoreSettings
{
    [CommandArgument(0, "<CSV>")]
    [Description("The output of nvidia-smi --query-gpu=timestamp,index,uuid,utilization.gpu,memory.used --format=csv.")]
    public string Path { get; init; } = "";

    [CommandOption("--resource-id <ID>")]
    [Description("The instance the GPUs are on (its FOCUS ResourceId), stored as resource_id.")]
    public string? ResourceId { get; init; }

    [CommandOption("--utc-offset <OFFSET>")]
    [Description("The host's offset from UTC (nvidia-smi writes local time): +02:00. Default UTC.")]
    public string? UtcOffset { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter import nvidia-smi</c>: GPU utilisation and memory samples for teams without Prometheus.</summary>
internal sealed class ImportNvidiaSmiCommand(CliContext cli, ImportNvidiaSmiUseCase import) : Command<ImportNvidiaSmiSettings>
{
    public override int Execute(CommandContext context, ImportNvidiaSmiSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = import.Run(new ImportNvidiaSmiRequest { Store = settings.StoreOptions, Path = settings.Path, ResourceId = settings.ResourceId, UtcOffset = settings.UtcOffset });
        SeriesOutput.Write(cli, result, format);
        return ExitCodes.Ok;
    }
}

internal static class SeriesOutput
{
    public static void Write(CliContext cli, ImportSeriesResult result, string format)
    {
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"The same samples from {Markup.Escape(result.Source)} were already imported (import #{result.ImportId}); nothing to do."
            : $"Imported {result.Samples:N0} usage sample(s) from {Markup.Escape(result.Source)} as import #{result.ImportId}" +
              (result.Replaced > 0 ? $", replacing {result.Replaced:N0} earlier sample(s)" : "") +
              (result.Skipped > 0 ? $"; {result.Skipped:N0} NaN or missing value(s) left out" : "") + ".");
        foreach (var metric in result.Metrics)
        {
            var name = metric.Split(' ')[0];
            cli.Out.MarkupLine($"  {Markup.Escape(metric)} ({result.Series.GetValueOrDefault(name)} series)");
        }
    }
}
