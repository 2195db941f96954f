using System.ComponentModel;
using System.Security.Cryptography;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class ImportRatesSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("An exchange-rate CSV: date,from,to,rate (2026-10-01,EUR,USD,1.0712).")]
    public string Path { get; init; } = "";

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Path) ? ValidationResult.Error("Name the exchange-rate CSV to import.") : base.Validate();
}

/// <summary>
/// <c>modelmeter import rates</c>: a dated exchange-rate table that <c>--currency</c> converts with. The whole file is
/// validated first (a bad line names its line and column and nothing is stored); a rate of a pair and day already
/// stored is replaced.
/// </summary>
public sealed class ImportRatesCommand(CliContext cli) : Command<ImportRatesSettings>
{
    public override int Execute(CommandContext context, ImportRatesSettings settings, CancellationToken cancellationToken)
    {
        var path = cli.ResolvePath(settings.Path);
        if (!File.Exists(path))
        {
            throw new UserInputException($"Rates file '{settings.Path}' does not exist.");
        }

        var bytes = File.ReadAllBytes(path);
        var table = ExchangeRateTable.Parse(System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), settings.Path);
        if (table.Count == 0)
        {
            throw new UserInputException($"{settings.Path}: no rates after the header; nothing was imported.");
        }

        var rates = table.Rates.DistinctBy(r => (r.Date, r.From, r.To)).ToList();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var (_, store, _) = StoreOpener.Open(cli, settings);
        using (store)
        {
            if (store.FindImportByContentHash(sha) is { Kind: ImportKind.Rates } known)
            {
                cli.Out.MarkupLine($"{Markup.Escape(settings.Path)} was already imported (import #{known.ImportId}); nothing to do.");
                return ExitCodes.Ok;
            }

            var record = store.ImportExchangeRates(rates, new ImportedFile(path, sha, bytes.LongLength, rates.Count));
            cli.Out.MarkupLine($"Imported {record.Rows:N0} exchange rate(s) from {Markup.Escape(settings.Path)} (import #{record.ImportId}" +
                               (record.ReplacedRows > 0 ? $", replacing {record.ReplacedRows:N0}" : "") + $"): {Markup.Escape(string.Join("; ", record.BillingPeriods))}.");
        }

        return ExitCodes.Ok;
    }
}
