using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Cli.Commands;
using ModelMeter.Core.Errors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>Builds the <c>modelmeter</c> command tree. Program.cs and the tests both run it through here.</summary>
internal static class ModelMeterApp
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        CostStoreFactory.Preload();
        args = SpellFrequencyFactor(args);
        var services = new ServiceCollection()
            .AddModelMeter(new ModelMeterEnvironment(context.WorkingDirectory, context.Clock))
            .AddSingleton(context);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("modelmeter");
            config.SetApplicationVersion(typeof(ModelMeterApp).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
            config.Settings.Console = context.Out;
            config.Settings.ExceptionHandler = (exception, _) => HandleException(exception, context, args);
            Configure(config);
        });
        return await app.RunAsync(args, cancellationToken).ConfigureAwait(false);
    }

    private static void Configure(IConfigurator config)
    {
        config.AddCommand<DemoCommand>("demo")
            .WithDescription("Generate a realistic month of ML cloud spend, import it and show what it cost.")
            .WithExample("demo")
            .WithExample("demo", "--seed", "7", "--month", "2026-10");
        config.AddCommand<InitCommand>("init")
            .WithDescription("Write a commented modelmeter.yaml here and create the empty store.");
        config.AddBranch("import", import =>
        {
            import.SetDescription("Import data into the store.");
            import.AddCommand<ImportFocusCommand>("focus")
                .WithDescription("Import FOCUS cost-and-usage exports (CSV, CSV.GZ, Parquet; files or folders).")
                .WithExample("import", "focus", "exports/2026-10/")
                .WithExample("import", "focus", "focus.csv.gz", "--dry-run");
            import.AddCommand<ImportUsageCommand>("usage")
                .WithDescription("Import usage samples (GPU-hours per team, requests per model ...) that drive usage allocation rules.")
                .WithExample("import", "usage", "gpu-usage-2026-10.csv");
            import.AddCommand<ImportRatesCommand>("rates")
                .WithDescription("Import dated exchange rates (date,from,to,rate) for --currency.")
                .WithExample("import", "rates", "ecb-rates-2026.csv");
            import.AddCommand<ImportAwsCurCommand>("aws-cur")
                .WithDescription("Import AWS Cost and Usage Reports (CUR 2.0 or legacy; CSV, CSV.GZ, Parquet; files or an export folder with its manifests), mapped onto FOCUS.")
                .WithExample("import", "aws-cur", "cur/my-report/data/BILLING_PERIOD=2026-10/")
                .WithExample("import", "aws-cur", "my-report-00001.csv.gz", "--dry-run");
            import.AddCommand<ImportGcpBillingCommand>("gcp-billing")
                .WithDescription("Import the Google Cloud billing export (BigQuery CSV, JSON lines or Parquet), mapped onto FOCUS.")
                .WithExample("import", "gcp-billing", "gcp-billing-2026-10.json.gz");
            import.AddCommand<ImportAzureCostCommand>("azure-cost")
                .WithDescription("Import Azure cost exports (actual or amortized; EA, MCA or legacy columns; CSV, CSV.GZ, Parquet), mapped onto FOCUS.")
                .WithExample("import", "azure-cost", "amortized-2026-10.csv");
            import.AddCommand<ImportCostsCommand>("costs")
                .WithDescription("Import costs outside the cloud bill (personnel, data labelling, licences, ...) from a costs CSV, as line items of provider internal.")
                .WithExample("import", "costs", "costs-2026-10.csv")
                .WithExample("import", "costs", "costs-2026-10.csv", "--amortise");
            import.AddCommand<ImportMlflowCommand>("mlflow")
                .WithDescription("Import MLflow runs (params, tags, latest metrics) from a tracking server, an mlruns folder or mlflow.db.")
                .WithExample("import", "mlflow", "--tracking-uri", "http://localhost:5000", "--experiment", "ranker")
                .WithExample("import", "mlflow", "--path", "./mlruns");
            import.AddCommand<ImportPrometheusCommand>("prometheus")
                .WithDescription("Import serving and GPU metrics (requests, predictions, tokens, DCGM utilisation) from Prometheus range queries.")
                .WithExample("import", "prometheus", "--url", "http://localhost:9090", "--preset", "dcgm", "--preset", "triton", "--from", "2026-10-01", "--to", "2026-11-01")
                .WithExample("import", "prometheus", "--url", "http://localhost:9090", "--query", "predictions=sum by (model) (increase(predictions_total[1h]))", "--from", "2026-10-01", "--to", "2026-10-02");
            import.AddCommand<ImportNvidiaSmiCommand>("nvidia-smi")
                .WithDescription("Import GPU utilisation and memory from an nvidia-smi --query-gpu CSV.")
                .WithExample("import", "nvidia-smi", "gpu-0.csv", "--resource-id", "i-0a1b2c3d4e5f60004");
            import.AddCommand<ImportLlmUsageCommand>("llm-usage")
                .WithDescription("Import LLM API calls (JSONL with each provider's usage object), priced per token at the catalogue's prices of their day.")
                .WithExample("import", "llm-usage", "llm-calls-2026-10.jsonl");
            import.AddCommand<ImportMetricsCommand>("metrics")
                .WithDescription("Import business metrics (active_users, revenue, predictions_served ...) per period and scope.")
                .WithExample("import", "metrics", "business-2026-10.csv");
        });
        config.AddCommand<ReportCommand>("report")
            .WithDescription("The cost explorer: group, filter and chart costs.")
            .WithExample("report", "--by", "tag:team,ServiceCategory", "--month", "2026-10")
            .WithExample("report", "--by", "tag:model", "--where", "tag:environment=prod", "--grain", "day", "--chart");
        config.AddCommand<TcoCommand>("tco")
            .WithDescription("The full cost per product (or --by team, model ...): cloud training, inference, storage, transfer, personnel, data, tooling, with shares.")
            .WithExample("tco", "--by", "tag:product", "--month", "2026-10");
        config.AddCommand<TagsCommand>("tags")
            .WithDescription("Tag compliance under the tag policy: share of cost fully tagged, per key, largest untagged resources.")
            .WithExample("tags", "--month", "2026-10")
            .WithExample("tags", "--fail-under", "95");
        config.AddCommand<AllocateCommand>("allocate")
            .WithDescription("The allocated view: shared and idle cost split by the allocation rules; --explain shows how.")
            .WithExample("allocate", "--month", "2026-10")
            .WithExample("allocate", "--explain", "tag:team=nlp");
        config.AddCommand<RunsCommand>("runs")
            .WithDescription("MLflow runs with their cost (billed or estimated), roll-ups with nested runs counted once, waste, efficiency and charts.")
            .WithExample("runs", "--by", "experiment")
            .WithExample("runs", "--experiment", "ranker-weekly", "--metric", "ndcg_at_10")
            .WithExample("runs", "--chart", "starts", "--out", "starts.png");
        config.AddCommand<UnitCommand>("unit")
            .WithDescription("Unit economics from the bill: cost per prediction, per 1M tokens, per active user, margin and trend, per scope and period.")
            .WithExample("unit", "--by", "tag:model", "--grain", "week")
            .WithExample("unit", "--by", "tag:product", "--price", "0.01", "--reconcile");
        config.AddCommand<KpiCommand>("kpi")
            .WithDescription("The KPIs of modelmeter.yaml (formulas over cost, usage, business and MLflow metrics) per period, with status against target; --tree for the KPI tree.")
            .WithExample("kpi", "--grain", "week")
            .WithExample("kpi", "--tree");
        config.AddCommand<ImportsCommand>("imports")
            .WithDescription("List what was imported: files, content hashes, billing periods, rows and totals.");
        config.AddCommand<MigrateCommand>("migrate")
            .WithDescription("Copy a DuckDB store to a ClickHouse cluster, with its import history, and check both give the same totals.")
            .WithExample("migrate", "--from", ".modelmeter/meter.duckdb", "--to", "clickhouse://ch-1:8123/modelmeter?cluster=costs");
        config.AddCommand<EstimateCommand>("estimate")
            .WithDescription("Estimate a cost from a YAML spec (training, inference, llm, hidden, tco, envelope), showing the working.")
            .WithExample("estimate", "examples/training-7b.yaml", "--explain");
        config.AddBranch<CatalogSettings>("catalog", catalog =>
        {
            catalog.SetDescription("List the price catalogue (GPUs, instances, LLM APIs, storage, transfer) with sources and dates.");
            catalog.SetDefaultCommand<CatalogCommand>();
            catalog.AddCommand<CatalogSearchCommand>("search")
                .WithDescription("Find catalogue entries by key or figures.")
                .WithExample("catalog", "search", "h100");
        });
        config.AddBranch("what-if", whatIf =>
        {
            whatIf.SetDescription("What-ifs on real traffic, with their working.");
            whatIf.AddCommand<WhatIfLlmCommand>("llm")
                .WithDescription("Reprice a period's imported LLM calls on another catalogue model, by feature and team, with the monthly difference.")
                .WithExample("what-if", "llm", "--as", "gpt-4.1-mini", "--month", "2026-10", "--explain");
            whatIf.AddCommand<WhatIfInstanceCommand>("instance")
                .WithDescription("Reprice a resource's billed hours on another catalogue instance type, with the monthly difference.")
                .WithExample("what-if", "instance", "--resource", "i-0a1b2c3d4e5f60002", "--as", "p4d.24xlarge", "--month", "2026-10", "--explain");
            whatIf.AddCommand<WhatIfFrequencyCommand>("frequency")
                .WithDescription("Scale an experiment's observed run cost by a retraining frequency factor, with the monthly difference.")
                .WithExample("what-if", "frequency", "--experiment", "ranker-weekly", "-x", "2", "--month", "2026-10", "--explain");
        });
        config.AddBranch("budget", budget =>
        {
            budget.SetDescription("Budgets of modelmeter.yaml: add, list, remove, and their status this period.");
            budget.AddCommand<BudgetStatusCommand>("status")
                .WithDescription("Every budget this period as a tree: spent, percent, forecast with its interval, days left, status.")
                .WithExample("budget", "status")
                .WithExample("budget", "status", "search", "--format", "json");
            budget.AddCommand<BudgetListCommand>("list")
                .WithDescription("The configured budgets.");
            budget.AddCommand<BudgetAddCommand>("add")
                .WithDescription("Add a budget to modelmeter.yaml.")
                .WithExample("budget", "add", "search", "--amount", "12000", "--scope", "tag:team=search", "--parent", "cc-100", "--owner", "ana@acme.example");
            budget.AddCommand<BudgetRemoveCommand>("remove")
                .WithDescription("Remove a budget from modelmeter.yaml.");
        });
        config.AddCommand<ForecastCommand>("forecast")
            .WithDescription("Period-end spend per scope, by the forecaster that wins the backtest on your own history.")
            .WithExample("forecast", "--by", "tag:team")
            .WithExample("forecast", "--backtest", "--period", "quarter");
        config.AddCommand<AnomaliesCommand>("anomalies")
            .WithDescription("Days whose cost departed from the expected, with the resources, services and accounts that drove them.")
            .WithExample("anomalies", "--by", "tag:team", "--last", "30d")
            .WithExample("anomalies", "--detector", "wow");
        config.AddCommand<RecommendCommand>("recommend")
            .WithDescription("What to change and what it is worth a month, computed from your bill and metrics, with the arithmetic (--explain ID).")
            .WithExample("recommend")
            .WithExample("recommend", "--where", "tag:team=search", "--min-saving", "100", "--format", "json")
            .WithExample("recommend", "--plan", "plan.json")
            .WithExample("recommend", "--exec", "--yes")
            .WithExample("recommend", "--history");
        config.AddCommand<AlertCommand>("alert")
            .WithDescription("Evaluate budgets and anomalies and send each new finding once (webhook, Slack, Alertmanager, stdout); safe from cron.")
            .WithExample("alert", "--dry-run")
            .WithExample("alert");
        config.AddCommand<UsageCommand>("usage")
            .WithDescription("Stored usage (imported files and events posted to the server) summed per metric and dimensions.")
            .WithExample("usage", "--metric", "predictions", "--by", "model", "--month", "2026-10")
            .WithExample("usage", "--by", "team", "--format", "json");
        config.AddCommand<ServeCommand>("serve")
            .WithDescription("Serve the HTTP API, the usage-event endpoint, the dashboard and /metrics on the store, until Ctrl-C.")
            .WithExample("serve", "--port", "8080")
            .WithExample("serve", "--no-auth");
        config.AddBranch("keys", keys =>
        {
            keys.SetDescription("API keys for modelmeter serve: per team, with a role.");
            keys.AddCommand<KeysCreateCommand>("create")
                .WithDescription("Create an API key (shown once).")
                .WithExample("keys", "create", "--team", "nlp", "--role", "viewer")
                .WithExample("keys", "create", "--team", "recsys", "--role", "writer", "--note", "ranker serving fleet");
            keys.AddCommand<KeysListCommand>("list").WithDescription("List the API keys (ids, teams, roles; never the keys).");
            keys.AddCommand<KeysRevokeCommand>("revoke").WithDescription("Revoke an API key by its id.").WithExample("keys", "revoke", "3f9a0c12be77");
        });
        config.AddCommand<CheckCommand>("check")
            .WithDescription("CI cost gate: exit 1 when the estimated cost is over budget (or what --scope has left of it this period) or grows more than --max-increase.")
            .WithExample("check", "examples/training-7b.yaml", "--budget", "50000")
            .WithExample("check", "examples/training-7b.yaml", "--budget", "50000", "--scope", "tag:team=search", "--period", "quarter")
            .WithExample("check", "examples/training-7b.yaml", "--budget-name", "search");
    }

    /// <summary>
    /// Every error ends here. User mistakes (a bad file, an option value) are exit 2 with the message; Ctrl-C is 130.
    /// Anything else is a bug: a short message, where to report it, and exit 3, never a stack trace on the screen.
    /// </summary>
    /// <summary>
    /// <c>what-if frequency --x 2</c> is how the issue and the README spell the factor, but Spectre refuses a long option of
    /// one letter: <c>--x</c> is read as <c>-x</c> (also accepted, as is <c>--factor</c>) for that command only.
    /// </summary>
    internal static string[] SpellFrequencyFactor(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verb = Array.FindIndex(args, a => !a.StartsWith('-'));
        if (verb < 0 || verb + 1 >= args.Length || args[verb] != "what-if" || args[verb + 1] != "frequency")
        {
            return args;
        }

        return args.Select(a => a == "--x" ? "-x" : a.StartsWith("--x=", StringComparison.Ordinal) ? "-x=" + a[4..] : a).ToArray();
    }

    private static int HandleException(Exception exception, CliContext context, string[] args)
    {
        switch (exception)
        {
            case UserInputException:
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
                return ExitCodes.BadInput;
            case StoreUnavailableException:
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
                return ExitCodes.StoreFailed;
            case CommandParseException or CommandRuntimeException:
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(OptionMessage(exception.Message, args))}");
                return ExitCodes.BadInput;
            case OperationCanceledException:
                context.Error.MarkupLine("[yellow]cancelled[/]: nothing was written; the store is as it was.");
                return ExitCodes.Cancelled;
            default:
                var inner = exception;
                while (inner.InnerException is not null && inner is AggregateException or TargetInvocationException)
                {
                    inner = inner.InnerException;
                }

                if (inner is UserInputException or StoreUnavailableException)
                {
                    return HandleException(inner, context, args);
                }

                if (inner is OperationCanceledException)
                {
                    return HandleException(inner, context, args);
                }

                context.Error.MarkupLine(
                    $"[red]internal error:[/] {Markup.Escape(inner.GetType().Name)}: {Markup.Escape(inner.Message.Split('\n')[0])}");
                context.Error.MarkupLine(
                    "This is a bug in ModelMeter, not in your input. Please report it with the command you ran (and, if you can, the file); the store was left as it was before the failing step.");
                return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// Spectre says "Failed to convert '99999999999' to Nullable`1." for an option value that does not fit its type:
    /// name the option and the range instead.
    /// </summary>
    private static string OptionMessage(string message, string[] args)
    {
        const string Prefix = "Failed to convert '";
        if (!message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return message;
        }

        var value = message[Prefix.Length..message.IndexOf('\'', Prefix.Length)];
        var at = Array.LastIndexOf(args, value);
        var option = at > 0 && args[at - 1].StartsWith('-') ? args[at - 1] : args.FirstOrDefault(a => a.EndsWith("=" + value, StringComparison.Ordinal))?.Split('=')[0];
        var range = message.Contains("Int64", StringComparison.Ordinal)
            ? "a whole number from -9223372036854775808 to 9223372036854775807"
            : message.Contains("Double", StringComparison.Ordinal) || message.Contains("Decimal", StringComparison.Ordinal)
                ? "a number such as 95 or 2.5"
                : "a whole number from 1 to 2147483647";
        return option is null
            ? $"'{value}' is not {range}."
            : $"{option} '{value}' is not {range}.";
    }
}
