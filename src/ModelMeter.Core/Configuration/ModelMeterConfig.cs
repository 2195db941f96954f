#pragma warning disable CA2227, CA1002 // YAML binding: YamlDotNet sets the lists.

namespace ModelMeter.Core.Configuration;

/// <summary>
/// The contents of <c>modelmeter.yaml</c>. Every section is optional; defaults give the embedded store
/// in <c>.modelmeter/meter.duckdb</c> and USD. Each field is documented in the README.
/// </summary>
public sealed class ModelMeterConfig
{
    public StoreConfig Store { get; set; } = new();

    /// <summary>The currency reports use when one must be chosen (ISO 4217).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>
    /// Price overrides and additions, in the shipped catalogue's schema (<c>gpus</c>, <c>instances</c>, <c>llm</c>,
    /// <c>storage</c>, <c>transfer</c>, with <c>source</c> and <c>as_of</c>). An entry whose key is already in the
    /// catalogue replaces the fields it sets; a new key adds an entry. Null when the section is absent.
    /// </summary>
    public Catalog.CatalogDocument? Prices { get; set; }

    /// <summary>The tag policy: aliases, allowed values, required keys, inheritance.</summary>
    public TagsConfig Tags { get; set; } = new();

    /// <summary>Workload categories: the tags that give them and rules over service, SKU and usage type.</summary>
    public CategoriesConfig Categories { get; set; } = new();

    /// <summary>The cost hierarchy <c>report --by hierarchy</c> rolls up.</summary>
    public HierarchyConfig Hierarchy { get; set; } = new();

    /// <summary>Shared-cost allocation rules.</summary>
    public AllocationConfig Allocation { get; set; } = new();

    /// <summary>Budgets: scope, period, amount, thresholds, owner, sinks, nesting (see the README's "Budgets").</summary>
    public List<BudgetConfig> Budgets { get; set; } = [];

    /// <summary>Where alerts go.</summary>
    public AlertsConfig Alerts { get; set; } = new();

    /// <summary>Anomaly detection defaults and where its alerts go.</summary>
    public AnomaliesConfig Anomalies { get; set; } = new();
    /// <summary>MLflow runs: resource and instance-type keys, experiment resources, metric directions.</summary>
    public RunsConfig Runs { get; set; } = new();

    /// <summary>Named KPIs: formulas over costs, usage, business metrics and run metrics, with targets.</summary>
    public Dictionary<string, KpiConfig> Kpis { get; set; } = [];

    /// <summary>Thresholds of the recommendation rules (<c>modelmeter recommend</c>), each with a documented default.</summary>
    public RecommendationsConfig Recommendations { get; set; } = new();

    /// <summary>Where the file came from, for error messages; null for defaults.</summary>
    public string? SourcePath { get; set; }
}

public sealed class StoreConfig
{
    public const string DuckDb = "duckdb";

    public const string ClickHouse = "clickhouse";

    public const string DefaultPath = ".modelmeter/meter.duckdb";

    /// <summary><c>duckdb</c> (embedded, the default) or <c>clickhouse</c> (a cluster).</summary>
    public string Kind { get; set; } = DuckDb;

    /// <summary>duckdb: path of the DuckDB file, relative to the config file's folder.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>clickhouse: the HTTP address of the node ModelMeter talks to (<c>http://ch-1:8123</c>).</summary>
    public string? Url { get; set; }

    /// <summary>clickhouse: the <c>remote_servers</c> cluster whose shards hold the data.</summary>
    public string? Cluster { get; set; }

    /// <summary>clickhouse: the database ModelMeter owns on every shard (default <c>modelmeter</c>).</summary>
    public string? Database { get; set; }

    /// <summary>clickhouse: the user (default <c>default</c>).</summary>
    public string? User { get; set; }

    /// <summary>clickhouse: the environment variable holding the password (never the password itself).</summary>
    public string? PasswordEnv { get; set; }

    /// <summary>clickhouse: each shard's HTTP address (HOST:PORT, in remote_servers order), when they share a host.</summary>
    public List<string>? Shards { get; set; }

    public bool IsClickHouse => string.Equals(Kind.Trim(), ClickHouse, StringComparison.OrdinalIgnoreCase);
}
