namespace ModelMeter.Import.Demo;

/// <summary>
/// The demo's tag policy, hierarchy and allocation rules: what <c>modelmeter demo</c> uses when the working folder
/// has no <c>modelmeter.yaml</c>, and writes to <c>.modelmeter/demo/modelmeter.yaml</c> for users to copy.
/// </summary>
public static class DemoPolicy
{
    public const string FileName = "modelmeter.yaml";

    public const string Yaml = """
        # ModelMeter demo configuration: the tag policy, cost hierarchy and allocation rules `modelmeter demo` uses.
        # Use it with the demo data:  modelmeter allocate --config .modelmeter/demo/modelmeter.yaml
        # To start your own, copy it next to your project as modelmeter.yaml and set store.path (see the README).
        store:
          path: ../meter.duckdb              # relative to this file: the demo's store

        currency: USD

        tags:
          value_case: lower
          untagged_label: "(untagged)"
          keys:
            team:
              aliases: [owner_team, squad]   # Team, user:team, aws:team need no alias
              allowed: [search, nlp, vision, recsys, platform]
            cost_center:
              aliases: [CostCentre]
              case: upper
            product: {}
            model: {}
            environment:
              aliases: [env, stage]
              allowed: [prod, staging, dev]
              value_aliases: { production: prod, development: dev }
            experiment: {}
            owner:
              case: preserve
          required:
            - scope: all
              keys: [team, cost_center]
            - scope: environment=prod
              keys: [team, cost_center, product, environment]
          inherit:
            accounts:
              "444444444444": { cost_center: CC-900 }   # the sandbox account: nobody tags there

        categories:                          # workload categories beyond the default rules (README: "The workload category")
          rules:
            - category: training             # the shared GPU cluster runs the teams' training jobs
              description: "*covered by Compute Savings Plan*"
            - category: training             # its savings plan
              service: "Savings Plans for AWS Compute usage"
            - category: inference            # the nightly batch scoring and the batch-inference workers
              service: Amazon Elastic Compute Cloud
              sku: "*BoxUsage:g5.2xlarge|*BoxUsage:g5.xlarge"

        hierarchy:
          levels: [cost_center, team, product, model, environment, experiment]

        allocation:
          grain: day
          rules:
            # The shared GPU cluster (4 x g5.12xlarge = 16 GPUs) is split by measured GPU-hours per team from the
            # job log (`modelmeter import usage`); the hours nobody used are an (idle) line.
            - name: gpu-cluster
              pool: { tags: { product: shared-gpu-cluster } }
              target: team
              method: usage
              driver: { metric: gpu_hours, where: { cluster: gpu-cluster } }
              idle: { capacity_per_day: 384, mode: line }   # 4 nodes x 4 GPUs x 24 h

            # The platform team's other services (feature store, datasets, monitoring) serve the product teams:
            # each pays in proportion to its own direct cost.
            - name: platform-services
              pool: { tags: { team: platform } }
              target: team
              method: proportional
              targets: [search, nlp, vision, recsys]

        # Budgets nest: a child's scope adds to its parent's, so its spend counts toward it (`modelmeter budget status`).
        budgets:
          # The demo's budgets are cloud budgets: its costs outside the bill (people, labelling, tooling: provider
          # internal, see `tco`) are planned spend, so a budget's children inherit this condition from acme-ml.
          - name: acme-ml
            scope: ["ProviderName!=internal"]  # the whole cloud bill
            amount: 60000
            owner: finops@acme.example
            sinks: [console]
          - name: cc-100
            parent: acme-ml
            scope: ["tag:cost_center=CC-100"]
            amount: 26000
            owner: head-of-ml@acme.example
            sinks: [console]
          - name: search
            parent: cc-100
            scope: ["tag:team=search"]
            amount: 9500
            owner: search-lead@acme.example
            sinks: [console]
            on_exceed:
              fail_check: true                 # `check --budget-name search` fails while it is exceeded
          - name: nlp
            parent: cc-100
            scope: ["tag:team=nlp"]
            amount: 14000
            thresholds: { actual: [80, 100], forecast: [100, 120] }
            owner: nlp-lead@acme.example
            sinks: [console]
          - name: platform
            parent: acme-ml
            scope: ["tag:team=platform"]
            amount: 28500
            owner: platform-lead@acme.example
            sinks: [console]
          - name: vision-quarter
            scope: ["ProviderName!=internal", "tag:team=vision"]
            period: quarter
            time_zone: Europe/Berlin
            amount: 16000
            owner: vision-lead@acme.example
            sinks: [console]

        alerts:
          sinks:
            - name: console
              kind: stdout                     # add webhook, slack or alertmanager sinks here (see the README)

        anomalies:
          by: tag:team
          where: ["ProviderName!=internal"]    # cloud spend: salaries and licences are planned, not anomalies
          min_impact: 100
          last: 7d
          sinks: [console]

        # Named KPIs (`modelmeter kpi --config .modelmeter/demo/modelmeter.yaml --tree`), over the demo's bill, serving
        # usage, business metrics and MLflow runs.
        kpis:
          reduce_serving_cost:
            description: Serve the same traffic for less.
          ranker_cost_per_1k_predictions:
            parent: reduce_serving_cost
            formula: cost(tag:model=ranker-v3, tag:environment=prod) / usage(predictions, model=ranker-v3) * 1000
            target: 0.12
            direction: below
            unit: USD
          reco_cost_per_1k_predictions:
            parent: reduce_serving_cost
            formula: cost(tag:model=reco-twotower, tag:environment=prod) / usage(predictions, model=reco-twotower) * 1000
            target: 0.12
            direction: below
            unit: USD
          gpu_utilisation_serving:
            parent: reduce_serving_cost
            formula: mean(gpu_utilization_percent, environment=prod)
            target: 70
            direction: above
            unit: "%"
          assistant_cost_per_active_user:
            formula: cost(tag:model=assistant-rag) / business(active_users, model=assistant-rag)
            target: 1.0
            direction: below
            unit: USD
          ranker_training_cost_per_ndcg_point:
            description: Training cost of the month per point of NDCG@10 of its last weekly run.
            formula: cost(tag:experiment=exp-ranker-weekly) / (run_metric(ranker-weekly, ndcg_at_10) * 100)
            unit: USD
          month_over_month_cost_change:
            formula: cost() / previous(cost()) - 1
            target: 0.5
            direction: below

        """;
}
