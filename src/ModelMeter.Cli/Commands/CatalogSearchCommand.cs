using System.ComponentModel;
using ModelMeter.Application.Estimates;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class CatalogSearchSettings : CatalogSettings
{
    [CommandArgument(0, "<TERM>")]
    [Description("Text to find in a key, kind or figures (case-insensitive), e.g. H100, a100, gpt-4o, egress.")]
    public string Term { get; init; } = string.Empty;
}

/// <summary><c>modelmeter catalog search TERM</c>: the entries whose key, kind or figures mention the term.</summary>
internal sealed class CatalogSearchCommand(CliContext cli, CatalogUseCase catalog) : Command<CatalogSearchSettings>
{
    public override int Execute(CommandContext context, CatalogSearchSettings settings, CancellationToken cancellationToken) =>
        CatalogListingWriter.Write(cli, catalog, settings, settings.Term);
}
