using System.ComponentModel;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class InitSettings : StoreSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for what was written.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter init</c>: writes a commented <c>modelmeter.yaml</c> and creates the empty store.</summary>
internal sealed class InitCommand(CliContext cli, InitUseCase init) : Command<InitSettings>
{
    public override int Execute(CommandContext context, InitSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = init.Run(new InitRequest { Store = settings.StoreOptions });
        cli.WriteWarnings(result.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.ConfigOutcome == ConfigOutcome.Kept
            ? $"{Markup.Escape(result.Config)} exists; left as it is."
            : $"Wrote {Markup.Escape(result.Config)}.");
        if (result.CostsTemplateOutcome == ConfigOutcome.Written)
        {
            cli.Out.MarkupLine($"Wrote {Markup.Escape(result.CostsTemplate)} (a template for [blue]modelmeter import costs[/]).");
        }

        cli.Out.MarkupLine($"The store is {Markup.Escape(result.Store)}. Next: [blue]modelmeter import focus YOUR-EXPORT[/] or [blue]modelmeter demo[/].");
        return ExitCodes.Ok;
    }
}
