using ModelMeter.Cli.Configuration;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary><c>modelmeter init</c>: writes a commented <c>modelmeter.yaml</c> and creates the empty store.</summary>
public sealed class InitCommand(CliContext cli) : Command<StoreSettings>
{
    internal const string Template = """
        # ModelMeter configuration. Every section is optional; see the README for each field.
        store:
          kind: duckdb                      # the embedded store: one file, no server
          path: .modelmeter/meter.duckdb    # relative to this file; --store overrides it
        currency: USD                       # ISO 4217: the currency estimates and budgets use
        # prices:                           # overrides and additions to the price catalogue (docs/cost-models.md)
        #   source: "our negotiated rate card"
        #   as_of: 2026-10-01
        #   instances:
        #     - key: p5.48xlarge
        #       on_demand: 41.28

        """;

    public override int Execute(CommandContext context, StoreSettings settings, CancellationToken cancellationToken)
    {
        var configPath = cli.ResolvePath(settings.Config ?? ConfigLoader.FileName);
        if (File.Exists(configPath))
        {
            cli.Out.MarkupLine($"{Markup.Escape(configPath)} exists; left as it is.");
        }
        else
        {
            File.WriteAllText(configPath, Template);
            cli.Out.MarkupLine($"Wrote {Markup.Escape(configPath)}.");
        }

        var (_, store, path) = StoreOpener.Open(cli, new StoreSettings { Store = settings.Store, Config = configPath });
        store.Dispose();
        cli.Out.MarkupLine($"The store is {Markup.Escape(path)}. Next: [blue]modelmeter import focus YOUR-EXPORT[/] or [blue]modelmeter demo[/].");
        return ExitCodes.Ok;
    }
}
