using System.ComponentModel;
using System.Globalization;
using System.Text;
using ModelMeter.Application.Contracts;
using ModelMeter.Application.Imports;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportsSettings : StoreSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter imports</c>: provenance of every import (files, content hashes, periods, rows, totals).</summary>
internal sealed class ImportsCommand(CliContext cli, ImportsUseCase imports) : Command<ImportsSettings>
{
    public override int Execute(CommandContext context, ImportsSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var result = imports.Run(new ImportsRequest { Store = settings.StoreOptions });
        cli.WriteWarnings(result.Warnings);
        if (format == OutputFormat.Json)
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        if (result.Imports.Count == 0)
        {
            cli.Out.MarkupLine("No imports yet. Try [blue]modelmeter demo[/] or [blue]modelmeter import focus FILE[/].");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("#").AddColumn("Kind").AddColumn("Imported (UTC)").AddColumn(new TableColumn("Rows").RightAligned())
            .AddColumn("Billing periods").AddColumn("Billed").AddColumn("Files").AddColumn("Status");
        foreach (var import in result.Imports)
        {
            var files = new StringBuilder();
            foreach (var file in import.Files)
            {
                files.Append(Markup.Escape(Path.GetFileName(file.Path))).Append(" [grey]").Append(file.Sha256[..12]).Append("[/]\n");
            }

            table.AddRow(
                import.ImportId.ToString(CultureInfo.InvariantCulture),
                import.Mapping is { } mapping ? $"{import.Kind}\n[grey]mapping {Markup.Escape(mapping)}[/]" : import.Kind,
                import.ImportedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                import.Rows.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", import.BillingPeriods)),
                string.Join(", ", import.BilledTotals.Select(t => $"{Formatting.Money(t.Value, t.Key)} {t.Key}")),
                files.ToString().TrimEnd(),
                import.SupersededBy is { } by ? $"[grey]replaced by #{by}[/]" : import.ReplacedRows > 0 ? $"live, replaced {import.ReplacedRows:N0} rows" : "live");
        }

        cli.Out.Write(table);
        return ExitCodes.Ok;
    }
}
