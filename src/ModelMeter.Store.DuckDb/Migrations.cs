using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Forward-only schema migrations. The store records the version it is at; opening a store applies what is newer,
/// each migration in its own transaction. A store newer than this program is refused rather than misread.
/// </summary>
internal static class Migrations
{
    // Each step is the literal SQL it ran when it shipped, frozen: never edit a step, and never build one from the live
    // table definitions (LineItemsTable, TagSets, UsageSamplesTable), which would silently change what old stores get.
    // To change the schema, append a new step (ALTER TABLE ...) and update the live definitions to match; the tests in
    // MigrationTests check both (each step's checksum, and that a migrated store has the columns the code writes).
    internal static readonly IReadOnlyList<string[]> Steps =
    [
        // 1: line items and import provenance; distinct tag sets, the empty one with id 0. (import_ids is unused: ids
        //    are taken from imports so a rolled-back import leaves no gap.)
        [
            "CREATE SEQUENCE import_ids START 1",
            """
            CREATE TABLE imports (
                import_id BIGINT NOT NULL,
                kind VARCHAR NOT NULL,
                imported_at TIMESTAMP NOT NULL,
                row_count BIGINT NOT NULL,
                replaced_rows BIGINT NOT NULL,
                billing_periods VARCHAR[] NOT NULL,
                superseded_by BIGINT
            )
            """,
            "CREATE TABLE import_files (import_id BIGINT NOT NULL, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL, row_count BIGINT NOT NULL)",
            "CREATE TABLE import_totals (import_id BIGINT NOT NULL, currency VARCHAR NOT NULL, billed DECIMAL(38,18) NOT NULL)",
            """
            CREATE TABLE line_items (
                import_id BIGINT NOT NULL,
                BillingAccountId VARCHAR,
                BillingAccountName VARCHAR,
                BillingAccountType VARCHAR,
                SubAccountId VARCHAR,
                SubAccountName VARCHAR,
                SubAccountType VARCHAR,
                BillingPeriodStart TIMESTAMP,
                BillingPeriodEnd TIMESTAMP,
                ChargePeriodStart TIMESTAMP,
                ChargePeriodEnd TIMESTAMP,
                ProviderName VARCHAR,
                PublisherName VARCHAR,
                ServiceProviderName VARCHAR,
                HostProviderName VARCHAR,
                InvoiceIssuerName VARCHAR,
                InvoiceId VARCHAR,
                ServiceName VARCHAR,
                ServiceCategory VARCHAR,
                ServiceSubcategory VARCHAR,
                ResourceId VARCHAR,
                ResourceName VARCHAR,
                ResourceType VARCHAR,
                RegionId VARCHAR,
                RegionName VARCHAR,
                AvailabilityZone VARCHAR,
                SkuId VARCHAR,
                SkuPriceId VARCHAR,
                SkuMeter VARCHAR,
                SkuPriceDetails VARCHAR,
                ChargeCategory VARCHAR,
                ChargeClass VARCHAR,
                ChargeDescription VARCHAR,
                ChargeFrequency VARCHAR,
                PricingCategory VARCHAR,
                BilledCost DECIMAL(38,18),
                EffectiveCost DECIMAL(38,18),
                ListCost DECIMAL(38,18),
                ContractedCost DECIMAL(38,18),
                BillingCurrency VARCHAR,
                ListUnitPrice DECIMAL(38,18),
                ContractedUnitPrice DECIMAL(38,18),
                PricingQuantity DECIMAL(38,18),
                PricingUnit VARCHAR,
                ConsumedQuantity DECIMAL(38,18),
                ConsumedUnit VARCHAR,
                PricingCurrency VARCHAR,
                PricingCurrencyContractedUnitPrice DECIMAL(38,18),
                PricingCurrencyEffectiveCost DECIMAL(38,18),
                PricingCurrencyListUnitPrice DECIMAL(38,18),
                CommitmentDiscountId VARCHAR,
                CommitmentDiscountName VARCHAR,
                CommitmentDiscountCategory VARCHAR,
                CommitmentDiscountType VARCHAR,
                CommitmentDiscountStatus VARCHAR,
                CommitmentDiscountQuantity DECIMAL(38,18),
                CommitmentDiscountUnit VARCHAR,
                CapacityReservationId VARCHAR,
                CapacityReservationStatus VARCHAR,
                AllocatedMethodId VARCHAR,
                AllocatedMethodDetails VARCHAR,
                AllocatedResourceId VARCHAR,
                AllocatedResourceName VARCHAR,
                AllocatedTagsKeys VARCHAR[],
                AllocatedTagsValues VARCHAR[],
                ContractApplied VARCHAR,
                tag_set_id BIGINT,
                x_Keys VARCHAR[],
                x_Values VARCHAR[],
                tag_cost_center VARCHAR,
                tag_team VARCHAR,
                tag_product VARCHAR,
                tag_model VARCHAR,
                tag_environment VARCHAR,
                tag_experiment VARCHAR
            )
            """,
            "CREATE TABLE tag_sets (tag_set_id BIGINT NOT NULL, tag_keys VARCHAR[] NOT NULL, tag_values VARCHAR[] NOT NULL)",
            "INSERT INTO tag_sets VALUES (0, [], [])",
        ],

        // 2: usage samples (allocation drivers from `modelmeter import usage`), one row per day, metric and dimension set;
        //    dated exchange rates (`modelmeter import rates`) for a reporting currency.
        [
            "CREATE TABLE exchange_rates (import_id BIGINT NOT NULL, rate_date DATE NOT NULL, from_currency VARCHAR NOT NULL, to_currency VARCHAR NOT NULL, rate DECIMAL(38,18) NOT NULL)",
            "CREATE TABLE usage_samples (import_id BIGINT NOT NULL, period DATE NOT NULL, metric VARCHAR NOT NULL, value DECIMAL(38,18) NOT NULL, dimension_keys VARCHAR[] NOT NULL, dimension_values VARCHAR[] NOT NULL)",
        ],

        // 3: no schema change; the hierarchy columns (tag_team ...) are recomputed from each line item's tag set by the one
        //    tag-key normaliser (TagPolicy.Default), replacing what an older normaliser wrote at import (see DataSteps).
        [],

        // 4: the mapping onto FOCUS a provider's own export went through (aws-cur/1, gcp-billing/1, azure-cost/1); null for
        //    FOCUS files and for every import made before.
        [
            "ALTER TABLE imports ADD COLUMN mapping VARCHAR",
        ],

        // 5: alert state (each finding delivered once per sink, retried after a failure) and budgets' closed periods.
        [
            """
            CREATE TABLE alert_deliveries (
                finding_key VARCHAR NOT NULL,
                sink VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                payload VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                attempts INTEGER NOT NULL,
                created_at TIMESTAMP NOT NULL,
                last_attempt_at TIMESTAMP,
                sent_at TIMESTAMP,
                last_error VARCHAR,
                claimed_by VARCHAR,
                PRIMARY KEY (finding_key, sink)
            )
            """,
            """
            CREATE TABLE budget_periods (
                budget VARCHAR NOT NULL,
                period VARCHAR NOT NULL,
                period_start DATE NOT NULL,
                period_end DATE NOT NULL,
                time_zone VARCHAR NOT NULL,
                currency VARCHAR NOT NULL,
                amount DECIMAL(38,18) NOT NULL,
                spent DECIMAL(38,18) NOT NULL,
                status VARCHAR NOT NULL,
                recorded_at TIMESTAMP NOT NULL,
                PRIMARY KEY (budget, period)
            )
            """,
        ],

        // 6: usage batches posted to the server (POST /api/v1/usage), with their idempotency keys; their samples are in
        //    usage_samples with import_id 0.
        [
            "CREATE TABLE usage_batches (batch_id BIGINT NOT NULL, idempotency_key VARCHAR, body_sha256 VARCHAR NOT NULL, team VARCHAR, events BIGINT NOT NULL, received_at TIMESTAMP NOT NULL)",
            "CREATE UNIQUE INDEX usage_batches_key ON usage_batches (idempotency_key)",
        ],

        // 7: the ML sources. MLflow runs with their params, tags and latest metrics (values as MLflow's doubles: NaN and
        //    overflow are kept as logged and judged when read); the instant a usage sample was measured (hourly series);
        //    priced LLM calls; business metrics over periods; estimates recorded for reconciliation with runs.
        [
            """
            CREATE TABLE runs (
                import_id BIGINT NOT NULL,
                run_id VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                experiment_id VARCHAR NOT NULL,
                experiment_name VARCHAR NOT NULL,
                run_name VARCHAR,
                status VARCHAR NOT NULL,
                start_time TIMESTAMP,
                end_time TIMESTAMP,
                user_id VARCHAR,
                lifecycle_stage VARCHAR NOT NULL
            )
            """,
            "CREATE TABLE run_params (run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL)",
            "CREATE TABLE run_tags (run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL)",
            "CREATE TABLE run_metrics (run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, value DOUBLE NOT NULL, timestamp_ms BIGINT NOT NULL, step BIGINT NOT NULL)",
            "ALTER TABLE usage_samples ADD COLUMN sample_start TIMESTAMP",
            """
            CREATE TABLE llm_calls (
                import_id BIGINT NOT NULL,
                called_at TIMESTAMP NOT NULL,
                provider VARCHAR NOT NULL,
                model VARCHAR NOT NULL,
                tier VARCHAR NOT NULL,
                input_tokens BIGINT NOT NULL,
                cached_input_tokens BIGINT NOT NULL,
                cache_write_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL,
                reasoning_tokens BIGINT NOT NULL,
                cost DECIMAL(38,18) NOT NULL,
                currency VARCHAR NOT NULL,
                tag_keys VARCHAR[] NOT NULL,
                tag_values VARCHAR[] NOT NULL
            )
            """,
            "CREATE TABLE business_metrics (import_id BIGINT NOT NULL, period_start DATE NOT NULL, period_end DATE NOT NULL, metric VARCHAR NOT NULL, value DECIMAL(38,18) NOT NULL, dimension_keys VARCHAR[] NOT NULL, dimension_values VARCHAR[] NOT NULL)",
            "CREATE TABLE estimates (estimate_id VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL, spec VARCHAR NOT NULL, kind VARCHAR NOT NULL, title VARCHAR NOT NULL, cost DECIMAL(38,18) NOT NULL, currency VARCHAR NOT NULL, hours DECIMAL(38,18))",
        ],

        // 8: the recommendations' idle policy, one row per resource in it.
        [
            "CREATE TABLE idle_policy (resource_id VARCHAR PRIMARY KEY, first_seen_idle DATE NOT NULL, stage VARCHAR NOT NULL, stop_due DATE NOT NULL, updated_on DATE NOT NULL)",
        ],

        // 9: the recommendations' history (findings with their estimate and baseline) and the action runs of --exec.
        [
            "CREATE TABLE recommendation_findings (finding_id VARCHAR PRIMARY KEY, rule VARCHAR NOT NULL, resource_id VARCHAR NOT NULL, currency VARCHAR NOT NULL, estimated_monthly_saving DECIMAL(38,18) NOT NULL, baseline_monthly_cost DECIMAL(38,18) NOT NULL, recorded_on DATE NOT NULL, kind VARCHAR NOT NULL, action_on DATE NOT NULL)",
            "CREATE TABLE recommendation_actions (run_id BIGINT NOT NULL, finding_id VARCHAR NOT NULL, resource_id VARCHAR NOT NULL, action VARCHAR NOT NULL, command VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL, exit_code INTEGER, timed_out BOOLEAN NOT NULL)",
        ],

        // 10: line items split in two tables behind a view of the old name and columns: the per-row facts (charge period,
        //     amounts, quantities) and, once per distinct combination in an import, their descriptors (every other column).
        //     Existing rows are described by the distinct combinations of their import; each row joins exactly one.
        [
            "ALTER TABLE line_items RENAME TO line_items_v9",
            """
            CREATE TABLE line_item_facts (
                import_id BIGINT NOT NULL,
                descriptor_id BIGINT NOT NULL,
                ChargePeriodStart TIMESTAMP,
                ChargePeriodEnd TIMESTAMP,
                BilledCost DECIMAL(38,18),
                EffectiveCost DECIMAL(38,18),
                ListCost DECIMAL(38,18),
                ContractedCost DECIMAL(38,18),
                ListUnitPrice DECIMAL(38,18),
                ContractedUnitPrice DECIMAL(38,18),
                PricingQuantity DECIMAL(38,18),
                ConsumedQuantity DECIMAL(38,18),
                PricingCurrencyContractedUnitPrice DECIMAL(38,18),
                PricingCurrencyEffectiveCost DECIMAL(38,18),
                PricingCurrencyListUnitPrice DECIMAL(38,18),
                CommitmentDiscountQuantity DECIMAL(38,18)
            )
            """,
            """
            CREATE TABLE line_item_descriptors (
                descriptor_id BIGINT NOT NULL,
                import_id BIGINT NOT NULL,
                BillingAccountId VARCHAR,
                BillingAccountName VARCHAR,
                BillingAccountType VARCHAR,
                SubAccountId VARCHAR,
                SubAccountName VARCHAR,
                SubAccountType VARCHAR,
                BillingPeriodStart TIMESTAMP,
                BillingPeriodEnd TIMESTAMP,
                ProviderName VARCHAR,
                PublisherName VARCHAR,
                ServiceProviderName VARCHAR,
                HostProviderName VARCHAR,
                InvoiceIssuerName VARCHAR,
                InvoiceId VARCHAR,
                ServiceName VARCHAR,
                ServiceCategory VARCHAR,
                ServiceSubcategory VARCHAR,
                ResourceId VARCHAR,
                ResourceName VARCHAR,
                ResourceType VARCHAR,
                RegionId VARCHAR,
                RegionName VARCHAR,
                AvailabilityZone VARCHAR,
                SkuId VARCHAR,
                SkuPriceId VARCHAR,
                SkuMeter VARCHAR,
                SkuPriceDetails VARCHAR,
                ChargeCategory VARCHAR,
                ChargeClass VARCHAR,
                ChargeDescription VARCHAR,
                ChargeFrequency VARCHAR,
                PricingCategory VARCHAR,
                BillingCurrency VARCHAR,
                PricingUnit VARCHAR,
                ConsumedUnit VARCHAR,
                PricingCurrency VARCHAR,
                CommitmentDiscountId VARCHAR,
                CommitmentDiscountName VARCHAR,
                CommitmentDiscountCategory VARCHAR,
                CommitmentDiscountType VARCHAR,
                CommitmentDiscountStatus VARCHAR,
                CommitmentDiscountUnit VARCHAR,
                CapacityReservationId VARCHAR,
                CapacityReservationStatus VARCHAR,
                AllocatedMethodId VARCHAR,
                AllocatedMethodDetails VARCHAR,
                AllocatedResourceId VARCHAR,
                AllocatedResourceName VARCHAR,
                AllocatedTagsKeys VARCHAR[],
                AllocatedTagsValues VARCHAR[],
                ContractApplied VARCHAR,
                tag_set_id BIGINT,
                x_Keys VARCHAR[],
                x_Values VARCHAR[],
                tag_cost_center VARCHAR,
                tag_team VARCHAR,
                tag_product VARCHAR,
                tag_model VARCHAR,
                tag_environment VARCHAR,
                tag_experiment VARCHAR
            )
            """,
            """
            INSERT INTO line_item_descriptors
            SELECT row_number() OVER (ORDER BY import_id), *
            FROM (SELECT DISTINCT import_id, BillingAccountId, BillingAccountName, BillingAccountType, SubAccountId, SubAccountName, SubAccountType, BillingPeriodStart, BillingPeriodEnd, ProviderName, PublisherName, ServiceProviderName, HostProviderName, InvoiceIssuerName, InvoiceId, ServiceName, ServiceCategory, ServiceSubcategory, ResourceId, ResourceName, ResourceType, RegionId, RegionName, AvailabilityZone, SkuId, SkuPriceId, SkuMeter, SkuPriceDetails, ChargeCategory, ChargeClass, ChargeDescription, ChargeFrequency, PricingCategory, BillingCurrency, PricingUnit, ConsumedUnit, PricingCurrency, CommitmentDiscountId, CommitmentDiscountName, CommitmentDiscountCategory, CommitmentDiscountType, CommitmentDiscountStatus, CommitmentDiscountUnit, CapacityReservationId, CapacityReservationStatus, AllocatedMethodId, AllocatedMethodDetails, AllocatedResourceId, AllocatedResourceName, AllocatedTagsKeys, AllocatedTagsValues, ContractApplied, tag_set_id, x_Keys, x_Values, tag_cost_center, tag_team, tag_product, tag_model, tag_environment, tag_experiment FROM line_items_v9)
            """,
            """
            INSERT INTO line_item_facts
            SELECT o.import_id, d.descriptor_id, o.ChargePeriodStart, o.ChargePeriodEnd, o.BilledCost, o.EffectiveCost, o.ListCost, o.ContractedCost, o.ListUnitPrice, o.ContractedUnitPrice, o.PricingQuantity, o.ConsumedQuantity, o.PricingCurrencyContractedUnitPrice, o.PricingCurrencyEffectiveCost, o.PricingCurrencyListUnitPrice, o.CommitmentDiscountQuantity
            FROM line_items_v9 AS o JOIN line_item_descriptors AS d ON d.import_id = o.import_id AND d.BillingAccountId IS NOT DISTINCT FROM o.BillingAccountId AND d.BillingAccountName IS NOT DISTINCT FROM o.BillingAccountName AND d.BillingAccountType IS NOT DISTINCT FROM o.BillingAccountType AND d.SubAccountId IS NOT DISTINCT FROM o.SubAccountId AND d.SubAccountName IS NOT DISTINCT FROM o.SubAccountName AND d.SubAccountType IS NOT DISTINCT FROM o.SubAccountType AND d.BillingPeriodStart IS NOT DISTINCT FROM o.BillingPeriodStart AND d.BillingPeriodEnd IS NOT DISTINCT FROM o.BillingPeriodEnd AND d.ProviderName IS NOT DISTINCT FROM o.ProviderName AND d.PublisherName IS NOT DISTINCT FROM o.PublisherName AND d.ServiceProviderName IS NOT DISTINCT FROM o.ServiceProviderName AND d.HostProviderName IS NOT DISTINCT FROM o.HostProviderName AND d.InvoiceIssuerName IS NOT DISTINCT FROM o.InvoiceIssuerName AND d.InvoiceId IS NOT DISTINCT FROM o.InvoiceId AND d.ServiceName IS NOT DISTINCT FROM o.ServiceName AND d.ServiceCategory IS NOT DISTINCT FROM o.ServiceCategory AND d.ServiceSubcategory IS NOT DISTINCT FROM o.ServiceSubcategory AND d.ResourceId IS NOT DISTINCT FROM o.ResourceId AND d.ResourceName IS NOT DISTINCT FROM o.ResourceName AND d.ResourceType IS NOT DISTINCT FROM o.ResourceType AND d.RegionId IS NOT DISTINCT FROM o.RegionId AND d.RegionName IS NOT DISTINCT FROM o.RegionName AND d.AvailabilityZone IS NOT DISTINCT FROM o.AvailabilityZone AND d.SkuId IS NOT DISTINCT FROM o.SkuId AND d.SkuPriceId IS NOT DISTINCT FROM o.SkuPriceId AND d.SkuMeter IS NOT DISTINCT FROM o.SkuMeter AND d.SkuPriceDetails IS NOT DISTINCT FROM o.SkuPriceDetails AND d.ChargeCategory IS NOT DISTINCT FROM o.ChargeCategory AND d.ChargeClass IS NOT DISTINCT FROM o.ChargeClass AND d.ChargeDescription IS NOT DISTINCT FROM o.ChargeDescription AND d.ChargeFrequency IS NOT DISTINCT FROM o.ChargeFrequency AND d.PricingCategory IS NOT DISTINCT FROM o.PricingCategory AND d.BillingCurrency IS NOT DISTINCT FROM o.BillingCurrency AND d.PricingUnit IS NOT DISTINCT FROM o.PricingUnit AND d.ConsumedUnit IS NOT DISTINCT FROM o.ConsumedUnit AND d.PricingCurrency IS NOT DISTINCT FROM o.PricingCurrency AND d.CommitmentDiscountId IS NOT DISTINCT FROM o.CommitmentDiscountId AND d.CommitmentDiscountName IS NOT DISTINCT FROM o.CommitmentDiscountName AND d.CommitmentDiscountCategory IS NOT DISTINCT FROM o.CommitmentDiscountCategory AND d.CommitmentDiscountType IS NOT DISTINCT FROM o.CommitmentDiscountType AND d.CommitmentDiscountStatus IS NOT DISTINCT FROM o.CommitmentDiscountStatus AND d.CommitmentDiscountUnit IS NOT DISTINCT FROM o.CommitmentDiscountUnit AND d.CapacityReservationId IS NOT DISTINCT FROM o.CapacityReservationId AND d.CapacityReservationStatus IS NOT DISTINCT FROM o.CapacityReservationStatus AND d.AllocatedMethodId IS NOT DISTINCT FROM o.AllocatedMethodId AND d.AllocatedMethodDetails IS NOT DISTINCT FROM o.AllocatedMethodDetails AND d.AllocatedResourceId IS NOT DISTINCT FROM o.AllocatedResourceId AND d.AllocatedResourceName IS NOT DISTINCT FROM o.AllocatedResourceName AND d.AllocatedTagsKeys IS NOT DISTINCT FROM o.AllocatedTagsKeys AND d.AllocatedTagsValues IS NOT DISTINCT FROM o.AllocatedTagsValues AND d.ContractApplied IS NOT DISTINCT FROM o.ContractApplied AND d.tag_set_id IS NOT DISTINCT FROM o.tag_set_id AND d.x_Keys IS NOT DISTINCT FROM o.x_Keys AND d.x_Values IS NOT DISTINCT FROM o.x_Values AND d.tag_cost_center IS NOT DISTINCT FROM o.tag_cost_center AND d.tag_team IS NOT DISTINCT FROM o.tag_team AND d.tag_product IS NOT DISTINCT FROM o.tag_product AND d.tag_model IS NOT DISTINCT FROM o.tag_model AND d.tag_environment IS NOT DISTINCT FROM o.tag_environment AND d.tag_experiment IS NOT DISTINCT FROM o.tag_experiment
            """,
            "DROP TABLE line_items_v9",
            """
            CREATE VIEW line_items AS SELECT f.import_id, d.BillingAccountId, d.BillingAccountName, d.BillingAccountType, d.SubAccountId, d.SubAccountName, d.SubAccountType, d.BillingPeriodStart, d.BillingPeriodEnd, f.ChargePeriodStart, f.ChargePeriodEnd, d.ProviderName, d.PublisherName, d.ServiceProviderName, d.HostProviderName, d.InvoiceIssuerName, d.InvoiceId, d.ServiceName, d.ServiceCategory, d.ServiceSubcategory, d.ResourceId, d.ResourceName, d.ResourceType, d.RegionId, d.RegionName, d.AvailabilityZone, d.SkuId, d.SkuPriceId, d.SkuMeter, d.SkuPriceDetails, d.ChargeCategory, d.ChargeClass, d.ChargeDescription, d.ChargeFrequency, d.PricingCategory, f.BilledCost, f.EffectiveCost, f.ListCost, f.ContractedCost, d.BillingCurrency, f.ListUnitPrice, f.ContractedUnitPrice, f.PricingQuantity, d.PricingUnit, f.ConsumedQuantity, d.ConsumedUnit, d.PricingCurrency, f.PricingCurrencyContractedUnitPrice, f.PricingCurrencyEffectiveCost, f.PricingCurrencyListUnitPrice, d.CommitmentDiscountId, d.CommitmentDiscountName, d.CommitmentDiscountCategory, d.CommitmentDiscountType, d.CommitmentDiscountStatus, f.CommitmentDiscountQuantity, d.CommitmentDiscountUnit, d.CapacityReservationId, d.CapacityReservationStatus, d.AllocatedMethodId, d.AllocatedMethodDetails, d.AllocatedResourceId, d.AllocatedResourceName, d.AllocatedTagsKeys, d.AllocatedTagsValues, d.ContractApplied, d.tag_set_id, d.x_Keys, d.x_Values, d.tag_cost_center, d.tag_team, d.tag_product, d.tag_model, d.tag_environment, d.tag_experiment FROM line_item_facts AS f JOIN line_item_descriptors AS d ON d.descriptor_id = f.descriptor_id
            """,
        ],
        // 11: the descriptors split in two (LineItemsTable): what names the resource and the charge stays in
        // line_item_descriptors, the context around it (account, service, SKU, region, pricing, hierarchy) moves to
        // line_item_contexts, each existing descriptor's context numbered as the descriptor was.
        [
            "DROP VIEW line_items",
            "ALTER TABLE line_item_descriptors RENAME TO line_item_descriptors_v10",
            """
            CREATE TABLE line_item_contexts (
                context_id BIGINT NOT NULL,
                import_id BIGINT NOT NULL,
                BillingAccountId VARCHAR,
                BillingAccountName VARCHAR,
                BillingAccountType VARCHAR,
                SubAccountId VARCHAR,
                SubAccountName VARCHAR,
                SubAccountType VARCHAR,
                BillingPeriodStart TIMESTAMP,
                BillingPeriodEnd TIMESTAMP,
                ProviderName VARCHAR,
                PublisherName VARCHAR,
                ServiceProviderName VARCHAR,
                HostProviderName VARCHAR,
                InvoiceIssuerName VARCHAR,
                InvoiceId VARCHAR,
                ServiceName VARCHAR,
                ServiceCategory VARCHAR,
                ServiceSubcategory VARCHAR,
                ResourceType VARCHAR,
                RegionId VARCHAR,
                RegionName VARCHAR,
                AvailabilityZone VARCHAR,
                SkuId VARCHAR,
                SkuPriceId VARCHAR,
                SkuMeter VARCHAR,
                SkuPriceDetails VARCHAR,
                ChargeCategory VARCHAR,
                ChargeClass VARCHAR,
                ChargeFrequency VARCHAR,
                PricingCategory VARCHAR,
                BillingCurrency VARCHAR,
                PricingUnit VARCHAR,
                ConsumedUnit VARCHAR,
                PricingCurrency VARCHAR,
                CommitmentDiscountId VARCHAR,
                CommitmentDiscountName VARCHAR,
                CommitmentDiscountCategory VARCHAR,
                CommitmentDiscountType VARCHAR,
                CommitmentDiscountStatus VARCHAR,
                CommitmentDiscountUnit VARCHAR,
                CapacityReservationId VARCHAR,
                CapacityReservationStatus VARCHAR,
                AllocatedMethodId VARCHAR,
                AllocatedMethodDetails VARCHAR,
                AllocatedTagsKeys VARCHAR[],
                AllocatedTagsValues VARCHAR[],
                ContractApplied VARCHAR,
                x_Keys VARCHAR[],
                x_Values VARCHAR[],
                tag_cost_center VARCHAR,
                tag_team VARCHAR,
                tag_product VARCHAR,
                tag_model VARCHAR,
                tag_environment VARCHAR,
                tag_experiment VARCHAR
            )
            """,
            """
            INSERT INTO line_item_contexts SELECT descriptor_id, import_id, BillingAccountId, BillingAccountName, BillingAccountType, SubAccountId, SubAccountName, SubAccountType, BillingPeriodStart, BillingPeriodEnd, ProviderName, PublisherName, ServiceProviderName, HostProviderName, InvoiceIssuerName, InvoiceId, ServiceName, ServiceCategory, ServiceSubcategory, ResourceType, RegionId, RegionName, AvailabilityZone, SkuId, SkuPriceId, SkuMeter, SkuPriceDetails, ChargeCategory, ChargeClass, ChargeFrequency, PricingCategory, BillingCurrency, PricingUnit, ConsumedUnit, PricingCurrency, CommitmentDiscountId, CommitmentDiscountName, CommitmentDiscountCategory, CommitmentDiscountType, CommitmentDiscountStatus, CommitmentDiscountUnit, CapacityReservationId, CapacityReservationStatus, AllocatedMethodId, AllocatedMethodDetails, AllocatedTagsKeys, AllocatedTagsValues, ContractApplied, x_Keys, x_Values, tag_cost_center, tag_team, tag_product, tag_model, tag_environment, tag_experiment FROM line_item_descriptors_v10
            """,
            """
            CREATE TABLE line_item_descriptors (
                descriptor_id BIGINT NOT NULL,
                import_id BIGINT NOT NULL,
                context_id BIGINT NOT NULL,
                ResourceId VARCHAR,
                ResourceName VARCHAR,
                ChargeDescription VARCHAR,
                AllocatedResourceId VARCHAR,
                AllocatedResourceName VARCHAR,
                tag_set_id BIGINT
            )
            """,
            """
            INSERT INTO line_item_descriptors SELECT descriptor_id, import_id, descriptor_id, ResourceId, ResourceName, ChargeDescription, AllocatedResourceId, AllocatedResourceName, tag_set_id FROM line_item_descriptors_v10
            """,
            "DROP TABLE line_item_descriptors_v10",
            """
            CREATE VIEW line_items AS SELECT f.import_id, c.BillingAccountId, c.BillingAccountName, c.BillingAccountType, c.SubAccountId, c.SubAccountName, c.SubAccountType, c.BillingPeriodStart, c.BillingPeriodEnd, f.ChargePeriodStart, f.ChargePeriodEnd, c.ProviderName, c.PublisherName, c.ServiceProviderName, c.HostProviderName, c.InvoiceIssuerName, c.InvoiceId, c.ServiceName, c.ServiceCategory, c.ServiceSubcategory, d.ResourceId, d.ResourceName, c.ResourceType, c.RegionId, c.RegionName, c.AvailabilityZone, c.SkuId, c.SkuPriceId, c.SkuMeter, c.SkuPriceDetails, c.ChargeCategory, c.ChargeClass, d.ChargeDescription, c.ChargeFrequency, c.PricingCategory, f.BilledCost, f.EffectiveCost, f.ListCost, f.ContractedCost, c.BillingCurrency, f.ListUnitPrice, f.ContractedUnitPrice, f.PricingQuantity, c.PricingUnit, f.ConsumedQuantity, c.ConsumedUnit, c.PricingCurrency, f.PricingCurrencyContractedUnitPrice, f.PricingCurrencyEffectiveCost, f.PricingCurrencyListUnitPrice, c.CommitmentDiscountId, c.CommitmentDiscountName, c.CommitmentDiscountCategory, c.CommitmentDiscountType, c.CommitmentDiscountStatus, f.CommitmentDiscountQuantity, c.CommitmentDiscountUnit, c.CapacityReservationId, c.CapacityReservationStatus, c.AllocatedMethodId, c.AllocatedMethodDetails, d.AllocatedResourceId, d.AllocatedResourceName, c.AllocatedTagsKeys, c.AllocatedTagsValues, c.ContractApplied, d.tag_set_id, c.x_Keys, c.x_Values, c.tag_cost_center, c.tag_team, c.tag_product, c.tag_model, c.tag_environment, c.tag_experiment FROM line_item_facts AS f JOIN line_item_descriptors AS d ON d.descriptor_id = f.descriptor_id JOIN line_item_contexts AS c ON c.context_id = d.context_id
            """,
        ],

        // 12: a tag set's keys stored once per distinct list of keys (tag_key_lists), each set's values with the id of its
        //     keys (tag_set_values); tag_sets is the view that joins them. A list of keys is the same for every set of a
        //     bill, so writing it with each set was half of the writing of a file with a tag set of its own on every row
        //     (the wide 1M-row bench file: 1.2 s of the tag sets' 2.4 s by hand, issue 9).
        [
            "CREATE TABLE tag_key_lists (keys_id BIGINT NOT NULL, tag_keys VARCHAR[] NOT NULL)",
            "CREATE TABLE tag_set_values (tag_set_id BIGINT NOT NULL, keys_id BIGINT NOT NULL, tag_values VARCHAR[] NOT NULL)",
            "INSERT INTO tag_key_lists SELECT row_number() OVER (ORDER BY first_set) - 1, tag_keys FROM (SELECT tag_keys, min(tag_set_id) AS first_set FROM tag_sets GROUP BY tag_keys)",
            "INSERT INTO tag_set_values SELECT s.tag_set_id, k.keys_id, s.tag_values FROM tag_sets AS s JOIN tag_key_lists AS k ON k.tag_keys = s.tag_keys",
            "DROP TABLE tag_sets",
            "CREATE VIEW tag_sets AS SELECT v.tag_set_id, k.tag_keys, v.tag_values FROM tag_set_values AS v JOIN tag_key_lists AS k ON k.keys_id = v.keys_id",
        ],
    ];

