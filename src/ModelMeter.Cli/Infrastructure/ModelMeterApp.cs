using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application;
using ModelMeter.Application.Hosting;
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
        var services = new ServiceCollection()
            .AddModelMeter(new ModelMeterEnvironment(context.WorkingDirectory, context.Clock))
            .AddSingleton(context);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("modelmeter");
            config.SetApplicationVersion(typeof(ModelMeterApp).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
            config.Settings.Console = context.Out;
            config.Settings.ExceptionHandler = (exception, _) => HandleException(exception, context);
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
        });
        config.AddCommand<ReportCommand>("report")
            .WithDescription("The cost explorer: group, filter and chart costs.")
            .WithExample("report", "--by", "tag:team,ServiceCategory", "--month", "2026-10")
            .WithExample("report", "--by", "tag:model", "--where", "tag:environment=prod", "--grain", "day", "--chart");
        config.AddCommand<TagsCommand>("tags")
            .WithDescription("Tag compliance under the tag policy: share of cost fully tagged, per key, largest untagged resources.")
            .WithExample("tags", "--month", "2026-10")
            .WithExample("tags", "--fail-under", "95");
        config.AddCommand<AllocateCommand>("allocate")
            .WithDescription("The allocated view: shared and idle cost split by the allocation rules; --explain shows how.")
            .WithExample("allocate", "--month", "2026-10")
            .WithExample("allocate", "--explain", "tag:team=nlp");
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
        config.AddCommand<CheckCommand>("check")
            .WithDescription("CI cost gate: exit 1 when the estimated cost is over budget (or what --scope has left of it this period) or grows more than --max-increase.")
            .WithExample("check", "examples/training-7b.yaml", "--budget", "50000")
            .WithExample("check", "examples/training-7b.yaml", "--budget", "50000", "--scope", "tag:team=search", "--period", "quarter");
    }

    private static int HandleException(Exception exception, CliContext context)
    {
        switch (exception)
        {
            case UserInputException or CommandParseException or CommandRuntimeException:
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
                return ExitCodes.BadInput;
            case StoreUnavailableException:
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
                return ExitCodes.StoreFailed;
            case OperationCanceledException:
                context.Error.MarkupLine("[yellow]cancelled[/]: nothing was written.");
                return ExitCodes.Cancelled;
            default:
                context.Error.WriteException(exception, ExceptionFormats.ShortenEverything);
                return ExitCodes.StoreFailed;
        }
    }
}
