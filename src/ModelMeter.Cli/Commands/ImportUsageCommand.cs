using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using ModelMeter.Application.Attribution;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class ImportUsageSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("A usage CSV: timestamp (or start,end), metric, value and dimension columns (team, model, resource_id, cluster ...).")]
    public string Path { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the summary.")]
    public string? Format { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Path) ? ValidationResult.Error("Name the usage CSV to import.") : base.Validate();
}

/// <summary>
/// <c>modelmeter import usage</c>: allocation drivers (GPU-hours per team, requests per model ...). Every line is
/// validated first; a bad line refuses the whole file, naming its line and column, and the store is left as it was.
/// Importing the same file again does nothing; a new measurement of the same metric and days replaces the old one.
/// </summary>
public sealed class ImportUsageCommand(CliContext cli) : Command<ImportUsageSettings>
{
    public override int Execute(CommandContext context, ImportUsageSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var config = Configuration.ConfigLoader.Load(cli, settings.Config);
        var result = Run(cli, settings, AttributionSetup.From(config, Configuration.ConfigLoader.BaseDirectory(cli, config)).Policy);
        if (format == "json")
        {
            cli.WriteRaw(System.Text.Json.JsonSerializer.Serialize(new
            {
                outcome = result.Outcome.ToString().ToLowerInvariant(),
                file = result.Path,
                import_id = result.Record.ImportId,
                samples = result.Record.Rows,
                replaced = result.Record.ReplacedRows,
                metrics = result.Record.BillingPeriods,
            }, Display.Json) + "\n");
            return ExitCodes.Ok;
        }

        cli.Out.MarkupLine(result.Outcome == ImportOutcome.AlreadyImported
            ? $"{Markup.Escape(result.Path)} was already imported (import #{result.Record.ImportId}); nothing to do."
            : $"Imported {result.Record.Rows:N0} usage sample(s) from {Markup.Escape(result.Path)} (import #{result.Record.ImportId}" +
              (result.Record.ReplacedRows > 0 ? $", replacing {result.Record.ReplacedRows:N0} earlier sample(s)" : "") +
              $"): {Markup.Escape(string.Join("; ", result.Record.BillingPeriods))}.");
        return ExitCodes.Ok;
    }

    /// <summary>The import itself, shared with <c>modelmeter demo</c> so the demo's usage goes through the user's path.</summary>
    internal static UsageImportResult Run(CliContext context, ImportUsageSettings settings, TagPolicy policy)
    {
        var path = context.ResolvePath(settings.Path);
        if (!File.Exists(path))
        {
            throw new UserInputException($"Usage file '{settings.Path}' does not exist.");
        }

        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        // Validated with the policy (two columns may not become one dimension); stored as written, so a later change
        // of the tag policy applies to usage already imported.
        _ = UsageCsv.Parse(text, settings.Path, policy);
        var samples = UsageCsv.Parse(text, settings.Path);
        if (samples.Count == 0)
        {
            throw new UserInputException($"{settings.Path}: no usage lines after the header; nothing was imported.");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var (_, store, _) = StoreOpener.Open(context, settings);
        using (store)
        {
            if (store.FindImportByContentHash(sha) is { Kind: ImportKind.Usage } known)
            {
                return new UsageImportResult(ImportOutcome.AlreadyImported, path, known);
            }

            using var session = store.BeginUsageImport();
            foreach (var sample in samples)
            {
                session.Append(sample);
            }

            var lines = text.AsSpan().Count('\n');
            var record = session.Commit(new ImportedFile(path, sha, bytes.LongLength, Math.Max(0, lines - 1)));
            return new UsageImportResult(ImportOutcome.Imported, path, record);
        }
    }
}

internal sealed record UsageImportResult(ImportOutcome Outcome, string Path, ImportRecord Record)
{
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"{Record.Rows} sample(s), {string.Join("; ", Record.BillingPeriods)}");
}
