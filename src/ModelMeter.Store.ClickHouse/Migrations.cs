namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Forward-only schema migrations, run by the program on every shard of the cluster: each shard records the version it
/// is at in its own <c>schema_version</c>, and opening a store applies what is newer. A shard newer than this program
/// is refused rather than misread. Every statement is idempotent (<c>IF NOT EXISTS</c>), so two processes opening the
/// same new store at once both succeed.
/// </summary>
/// <remarks>
/// Each step is the literal SQL it ran when it shipped, frozen (ClickHouseMigrationTests checks each step's checksum, and
/// that a migrated shard has the columns <see cref="LineItemColumns"/> writes): never edit a step, append one. The
/// placeholders <c>{db}</c> and <c>{cluster}</c> are the store's database and cluster, both checked plain identifiers.
/// <para>
/// Layout: each shard holds MergeTree tables (<c>line_items</c>, <c>usage_samples</c>, ...) with its part of the rows,
/// and a Distributed table over the cluster for each (<c>line_items_all</c>, ...) that fans queries out and merges
/// their partial aggregates; every node has the Distributed tables, so any node can be the one ModelMeter talks to.
/// How an import becomes visible at once on every shard is <see cref="Visibility"/>'s.
/// </para>
/// </remarks>
internal static class Migrations
{
    internal static readonly IReadOnlyList<string[]> Steps =
    [
        // 1: line items, usage samples, exchange rates, tag sets and import provenance on each shard; the Distributed
        //    tables over them; the visibility markers (import_commits) and what each import holds (import_slices,
        //    usage_days), which readers filter by; line_items_visible, the live line items for SQL readers.
        [
            """
            CREATE TABLE IF NOT EXISTS {db}.line_items (
                import_id UInt64,
                load_id UInt64,
                slice_id UInt64,
                BillingAccountId Nullable(String),
                BillingAccountName Nullable(String),
                BillingAccountType Nullable(String),
                SubAccountId Nullable(String),
                SubAccountName Nullable(String),
                SubAccountType Nullable(String),
                BillingPeriodStart DateTime('UTC'),
                BillingPeriodEnd DateTime('UTC'),
                ChargePeriodStart DateTime('UTC'),
                ChargePeriodEnd DateTime('UTC'),
                ProviderName Nullable(String),
                PublisherName Nullable(String),
                ServiceProviderName Nullable(String),
                HostProviderName Nullable(String),
                InvoiceIssuerName Nullable(String),
                InvoiceId Nullable(String),
                ServiceName Nullable(String),
                ServiceCategory Nullable(String),
                ServiceSubcategory Nullable(String),
                ResourceId Nullable(String),
                ResourceName Nullable(String),
                ResourceType Nullable(String),
                RegionId Nullable(String),
                RegionName Nullable(String),
                AvailabilityZone Nullable(String),
                SkuId Nullable(String),
                SkuPriceId Nullable(String),
                SkuMeter Nullable(String),
                SkuPriceDetails Nullable(String),
                ChargeCategory Nullable(String),
                ChargeClass Nullable(String),
                ChargeDescription Nullable(String),
                ChargeFrequency Nullable(String),
                PricingCategory Nullable(String),
                BilledCost Nullable(Decimal(38, 18)),
                EffectiveCost Nullable(Decimal(38, 18)),
                ListCost Nullable(Decimal(38, 18)),
                ContractedCost Nullable(Decimal(38, 18)),
                BillingCurrency String,
                ListUnitPrice Nullable(Decimal(38, 18)),
                ContractedUnitPrice Nullable(Decimal(38, 18)),
                PricingQuantity Nullable(Decimal(38, 18)),
                PricingUnit Nullable(String),
                ConsumedQuantity Nullable(Decimal(38, 18)),
                ConsumedUnit Nullable(String),
                PricingCurrency Nullable(String),
                PricingCurrencyContractedUnitPrice Nullable(Decimal(38, 18)),
                PricingCurrencyEffectiveCost Nullable(Decimal(38, 18)),
                PricingCurrencyListUnitPrice Nullable(Decimal(38, 18)),
                CommitmentDiscountId Nullable(String),
                CommitmentDiscountName Nullable(String),
                CommitmentDiscountCategory Nullable(String),
                CommitmentDiscountType Nullable(String),
                CommitmentDiscountStatus Nullable(String),
                CommitmentDiscountQuantity Nullable(Decimal(38, 18)),
                CommitmentDiscountUnit Nullable(String),
                CapacityReservationId Nullable(String),
                CapacityReservationStatus Nullable(String),
                AllocatedMethodId Nullable(String),
                AllocatedMethodDetails Nullable(String),
                AllocatedResourceId Nullable(String),
                AllocatedResourceName Nullable(String),
                AllocatedTagsKeys Array(String),
                AllocatedTagsValues Array(Nullable(String)),
                ContractApplied Nullable(String),
                tag_set_id UInt64,
                x_Keys Array(String),
                x_Values Array(Nullable(String)),
                tag_cost_center Nullable(String),
                tag_team Nullable(String),
                tag_product Nullable(String),
                tag_model Nullable(String),
                tag_environment Nullable(String),
                tag_experiment Nullable(String)
            ) ENGINE = MergeTree()
            PARTITION BY (toYYYYMM(BillingPeriodStart), import_id)
            ORDER BY (ifNull(ProviderName, ''), ifNull(BillingAccountId, ''), ChargePeriodStart)
            """,
            "CREATE TABLE IF NOT EXISTS {db}.tag_sets (tag_set_id UInt64, tag_keys Array(String), tag_values Array(Nullable(String))) ENGINE = ReplacingMergeTree() ORDER BY tag_set_id",
            """
            CREATE TABLE IF NOT EXISTS {db}.usage_samples (
                import_id UInt64, load_id UInt64, period Date, metric String, value Decimal(38, 18),
                dimension_keys Array(String), dimension_values Array(String)
            ) ENGINE = MergeTree() PARTITION BY (toYYYYMM(period), import_id) ORDER BY (metric, period)
            """,
            "CREATE TABLE IF NOT EXISTS {db}.usage_days (import_id UInt64, load_id UInt64, metric String, day Date, samples UInt64) ENGINE = MergeTree() ORDER BY (metric, day, import_id)",
            """
            CREATE TABLE IF NOT EXISTS {db}.exchange_rates (
                import_id UInt64, load_id UInt64, rate_date Date, from_currency String, to_currency String, rate Decimal(38, 18)
            ) ENGINE = MergeTree() ORDER BY (from_currency, to_currency, rate_date, import_id)
            """,
            """
            CREATE TABLE IF NOT EXISTS {db}.imports (
                import_id UInt64, load_id UInt64, kind String, imported_at DateTime('UTC'), imported_at_us Int64,
                row_count UInt64, replaced_rows UInt64, billing_periods Array(String), superseded_by Nullable(UInt64)
            ) ENGINE = MergeTree() ORDER BY import_id
            """,
            "CREATE TABLE IF NOT EXISTS {db}.import_files (import_id UInt64, load_id UInt64, path String, sha256 String, bytes UInt64, row_count UInt64) ENGINE = MergeTree() ORDER BY (import_id, path)",
            "CREATE TABLE IF NOT EXISTS {db}.import_totals (import_id UInt64, load_id UInt64, currency String, billed Decimal(38, 18)) ENGINE = MergeTree() ORDER BY (import_id, currency)",
            """
            CREATE TABLE IF NOT EXISTS {db}.import_slices (
                import_id UInt64, load_id UInt64, slice_key UInt64, slice_id UInt64, provider Nullable(String),
                billing_account Nullable(String), billing_period_start DateTime('UTC'), row_count UInt64
            ) ENGINE = MergeTree() ORDER BY (slice_key, import_id)
            """,
            "CREATE TABLE IF NOT EXISTS {db}.import_commits (import_id UInt64, load_id UInt64, committed_at DateTime('UTC') DEFAULT now()) ENGINE = MergeTree() ORDER BY import_id",
            "CREATE TABLE IF NOT EXISTS {db}.line_items_all AS {db}.line_items ENGINE = Distributed({cluster}, {db}, line_items, rand())",
            "CREATE TABLE IF NOT EXISTS {db}.tag_sets_all AS {db}.tag_sets ENGINE = Distributed({cluster}, {db}, tag_sets, tag_set_id)",
            "CREATE TABLE IF NOT EXISTS {db}.usage_samples_all AS {db}.usage_samples ENGINE = Distributed({cluster}, {db}, usage_samples, rand())",
            "CREATE TABLE IF NOT EXISTS {db}.usage_days_all AS {db}.usage_days ENGINE = Distributed({cluster}, {db}, usage_days, import_id)",
            "CREATE TABLE IF NOT EXISTS {db}.exchange_rates_all AS {db}.exchange_rates ENGINE = Distributed({cluster}, {db}, exchange_rates, import_id)",
            "CREATE TABLE IF NOT EXISTS {db}.imports_all AS {db}.imports ENGINE = Distributed({cluster}, {db}, imports, import_id)",
            "CREATE TABLE IF NOT EXISTS {db}.import_files_all AS {db}.import_files ENGINE = Distributed({cluster}, {db}, import_files, import_id)",
            "CREATE TABLE IF NOT EXISTS {db}.import_totals_all AS {db}.import_totals ENGINE = Distributed({cluster}, {db}, import_totals, import_id)",
            "CREATE TABLE IF NOT EXISTS {db}.import_slices_all AS {db}.import_slices ENGINE = Distributed({cluster}, {db}, import_slices, import_id)",
            "CREATE TABLE IF NOT EXISTS {db}.import_commits_all AS {db}.import_commits ENGINE = Distributed({cluster}, {db}, import_commits, import_id)",
            """
            CREATE VIEW IF NOT EXISTS {db}.line_items_visible AS SELECT * FROM {db}.line_items_all
            WHERE slice_id GLOBAL IN (
                SELECT argMax(slice_id, import_id) FROM {db}.import_slices_all
                WHERE (import_id, load_id) GLOBAL IN (SELECT import_id, load_id FROM {db}.import_commits_all)
                GROUP BY slice_key)
            """,
        ],

        // 2: what main's store gained beside the bill. The measured instant of usage samples (hourly series); the
        //    mapping a provider's own export went through; LLM calls (many rows: on every shard, aggregated in SQL);
        //    records (alert deliveries, budget periods, estimates, usage batches, MLflow runs, business metrics: few
        //    rows, versioned, on the coordinator shard, see RecordTable). ALTER has no IF NOT EXISTS on 18.16: the
        //    migrator treats "column already exists" as done, so two processes migrating at once both succeed.
        [
            "ALTER TABLE {db}.usage_samples ADD COLUMN sample_start Nullable(DateTime('UTC'))",
            "ALTER TABLE {db}.usage_samples_all ADD COLUMN sample_start Nullable(DateTime('UTC'))",
            "CREATE TABLE IF NOT EXISTS {db}.import_mappings (import_id UInt64, load_id UInt64, mapping String) ENGINE = MergeTree() ORDER BY import_id",
            "CREATE TABLE IF NOT EXISTS {db}.import_mappings_all AS {db}.import_mappings ENGINE = Distributed({cluster}, {db}, import_mappings, import_id)",
            """
            CREATE TABLE IF NOT EXISTS {db}.llm_calls (
                import_id UInt64, load_id UInt64, called_at_us Int64, day Date, provider String, model String, tier String,
                input_tokens Int64, cached_input_tokens Int64, cache_write_tokens Int64, output_tokens Int64, reasoning_tokens Int64,
                call_cost Decimal(38, 18), currency String, tag_keys Array(String), tag_values Array(String)
            ) ENGINE = MergeTree() PARTITION BY (toYYYYMM(day), import_id) ORDER BY (provider, model, called_at_us)
            """,
            "CREATE TABLE IF NOT EXISTS {db}.llm_calls_all AS {db}.llm_calls ENGINE = Distributed({cluster}, {db}, llm_calls, rand())",
            "CREATE TABLE IF NOT EXISTS {db}.records (collection String, key String, version UInt64, import_id UInt64, load_id UInt64, body String) ENGINE = MergeTree() ORDER BY (collection, key, version)",
            "CREATE TABLE IF NOT EXISTS {db}.records_all AS {db}.records ENGINE = Distributed({cluster}, {db}, records, version)",
        ],
    ];

    public static int Latest => Steps.Count;

    /// <summary>A step's statements for a store, with its database and cluster put in.</summary>
    public static IEnumerable<string> Statements(int version, string database, string cluster) =>
        Steps[version - 1].Select(s => s.Replace("{db}", Sql.Identifier(database), StringComparison.Ordinal).Replace("{cluster}", Sql.Identifier(cluster), StringComparison.Ordinal));
}
