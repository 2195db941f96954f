using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class DemoSettings : StoreSettings
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

    [CommandOption("--months <N>")]
    [Description("Months of history ending with the month, the earlier ones at daily grain, plus this month to yesterday (default 4; 1 for the month alone).")]
    public int Months { get; init; } = 4;

    [CommandOption("--no-costs")]
    [Description("Leave out the month's costs outside the cloud bill (personnel, labelling, data, licences, monitoring) that tco and report --by category show.")]
    public bool NoCosts { get; init; }

    [CommandOption("--generate-only")]
    [Description("Write the FOCUS file without importing it.")]
    public bool GenerateOnly { get; init; }
}

/// <summary>
/// <c>modelmeter demo</c>: writes a realistic month of ML cloud spend as a FOCUS file, imports it through the same
/// importer a user's export goes through, and shows what it cost.
/// </summary>
internal sealed class DemoCommand(CliContext cli, DemoUseCase demo) : Command<DemoSettings>
{
    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var request = new DemoRequest
        {
            Store = settings.StoreOptions,
            Seed = settings.Seed,
            Month = settings.Month,
            Rows = settings.Rows,
            Out = settings.Out,
            GenerateOnly = settings.GenerateOnly,
            Months = settings.Months,
            Costs = !settings.NoCosts,
        };
        var result = ProgressDisplay.Run(cli, "Building the demo month", quiet: false, progress => demo.Run(request, progress, cancellationToken));
        var out_ = cli.Out;
        out_.MarkupLine(
            $"[bold]ModelMeter demo[/]: Acme ML, {result.Month:MMMM yyyy}. Wrote {result.LineItems:N0} FOCUS line items " +
            $"({Formatting.Money(result.BilledTotal, result.Currency)} {result.Currency} billed) to {Markup.Escape(result.FocusFile)} in {result.GenerationTime.TotalSeconds:0.0} s.");
        if (result.Imports is not { } imports)
        {
            return ExitCodes.Ok;
        }

        out_.MarkupLine(
            $"Wrote the shared GPU cluster's job log ({imports.UsageJobs:N0} jobs, {imports.GpuHours:N0} of {imports.CapacityGpuHours:N0} GPU-hours used) to {Markup.Escape(imports.UsageFile)} " +
            $"and the demo's tag policy and allocation rules to {Markup.Escape(imports.ConfigFile)}.");
        var focus = imports.Focus;
        if (focus.Outcome == ImportOutcome.Refused)
        {
            ImportReportWriter.Write(cli, focus, OutputFormat.Table, quiet: false);
            return ExitCodes.BadInput;
        }

        var store = Markup.Escape(result.Store ?? "");
        out_.MarkupLine(focus.Outcome == ImportOutcome.AlreadyImported
            ? $"The same file was already imported into {store}."
            : $"Imported into {store} in {imports.FocusImportTime.TotalSeconds:0.0} s (import #{focus.ImportId}" +
              (focus.ReplacedRows > 0 ? $", replacing {focus.ReplacedRows:N0} rows of an earlier run" : "") + ").");
        out_.WriteLine();

        if (result.Figures is { } figures)
        {
            CostTableWriter.Write(cli, figures.CostByTeam, OutputFormat.Table, chart: false, "Cost by team (EffectiveCost)");
            CostTableWriter.Write(cli, figures.CostByServiceCategory, OutputFormat.Table, chart: false, "Cost by service category");
            CostTableWriter.WriteChart(cli, figures.DailyTrend);
            WriteAttribution(result, imports, figures);
        }

        out_.MarkupLine("[bold]Waste planted in this month[/] (modelmeter recommend finds these; the saving each should yield a month):");
        foreach (var waste in result.PlantedWaste)
        {
            var planted = result.PlantedSavings.FirstOrDefault(p => waste.StartsWith(p.ResourceId + ":", StringComparison.Ordinal));
            var saving = planted is null ? "" : planted.MonthlySaving == 0m
                ? $" → {planted.Rule}: allocation, no saving by itself"
                : $" → {planted.Rule}: {Formatting.Money(planted.MonthlySaving, planted.Currency)} {planted.Currency} a month";
            out_.MarkupLine($"  • {Markup.Escape(waste + saving)}");
        }

        if (result.MlSources is { } ml)
        {
            out_.MarkupLine($"ML sources beside the bill: serving usage and GPU utilisation ({Markup.Escape(ml.ServingFile)}), business metrics, {ml.LlmCalls:N0} LLM calls and {ml.Runs:N0} MLflow runs ({Markup.Escape(ml.MlrunsFolder)}).");
            out_.MarkupLine("Unit economics: [blue]modelmeter runs --by experiment[/], [blue]modelmeter unit --by tag:model --grain week[/], [blue]modelmeter kpi --config .modelmeter/demo/modelmeter.yaml --tree[/]");
        }

