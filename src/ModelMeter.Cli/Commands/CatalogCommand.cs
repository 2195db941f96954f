using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Estimates;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal class CatalogSettings : CommandSettings
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
internal sealed class CatalogCommand(CliContext cli, CatalogUseCase catalog) : Command<CatalogSettings>
{
    public override int Execute(CommandContext context, CatalogSettings settings, CancellationToken cancellationToken) =>
        CatalogListingWriter.Write(cli, catalog, settings, term: null);
}

internal static class CatalogListingWriter
{
    public static int Write(CliContext context, CatalogUseCase catalog, CatalogSettings settings, string? term)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var listing = catalog.Run(new CatalogRequest(settings.Kind, term, settings.Config));
        context.WriteWarnings(listing.Warnings);
        if (format == "json")
        {
            context.WriteRaw(ModelMeterJson.Serialize(listing.Entries));
            return ExitCodes.Ok;
        }

        if (listing.Entries.Count == 0)
        {
            context.Out.MarkupLine(term is null ? "The catalogue is empty." : $"No catalogue entry matches '{Markup.Escape(term)}'.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumn("Kind").AddColumn("Key").AddColumn("Figures").AddColumn("Source").AddColumn("As of");
        foreach (var e in listing.Entries)
        {
            var asOf = e.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            table.AddRow(
                Markup.Escape(e.Kind),
                Markup.Escape(e.Key),
                Markup.Escape(e.Summary),
                Markup.Escape(e.Source),
                e.Stale ? $"[yellow]{asOf} (stale)[/]" : asOf);
        }

        context.Out.Write(table);
        context.Out.MarkupLine($"[grey]{listing.Entries.Count} entries. Override or add prices under 'prices:' in modelmeter.yaml.[/]");
        return ExitCodes.Ok;
    }
}
