using System.ComponentModel;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class CatalogSearchSettings : CatalogSettings
{
    [CommandArgument(0, "<TERM>")]
    [Description("Text to find in a key, kind or figures (case-insensitive), e.g. H100, a100, gpt-4o, egress.")]
    public string Term { get; init; } = string.Empty;
}

/// <summary><c>modelmeter catalog search TERM</c>: the entries whose key, kind or figures mention the term.</summary>
public sealed class CatalogSearchCommand(CliContext cli) : Command<CatalogSearchSettings>
{
    public override int Execute(CommandContext context, CatalogSearchSettings settings, CancellationToken cancellationToken) =>
        CatalogListing.Write(cli, settings, settings.Term);
}
