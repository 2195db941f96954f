using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelMeter.Cli.Configuration;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Catalog;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public class CatalogSettings : CommandSettings
{
    [CommandOption("--kind <KIND>")]
    [Description("Only entries of one kind: gpu, instance, llm, storage or transfer.")]
    public string? Kind { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }

    [CommandOption("--config <PATH>")]
    [Description("The config file whose prices: section overrides the catalogue (default: ./modelmeter.yaml when present).")]
    public string? Config { get; init; }
}

/// <summary><c>modelmeter catalog</c>: every price the estimates use, with its source and date.</summary>
public sealed class CatalogCommand(CliContext cli) : Command<CatalogSettings>
{
    public override int Execute(CommandContext context, CatalogSettings settings, CancellationToken cancellationToken) =>
        CatalogListing.Write(cli, settings, term: null);
}

internal static class CatalogListing
{
    private static readonly string[] Kinds = ["gpu", "instance", "llm", "storage", "transfer"];

    public static int Write(CliContext context, CatalogSettings settings, string? term)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        if (settings.Kind is { } k && !Kinds.Contains(k, StringComparer.OrdinalIgnoreCase))
        {
            throw new Core.Errors.UserInputException($"--kind '{k}' is not a catalogue kind; use {string.Join(", ", Kinds)}.");
        }

        var catalog = CatalogLoader.Load(context, settings.Config);
        var entries = (term is null ? catalog.Entries : catalog.Search(term))
            .Where(e => settings.Kind is null || string.Equals(e.Kind, settings.Kind, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var stale = catalog.StaleEntries(context.Clock).ToHashSet();
        CatalogLoader.WarnIfStale(context, catalog, entries);

        if (format == "json")
        {
            var json = entries.Select(e => new
            {
                e.Kind,
                e.Key,
                e.Summary,
                e.Provenance.Source,
                AsOf = e.Provenance.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.Provenance.Origin,
                Stale = stale.Contains(e),
                Entry = (object)e,
            });
            context.WriteRaw(JsonSerializer.Serialize(json, Display.Json) + "\n");
            return ExitCodes.Ok;
        }

        if (entries.Count == 0)
        {
            context.Out.MarkupLine(term is null ? "The catalogue is empty." : $"No catalogue entry matches '{Markup.Escape(term)}'.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumn("Kind").AddColumn("Key").AddColumn("Figures").AddColumn("Source").AddColumn("As of");
        foreach (var e in entries)
        {
            var asOf = e.Provenance.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            table.AddRow(
                Markup.Escape(e.Kind),
                Markup.Escape(e.Key),
                Markup.Escape(e.Summary),
                Markup.Escape(e.Provenance.Source),
                stale.Contains(e) ? $"[yellow]{asOf} (stale)[/]" : asOf);
        }

        context.Out.Write(table);
        context.Out.MarkupLine($"[grey]{entries.Count} entries. Override or add prices under 'prices:' in modelmeter.yaml.[/]");
        return ExitCodes.Ok;
    }
}
