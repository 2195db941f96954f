using ModelMeter.Application.Configuration;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;

namespace ModelMeter.Application.Imports;

/// <summary>An <c>init</c>: where the config goes (default <c>./modelmeter.yaml</c>) and, optionally, the store.</summary>
public sealed record InitRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;
}

/// <summary>
/// Prepares a folder for imports: writes a commented <c>modelmeter.yaml</c> (an existing one is left alone) and
/// creates the empty store it names.
/// </summary>
public sealed class InitUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    /// <summary>The config <c>init</c> writes: every section optional, each field explained in the README.</summary>
    public const string Template = """
        # ModelMeter configuration. Every section is optional; see the README for each field.
        store:
          kind: duckdb                      # the embedded store: one file, no server
          path: .modelmeter/meter.duckdb    # relative to this file; --store overrides it
        currency: USD                       # ISO 4217: the currency estimates and budgets use
        tags:
          required:                         # the tag keys every cost must carry; `modelmeter tags` reports the share that does
            - scope: all                    # all costs (or a scope such as environment=prod)
              keys: [team]                  # add keys (model, environment, cost_center ...) or delete this section
        # prices:                           # overrides and additions to the price catalogue (docs/cost-models.md)
        #   source: "our negotiated rate card"
        #   as_of: 2026-10-01
        #   instances:
        #     - key: p5.48xlarge
        #       on_demand: 41.28

        """;

    public InitResult Run(InitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var configPath = environment.ResolvePath(request.Store.Config ?? ConfigLocator.FileName);
        var written = !File.Exists(configPath);
        if (written)
        {
            File.WriteAllText(configPath, Template);
        }

        // The store the config (new or kept) names, unless --store names another.
        using var opened = stores.Open(request.Store with { Config = configPath }, StoreAccess.Write);
        return new InitResult(configPath, written ? ConfigOutcome.Written : ConfigOutcome.Kept, opened.Location.ToString(), opened.Created);
    }
}