    /// <summary>
    /// Steps that change data with C# after their SQL, by version. Data steps may call today's code (the normaliser),
    /// never today's table definitions: what they compute is the meaning of columns that exist since their step.
    /// </summary>
    private static readonly Dictionary<int, Action<DuckDBConnection>> DataSteps = new()
    {
        [3] = RecomputeHierarchyColumns,
    };

    public static int Latest => Steps.Count;

    /// <summary>Brings the store up to <paramref name="target"/> (default: the latest version).</summary>
    public static void Apply(DuckDBConnection connection, DateTime nowUtc, int? target = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)";
        command.ExecuteNonQuery();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        var current = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new Core.Errors.UserInputException(
                $"The store {connection.DataSource} has schema version {current}, newer than this ModelMeter understands ({Latest}). Upgrade ModelMeter.");
        }

        for (var version = current + 1; version <= (target ?? Latest); version++)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var statement in Steps[version - 1])
            {
                command.CommandText = statement;
                command.ExecuteNonQuery();
            }

            if (DataSteps.TryGetValue(version, out var data))
            {
                data(connection);
            }

            command.CommandText = "INSERT INTO schema_version VALUES ($v, $t)";
            command.Parameters.Clear();
            command.Parameters.Add(new DuckDBParameter("v", version));
            command.Parameters.Add(new DuckDBParameter("t", nowUtc));
            command.ExecuteNonQuery();
            command.Parameters.Clear();
            transaction.Commit();
        }
    }

    /// <summary>
    /// Sets every line item's hierarchy columns to what <see cref="CostHierarchy.ValuesOf"/> reads from its tag set:
    /// the few thousand tag sets are normalised in C#, then one UPDATE joins them to the line items.
    /// </summary>
    internal static void RecomputeHierarchyColumns(DuckDBConnection connection)
    {
        const string Scratch = "hierarchy_recomputed";
        var columns = CostHierarchy.Keys.Select(CostHierarchy.ColumnFor).ToList();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE {Scratch} (tag_set_id BIGINT NOT NULL, {string.Join(", ", columns.Select(c => c + " VARCHAR"))})";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT tag_set_id, tag_keys, tag_values FROM {TagSets.Table}";
        var sets = new List<(long Id, string?[] Values)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var keys = reader.GetFieldValue<List<string>>(1);
                var values = reader.GetFieldValue<List<string?>>(2);
                sets.Add((reader.GetInt64(0), CostHierarchy.ValuesOf(keys.Zip(values))));
            }
        }

        using (var appender = connection.CreateAppender(Scratch))
        {
            foreach (var (id, values) in sets)
            {
                var row = appender.CreateRow().AppendValue(id);
                foreach (var value in values)
                {
                    row = row.AppendValue(value);
                }

                row.EndRow();
            }
        }

        command.CommandText = $"UPDATE {LineItemsTable.Name} SET {string.Join(", ", columns.Select(c => $"{c} = h.{c}"))} " +
                              $"FROM {Scratch} AS h WHERE {LineItemsTable.Name}.{LineItemsTable.TagSetIdColumn} = h.tag_set_id";
        command.ExecuteNonQuery();
        command.CommandText = $"DROP TABLE {Scratch}";
        command.ExecuteNonQuery();
    }

}
