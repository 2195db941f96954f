using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
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
        CostTableWriter.WriteChart(cli, CostTable.Build(daily, reader.QueryCosts(daily), null));

        cli.Out.MarkupLine("[bold]Waste planted in this month[/] (the recommendations will find these):");
        foreach (var waste in summary.PlantedWaste)
        {
            cli.Out.MarkupLine($"  • {Markup.Escape(waste)}");
        }

        cli.Out.WriteLine();
        cli.Out.MarkupLine("Try: [blue]modelmeter report --by tag:team,tag:model --chart[/], [blue]modelmeter report --by ServiceName --where tag:environment=prod[/], [blue]modelmeter imports[/]");
        return ExitCodes.Ok;
    }

    private void Show(Store.ICostStore store, CostQuery query, string title) =>
        CostTableWriter.Write(cli, CostTable.Build(query, store.QueryCosts(query), 8), OutputFormat.Table, chart: false, title);
}
