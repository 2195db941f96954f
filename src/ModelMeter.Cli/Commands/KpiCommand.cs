using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Kpis;
using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class KpiSettings : StoreSettings
{
    [CommandOption("--from <DATE>")]
    [Description("First day (UTC), inclusive; with --to. Default: the last two periods with costs.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Day (UTC) the period ends before, exclusive.")]
    public string? To { get; init; }

    [CommandOption("--month <YYYY-MM>")]
    [Description("One calendar month.")]
    public string? Month { get; init; }

    [CommandOption("--grain <GRAIN>")]
    [Description("week or month (default) per value; day too.")]
    public string? Grain { get; init; }

    [CommandOption("--tree")]
    [Description("Show the KPI tree: goals with the KPIs that serve them, last period's status.")]
    public bool Tree { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter kpi</c>: the KPIs of modelmeter.yaml per period, with status against target, as a table or a tree.</summary>
internal sealed class KpiCommand(CliContext cli, KpiUseCase kpis) : Command<KpiSettings>
{
    public override int Execute(CommandContext context, KpiSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var report = kpis.Run(new KpiRequest
        {
            Store = settings.StoreOptions,
            Query = new CostQueryText { From = settings.From, To = settings.To, Month = settings.Month, Grain = settings.Grain },
        });
        cli.WriteWarnings(report.Warnings);
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(report));
            return ExitCodes.Ok;
        }

        if (settings.Tree)
        {
            var tree = new Tree("KPIs");
            var nodes = new Dictionary<string, IHasTreeNodes>(StringComparer.Ordinal);
            foreach (var k in report.Kpis)
            {
                IHasTreeNodes parent = k.Parent is { } p && nodes.TryGetValue(p, out var n) ? n : tree;
                nodes[k.Name] = parent.AddNode($"{Status(k.Status)} {Markup.Escape(k.Name)}: {Markup.Escape(Value(k.Values[^1].Value, k.Unit))}" +
                    (k.Target is { } t ? Markup.Escape($" (target {(k.Direction == "above" ? ">=" : "<=")} {Value(t, k.Unit)})") : ""));
            }

            cli.Out.Write(tree);
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumn("KPI").AddColumn("Target");
        foreach (var p in report.Periods)
        {
            table.AddColumn(new TableColumn(p.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).RightAligned());
        }

        table.AddColumn("Status");
        foreach (var k in report.Kpis)
        {
            var cells = new List<string>
            {
                new string(' ', k.Depth * 2) + Markup.Escape(k.Name),
                k.Target is { } t ? Markup.Escape($"{(k.Direction == "above" ? ">=" : "<=")} {Value(t, k.Unit)}") : "",
            };
            cells.AddRange(k.Values.Select(v => Markup.Escape(Value(v.Value, k.Unit))));
            cells.Add(Status(k.Status));
            table.AddRow(cells.ToArray());
        }

        cli.Out.Write(table);
        return ExitCodes.Ok;
    }

    private static string Value(decimal? value, string? unit) =>
        value is { } v ? UnitWriter.Unit(v) + (string.IsNullOrEmpty(unit) ? "" : " " + unit) : "n/a";

    private static string Status(string status) => status switch
    {
        "on_target" => "[green]on target[/]",
        "off_target" => "[red]off target[/]",
        "no_target" => "no target",
        _ => "[grey]no data[/]",
    };
}
