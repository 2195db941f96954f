using System.ComponentModel;
using ModelMeter.Application.Hosting;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>Options every command that touches the store shares.</summary>
internal class StoreSettings : CommandSettings
{
    [CommandOption("--store <PATH>")]
    [Description("The DuckDB store file (default: modelmeter.yaml's store.path, else .modelmeter/meter.duckdb).")]
    public string? Store { get; init; }

    [CommandOption("--config <PATH>")]
    [Description("The config file (default: ./modelmeter.yaml when present).")]
    public string? Config { get; init; }

    /// <summary>The store and config these options name, as every use case takes them.</summary>
    public StoreOptions StoreOptions => new(Store, Config);
}