        WriteHistory(result.History);
        if (result.InternalCosts is { } costs)
        {
            out_.MarkupLine($"Costs outside the cloud bill: {costs.RowsValid:N0} daily line items of provider internal ({string.Join(", ", costs.Totals.Select(t => Formatting.Money(t.Value.EffectiveCost, t.Key) + " " + t.Key))}: personnel, labelling, data, licences, monitoring).");
            out_.MarkupLine("The whole cost: [blue]modelmeter tco --by tag:product --config .modelmeter/demo/modelmeter.yaml[/], [blue]modelmeter report --by category,ProviderName --config .modelmeter/demo/modelmeter.yaml[/]");
        }

        if (result.MlSources is not null)
        {
            var month = result.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            out_.MarkupLine($"What-ifs on that month's traffic: [blue]modelmeter what-if llm --as gpt-4.1-mini --month {month}[/], " +
                            $"[blue]modelmeter what-if instance --resource i-0a1b2c3d4e5f60002 --as p4d.24xlarge --month {month}[/], " +
                            $"[blue]modelmeter what-if frequency --experiment ranker-weekly --x 2 --month {month} --explain[/]");
        }

        out_.WriteLine();
        out_.MarkupLine("Try: [blue]modelmeter report --by tag:team,tag:model --chart[/], [blue]modelmeter report --by ServiceName --where tag:environment=prod[/], [blue]modelmeter imports[/]");
        out_.MarkupLine("Budgets, forecasts and anomalies: [blue]modelmeter budget status --config .modelmeter/demo/modelmeter.yaml[/], [blue]modelmeter forecast --by tag:team --backtest --where ProviderName!=internal[/], " +
                        "[blue]modelmeter anomalies --by tag:team --last 90d --config .modelmeter/demo/modelmeter.yaml[/], [blue]modelmeter alert --dry-run --config .modelmeter/demo/modelmeter.yaml[/]");
        out_.MarkupLine("With the demo's policy and rules: [blue]modelmeter tags --config .modelmeter/demo/modelmeter.yaml[/], " +
                        "[blue]modelmeter allocate --config .modelmeter/demo/modelmeter.yaml --explain tag:team=nlp[/], " +
                        "[blue]modelmeter report --by hierarchy --depth 3 --config .modelmeter/demo/modelmeter.yaml[/]");
        return ExitCodes.Ok;
    }

    /// <summary>The daily history and what was planted in it (what forecast and anomalies should find).</summary>
    private void WriteHistory(DemoHistory? history)
    {
        if (history is null)
        {
            return;
        }

        var out_ = cli.Out;
        out_.WriteLine();
        if (history.File is not null)
        {
            out_.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"History: {history.LineItems:N0} daily line items from {history.From:yyyy-MM-dd} to {history.To:yyyy-MM-dd} in {history.File} (import #{history.Import?.ImportId}).")));
        }

        if (history.LevelShift is { } shift)
        {
            out_.MarkupLine(Markup.Escape("Level shift: " + shift + "."));
        }

        out_.MarkupLine("[bold]Anomalies planted[/] (modelmeter anomalies should find these; labels in " + Markup.Escape(history.LabelsFile) + "):");
        foreach (var p in history.Planted)
        {
            out_.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  • {p.Start:yyyy-MM-dd}{(p.End > p.Start ? $" to {p.End:yyyy-MM-dd}" : "")} ({p.Kind}, team {p.Team}, about +USD {p.ImpactPerDay:N0} a day): {p.Cause}")));
        }
    }

    /// <summary>The usage import, then tag compliance, the hierarchy and the allocated cost by team, with the check.</summary>
    private void WriteAttribution(DemoResult result, DemoImports imports, DemoFigures figures)
    {
        var out_ = cli.Out;
        if (imports.Usage is { } usage)
        {
            out_.MarkupLine(usage.Outcome == ImportOutcome.AlreadyImported
                ? "The GPU cluster's job log was already imported."
                : $"Imported the GPU cluster's job log: {Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{usage.Samples} sample(s), {string.Join("; ", usage.Metrics)}"))} (import #{usage.ImportId}).");
        }

        out_.MarkupLine(imports.UsesOwnConfig
            ? "Attribution below uses your modelmeter.yaml."
            : $"Attribution below uses the demo's tag policy and rules ({Markup.Escape(imports.ConfigFile)}), as there is no modelmeter.yaml here.");
        out_.WriteLine();

        foreach (var report in figures.TagCompliance.Currencies)
        {
            out_.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[bold]Tag compliance ({report.Currency})[/]: {report.FullyTaggedPercent:0.0}% of cost fully tagged. Largest untagged: " +
                $"{Markup.Escape(string.Join("; ", report.LargestUntagged.Take(3).Select(u => $"{u.ResourceId ?? "(no resource id)"} in account {u.SubAccountId} ({Formatting.Money(u.Cost, report.Currency)}, missing {string.Join(", ", u.Missing)})")))}."));
        }

        out_.WriteLine();
        HierarchyWriter.Write(cli, figures.Hierarchy, OutputFormat.Table);
        cli.WriteWarnings(result.Warnings);
        AllocationWriter.WriteStatements(cli, figures.Showback, OutputFormat.Table);
        out_.WriteLine();
    }
}
