using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using ModelMeter.Application.Attribution;
using ModelMeter.Cli.Configuration;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Reporting;
using ModelMeter.Import.Demo;
using ModelMeter.Import.Focus;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class DemoSettings : StoreSettings
{
    [CommandOption("--seed <SEED>")]
    [Description("Random seed: the same seed gives the same month, row for row (default 42).")]
    public int Seed { get; init; } = 42;

    [CommandOption("--month <YYYY-MM>")]
    [Description("The month to generate (default: last month).")]
    public string? Month { get; init; }

    [CommandOption("--rows <N>")]
    [Description("Add batch-inference workers until the month has about N line items (for benchmarks: 1000000).")]
    public long? Rows { get; init; }

    [CommandOption("--out <PATH>")]
    [Description("Where to write the FOCUS file (default: .modelmeter/demo/focus-<month>.csv beside the store).")]
    public string? Out { get; init; }

    [CommandOption("--generate-only")]
    [Description("Write the FOCUS file without importing it.")]
    public bool GenerateOnly { get; init; }

    public override ValidationResult Validate() =>
        Rows is <= 0 ? ValidationResult.Error("--rows must be positive.") : base.Validate();
}

/// <summary>
/// <c>modelmeter demo</c>: writes a realistic month of ML cloud spend as a FOCUS file, imports it through the same
/// importer a user's export goes through, and shows what it cost.
/// </summary>
public sealed class DemoCommand(CliContext cli) : Command<DemoSettings>
{
    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var now = cli.Clock.GetUtcNow().UtcDateTime;
        var month = settings.Month is null
            ? new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-1)
            : ReportArguments.ParseMonth(settings.Month, "--month");
        // Opening the store first resolves its path and fails early when another process holds it.
        var storePath = "";
        if (!settings.GenerateOnly || settings.Out is null)
        {
            var (_, store, path) = StoreOpener.Open(cli, settings);
            store.Dispose();
            storePath = path;
        }

        var output = settings.Out is null
            ? Path.Combine(Path.GetDirectoryName(storePath)!, "demo", $"focus-{month:yyyy-MM}.csv")
            : cli.ResolvePath(settings.Out);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var watch = Stopwatch.StartNew();
        DemoSummary summary;
        using (var writer = new StreamWriter(output, append: false, new UTF8Encoding(false), 1 << 16))
        {
            summary = DemoBillingGenerator.Write(writer, new DemoOptions { Month = DateOnly.FromDateTime(month), Seed = settings.Seed, Rows = settings.Rows });
        }

        cli.Out.MarkupLine(
            $"[bold]ModelMeter demo[/]: Acme ML, {month:MMMM yyyy}. Wrote {summary.Rows:N0} FOCUS line items " +
            $"({Formatting.Money(summary.BilledTotal, "USD")} USD billed) to {Markup.Escape(output)} in {watch.Elapsed.TotalSeconds:0.0} s.");
        if (settings.GenerateOnly)
        {
            return ExitCodes.Ok;
        }

        // The shared GPU cluster's job log (the usage driver) and the demo's policy and rules, beside the FOCUS file.
        var options = new DemoOptions { Month = DateOnly.FromDateTime(month), Seed = settings.Seed, Rows = settings.Rows };
        var usagePath = Path.Combine(Path.GetDirectoryName(output)!, $"usage-{month:yyyy-MM}.csv");
        DemoUsageSummary usage;
        using (var writer = new StreamWriter(usagePath, append: false, new UTF8Encoding(false)))
        {
            usage = DemoUsageGenerator.Write(writer, options);
        }

        // Its store.path (../meter.duckdb) is relative to the file, so it always sits in the store's demo folder.
        var demoConfigPath = Path.Combine(Path.GetDirectoryName(storePath)!, "demo", DemoPolicy.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(demoConfigPath)!);
        File.WriteAllText(demoConfigPath, DemoPolicy.Yaml, new UTF8Encoding(false));

        cli.Out.MarkupLine(
            $"Wrote the shared GPU cluster's job log ({usage.Lines:N0} jobs, {usage.GpuHours:N0} of {usage.CapacityGpuHours:N0} GPU-hours used) to {Markup.Escape(usagePath)} " +
            $"and the demo's tag policy and allocation rules to {Markup.Escape(demoConfigPath)}.");
        watch.Restart();
        var importSettings = new ImportFocusSettings { Paths = [output], Store = settings.Store, Config = settings.Config, Quiet = true };
        var result = ImportFocusCommand.Run(cli, importSettings, FocusImporter.Inspect([output]), cancellationToken);
        if (result.Outcome == ImportOutcome.Refused)
        {
            ImportReportWriter.Write(cli, result, OutputFormat.Table, quiet: false);
            return ExitCodes.BadInput;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"The same file was already imported into {Markup.Escape(storePath)}."
            : $"Imported into {Markup.Escape(storePath)} in {watch.Elapsed.TotalSeconds:0.0} s (import #{result.Record!.ImportId}" +
              (result.Record.ReplacedRows > 0 ? $", replacing {result.Record.ReplacedRows:N0} rows of an earlier run" : "") + ").");
        cli.Out.WriteLine();

        using var reader = StoreOpener.Open(cli, settings).Store;
        var from = month;
        var to = month.AddMonths(1);
        Show(reader, new CostQuery { By = [new TagDimension("team")], From = from, To = to }, "Cost by team (EffectiveCost)");
        Show(reader, new CostQuery { By = [new ColumnDimension("ServiceCategory")], From = from, To = to }, "Cost by service category");
        var daily = new CostQuery { Grain = TimeGrain.Day, From = from, To = to };
        CostTableWriter.WriteChart(cli, Application.Reporting.CostReport.Of(CostTable.Build(daily, reader.QueryCosts(daily), null), daily));

        ShowAttribution(reader, settings, storePath, demoConfigPath, usagePath, from, to);

        cli.Out.MarkupLine("[bold]Waste planted in this month[/] (the recommendations will find these):");
        foreach (var waste in summary.PlantedWaste)
        {
            cli.Out.MarkupLine($"  • {Markup.Escape(waste)}");
        }

        cli.Out.WriteLine();
        cli.Out.MarkupLine("Try: [blue]modelmeter report --by tag:team,tag:model --chart[/], [blue]modelmeter report --by ServiceName --where tag:environment=prod[/], [blue]modelmeter imports[/]");
        cli.Out.MarkupLine("With the demo's policy and rules: [blue]modelmeter tags --config .modelmeter/demo/modelmeter.yaml[/], " +
                           "[blue]modelmeter allocate --config .modelmeter/demo/modelmeter.yaml --explain tag:team=nlp[/], " +
                           "[blue]modelmeter report --by hierarchy --depth 3 --config .modelmeter/demo/modelmeter.yaml[/]");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Imports the usage through <c>import usage</c>'s path, then shows tag compliance, the hierarchy and the allocated
    /// cost by team under the working folder's modelmeter.yaml, or the demo's policy and rules when there is none.
    /// </summary>
    private void ShowAttribution(Store.ICostStore reader, DemoSettings settings, string storePath, string demoConfigPath, string usagePath, DateTime from, DateTime to)
    {
        var ownConfig = settings.Config is not null || File.Exists(Path.Combine(cli.WorkingDirectory, ConfigLoader.FileName));
        var config = ownConfig ? ConfigLoader.Load(cli, settings.Config) : ConfigParser.Parse(DemoPolicy.Yaml, demoConfigPath);
        var setup = AttributionSetup.From(config, Configuration.ConfigLoader.BaseDirectory(cli, config));

        // DuckDB allows one writer: the import opens the store itself, so the reader is reopened after it.
        reader.Dispose();
        var imported = ImportUsageCommand.Run(cli, new ImportUsageSettings { Path = usagePath, Store = settings.Store ?? storePath, Config = settings.Config }, setup.Policy);
        cli.Out.MarkupLine(imported.Outcome == ImportOutcome.AlreadyImported
            ? "The GPU cluster's job log was already imported."
            : $"Imported the GPU cluster's job log: {Markup.Escape(imported.Summary)} (import #{imported.Record.ImportId}).");
        cli.Out.MarkupLine(ownConfig
            ? "Attribution below uses your modelmeter.yaml."
            : $"Attribution below uses the demo's tag policy and rules ({Markup.Escape(demoConfigPath)}), as there is no modelmeter.yaml here.");
        cli.Out.WriteLine();

        using var store = Store.DuckDb.DuckDbCostStore.Open(storePath, cli.Clock);
        var month = new CostQuery { From = from, To = to };
        var compliance = TagCompliance.Compute(setup.Policy, CostAttribution.ForCompliance(store.QueryBilledCostRows(month)), 5);
        foreach (var report in compliance)
        {
            cli.Out.MarkupLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"[bold]Tag compliance ({report.Currency})[/]: {report.FullyTaggedPercent:0.0}% of cost fully tagged. Largest untagged: " +
                $"{Markup.Escape(string.Join("; ", report.LargestUntagged.Take(3).Select(u => $"{u.ResourceId ?? "(no resource id)"} in account {u.SubAccountId} ({Formatting.Money(u.Cost, report.Currency)}, missing {string.Join(", ", u.MissingKeys)})")))}."));
        }

        cli.Out.WriteLine();
        var levels = HierarchyRollup.Build(setup.Attribute(store.QueryBilledCostRows(month)).Select(r => r.ToDimensionedAmount()), setup.Levels, 2, setup.Policy.UntaggedLabel);
        HierarchyWriter.Write(cli, HierarchyReport.Of(levels, setup.Levels, allocated: false), OutputFormat.Table);
        var (result, _) = setup.Allocate(store, month);
        foreach (var warning in result.Warnings.Take(3))
        {
            cli.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        var statements = ShowbackStatement.Build(result, setup.Rules.Count > 0 ? setup.Rules[0].TargetDimension : "team", setup.Policy.UntaggedLabel);
        // The check a FinOps lead asks first: every cent of the bill (as `report` sums it) is allocated somewhere.
        var reported = CostTable.Build(month, store.QueryCosts(month), null).Totals;
        AllocationWriter.WriteStatements(cli, ShowbackReport.Of(statements, reported), OutputFormat.Table);
        cli.Out.WriteLine();
    }

    private void Show(Store.ICostStore store, CostQuery query, string title) =>
        CostTableWriter.Write(cli, Application.Reporting.CostReport.Of(CostTable.Build(query, Application.Reporting.CostStoreQueries.QueryCosts(store, query, Core.Attribution.TagPolicy.Default), 8), query), OutputFormat.Table, chart: false, title);
}
