using System.ComponentModel;
using System.Text;
using System.Text.Json;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class ImportsSettings : StoreSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter imports</c>: provenance of every import (files, content hashes, periods, rows, totals).</summary>
public sealed class ImportsCommand(CliContext cli) : Command<ImportsSettings>
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public override int Execute(CommandContext context, ImportsSettings settings, CancellationToken cancellationToken)
    {
        var format = OutputFormats.Parse(settings.Format);
        var (_, store, _) = StoreOpener.Open(cli, settings);
        using (store)
        {
            var imports = store.ListImports();
            if (format == OutputFormat.Json)
            {
                cli.WriteRaw(JsonSerializer.Serialize(imports, JsonOptions) + "\n");
                return ExitCodes.Ok;
            }

            if (imports.Count == 0)
            {
                cli.Out.MarkupLine("No imports yet. Try [blue]modelmeter demo[/] or [blue]modelmeter import focus FILE[/].");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("#").AddColumn("Kind").AddColumn("Imported (UTC)").AddColumn(new TableColumn("Rows").RightAligned())
                .AddColumn("Billing periods").AddColumn("Billed").AddColumn("Files").AddColumn("Status");
            foreach (var import in imports)
            {
                var files = new StringBuilder();
                foreach (var file in import.Files)
                {
                    files.Append(Markup.Escape(Path.GetFileName(file.Path))).Append(" [grey]").Append(file.Sha256[..12]).Append("[/]\n");
                }

                table.AddRow(
                    import.ImportId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    import.Kind.ToText(),
                    import.ImportedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    import.Rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", import.BillingPeriods)),
                    string.Join(", ", import.BilledTotals.Select(t => $"{Formatting.Money(t.Value, t.Key)} {t.Key}")),
                    files.ToString().TrimEnd(),
                    import.SupersededBy is { } by ? $"[grey]replaced by #{by}[/]" : import.ReplacedRows > 0 ? $"live, replaced {import.ReplacedRows:N0} rows" : "live");
            }

            cli.Out.Write(table);
        }

        return ExitCodes.Ok;
    }
}
