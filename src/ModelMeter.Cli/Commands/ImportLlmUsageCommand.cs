using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Usage;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportLlmUsageSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("An LLM usage log, one JSON object per line: timestamp, provider, model, the provider's usage object, tags.")]
    public string Path { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter import llm-usage</c>: LLM calls priced at the catalogue's per-token prices of their day.</summary>
internal sealed class ImportLlmUsageCommand(CliContext cli, ImportLlmUsageUseCase import) : Command<ImportLlmUsageSettings>
{
    public override int Execute(CommandContext context, ImportLlmUsageSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = import.Run(new ImportLlmUsageRequest { Store = settings.StoreOptions, Path = settings.Path });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"{Markup.Escape(settings.Path)} was already imported (import #{result.ImportId}); nothing to do."
            : $"Imported {result.Calls:N0} LLM call(s) from {Markup.Escape(settings.Path)} (import #{result.ImportId}" +
              (result.Replaced > 0 ? $", replacing {result.Replaced:N0}" : "") + "): " +
              Markup.Escape(string.Join(", ", result.Cost.Select(c => Formatting.Money(c.Value, c.Key) + " " + c.Key))) + ".");
        var table = new Table().AddColumns("Provider", "Model", "Calls", "Input", "Cached", "Cache write", "Output", "Reasoning", "Cost");
        foreach (var m in result.Models)
        {
            table.AddRow(
                Markup.Escape(m.Provider), Markup.Escape(m.Model), Count(m.Calls), Count(m.InputTokens), Count(m.CachedInputTokens),
                Count(m.CacheWriteTokens), Count(m.OutputTokens), Count(m.ReasoningTokens), Markup.Escape(Formatting.Money(m.Cost, m.Currency)));
        }

        cli.Out.Write(table);
        return ExitCodes.Ok;
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
