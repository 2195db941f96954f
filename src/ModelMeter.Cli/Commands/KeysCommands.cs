using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Access;
using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal class KeysSettings : StoreSettings
{
    [CommandOption("--keys <PATH>")]
    [Description("The API key file (default keys.json beside the store).")]
    public string? Keys { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }

    public KeysRequest Request => new() { Store = StoreOptions, Keys = Keys };
}

internal sealed class KeysCreateSettings : KeysSettings
{
    [CommandOption("--team <TEAM>")]
    [Description("The one team the key reads and writes (default: every team).")]
    public string? Team { get; init; }

    [CommandOption("--role <ROLE>")]
    [Description("viewer (default: reads), writer (reads and posts usage) or admin (everything, every team).")]
    public string? Role { get; init; }

    [CommandOption("--note <TEXT>")]
    [Description("What the key is for (shown by keys list).")]
    public string? Note { get; init; }
}

internal sealed class KeysRevokeSettings : KeysSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The key's id, as keys list shows it.")]
    public string Id { get; init; } = "";
}

/// <summary><c>modelmeter keys create</c>: a new API key, shown once.</summary>
internal sealed class KeysCreateCommand(CliContext cli, KeysUseCase keys) : Command<KeysCreateSettings>
{
    public override int Execute(CommandContext context, KeysCreateSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var created = keys.Create(settings.Request, settings.Team, settings.Role, settings.Note);
        if (format == OutputFormat.Json)
        {
            cli.WriteRaw(ModelMeterJson.Serialize(created));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine($"Created key [blue]{created.Record.Id}[/] ({created.Record.Role}, {Markup.Escape(created.Record.Team is { } team ? "team " + team : "every team")}) in {Markup.Escape(created.File)}.");
        cli.Out.MarkupLine("It is shown this once; send it as [blue]Authorization: Bearer KEY[/]:");
        cli.WriteRaw(created.Key + "\n");
        return ExitCodes.Ok;
    }
}

/// <summary><c>modelmeter keys list</c>: every key's id, team, role and state (never the keys).</summary>
internal sealed class KeysListCommand(CliContext cli, KeysUseCase keys) : Command<KeysSettings>
{
    public override int Execute(CommandContext context, KeysSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var list = keys.List(settings.Request);
        if (format == OutputFormat.Json)
        {
            cli.WriteRaw(ModelMeterJson.Serialize(list));
            return ExitCodes.Ok;
        }

        if (list.Keys.Count == 0)
        {
            cli.Out.MarkupLine("No API keys yet. Create one with [blue]modelmeter keys create --team nlp --role viewer[/].");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Id").AddColumn("Team").AddColumn("Role").AddColumn("Created (UTC)").AddColumn("Note").AddColumn("State");
        foreach (var key in list.Keys)
        {
            table.AddRow(
                key.Id,
                Markup.Escape(key.Team ?? "(every team)"),
                key.Role,
                key.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Markup.Escape(key.Note ?? ""),
                key.RevokedAt is { } at ? $"revoked {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}" : "live");
        }

        cli.Out.Write(table);
        return ExitCodes.Ok;
    }
}

/// <summary><c>modelmeter keys revoke ID</c>: the key stops working at the server's next request.</summary>
internal sealed class KeysRevokeCommand(CliContext cli, KeysUseCase keys) : Command<KeysRevokeSettings>
{
    public override int Execute(CommandContext context, KeysRevokeSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var revoked = keys.Revoke(settings.Request, settings.Id);
        if (format == OutputFormat.Json)
        {
            cli.WriteRaw(ModelMeterJson.Serialize(revoked));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine($"Revoked key [blue]{revoked.Id}[/] ({Markup.Escape(revoked.Team ?? "every team")}, {revoked.Role}).");
        return ExitCodes.Ok;
    }
}
