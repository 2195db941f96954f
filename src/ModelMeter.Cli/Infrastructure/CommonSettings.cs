using System.ComponentModel;
using ModelMeter.Application.Hosting;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>Options every command that touches the store shares.</summary>
internal class StoreSettings : CommandSettings
{
    [CommandOption("--store <STORE>")]
    [Description("The store: a DuckDB file, or a ClickHouse cluster as clickhouse://HOST:8123/DATABASE?cluster=NAME (default: modelmeter.yaml's store, else .modelmeter/meter.duckdb).")]
    public string? Store { get; init; }

    [CommandOption("--config <PATH>")]
    [Description("The config file (default: ./modelmeter.yaml when present).")]
    public string? Config { get; init; }

    /// <summary>The store and config these options name, as every use case takes them.</summary>
    public StoreOptions StoreOptions => new(Store, Config);
}
